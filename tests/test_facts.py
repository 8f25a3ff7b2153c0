from aligner.facts import names, numbers, time_expressions


def test_numbers_read_with_the_languages_separators():
    assert numbers("hơn 1.000 đầu đạn vào năm 2030, 1.770 và 2,5 tỷ", "vi") == ("1000", "2030", "1770", "2.5")
    assert numbers("lebih dari 1.000 hulu ledak pada tahun 2030", "id") == ("1000", "2030")
    assert numbers("more than 1,000 warheads by 2030 and 2.5 billion", "en") == ("1000", "2030", "2.5")


def test_number_inside_words_is_ignored():
    assert numbers("the F-35A and COVID-19", "en") == ()


def test_time_expressions_and_names():
    assert time_expressions("Last year, the Pentagon said in October") == ("last year", "october")
    assert {"Pentagon", "Xi Jinping"} <= names("The Pentagon said Xi Jinping met")


def test_number_spans_give_each_value_where_it_is_written():
    from aligner.facts import number_spans

    text = "hơn 1.000 đầu đạn vào năm 2030"
    assert number_spans(text, "vi") == ((4, 9, "1000"), (26, 30, "2030"))
    assert [text[s:e] for s, e, _ in number_spans(text, "vi")] == ["1.000", "2030"]
