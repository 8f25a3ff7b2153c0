"""Figures with their roles, and where two sentences' figures disagree (pure: no models)."""

from aligner.quantities import differences, quantities, same_quantity_differs, sentence_quantities


def roles(text, lang="en", english=True):
    return [(q.written, q.value, sorted(q.units), q.qualifier, q.kind) for q in quantities(text, lang, english)]


def diff(a, b, lang_a="en", lang_b="en"):
    ea, eb = (a if lang_a == "en" else None), (b if lang_b == "en" else None)
    qa, qb = sentence_quantities(a, ea, lang_a), sentence_quantities(b, eb, lang_b)
    return [(m.kind, m.severity, m.a[2], m.b[2]) for m in differences([qa], [qb], [ea], [eb])]


def test_a_figure_is_read_with_its_qualifier_multiplier_and_counted_thing():
    assert roles("China has about 500 operational nuclear warheads and 2.5 million troops, 12% more than in 2019.") == [
        ("about 500", "500", ["nuclear", "operational", "warhead"], "about", "count"),
        ("2.5 million", "2500000", ["soldier"], None, "count"),
        ("12%", "12", ["%"], None, "count"),
        ("2019", "2019", [], None, "year"),
    ]


def test_vietnamese_and_indonesian_figures_map_to_the_same_keys():
    assert roles("Lũ lụt làm khoảng 1,5 nghìn người chết.", "vi", False) == [
        ("khoảng 1,5 nghìn", "1500", ["dead", "person"], "about", "count")]
    assert roles("Banjir menewaskan sekitar 1.500 orang.", "id", False) == [
        ("sekitar 1.500", "1500", ["person"], "about", "count")]
    assert roles("Tingkat inflasi 3,5 persen.", "id", False) == [("3,5", "3.5", ["%"], None, "count")]


def test_the_same_counted_thing_with_another_value_is_hard():
    assert diff("Floods killed 59 people in the north.", "At least 63 people died in the floods.") == [
        ("number", "hard", "59", "At least 63")]
    assert diff("Lũ lụt làm 59 người chết.", "Banjir menewaskan 63 orang.", "vi", "id") == [("number", "hard", "59", "63")]


def test_about_500_against_more_than_500_is_soft():
    assert diff("It has about 500 warheads.", "It has more than 500 warheads.") == [
        ("quantity", "soft", "about 500", "more than 500")]
    assert diff("It has about 500 warheads.", "It has 520 warheads.") == [("quantity", "soft", "about 500", "520")]


def test_an_absolute_date_never_conflicts_with_a_relative_one():
    assert diff("Last year, the Pentagon estimated 500 warheads.", "The Pentagon said in October it had 500 warheads.") == []
    assert diff("The talks began in September.", "The talks began in October.") == [("time", "hard", "September", "October")]
    assert diff("The plant opened in 2019.", "The plant opened in 2018.") == [("time", "hard", "2019", "2018")]


def test_a_figure_one_side_leaves_out_is_not_a_disagreement():
    assert diff("Floods killed 59 people and injured 12 in 2019.", "Floods killed 59 people.") == []
    assert diff("Floods killed 59 people and injured 12.", "12 people were injured.") == []


def test_the_same_value_written_differently_is_not_a_disagreement():
    assert diff("Dự án trị giá 1,5 triệu đô la.", "Proyek senilai 1,5 juta dolar.", "vi", "id") == []
    assert diff("It costs 1.5 million dollars.", "Proyek senilai 1.500.000 dolar.", "en", "id") == []


def test_figures_the_english_writes_in_words_are_read_in_the_source():
    assert [q.value for q in sentence_quantities("10 lính chết.", "Ten soldiers died.", "vi")] == ["10"]


def test_a_differing_figure_of_the_same_quantity_is_counted_as_link_evidence():
    xs, ys = quantities("59 people dead", "en", True), quantities("63 people were killed", "en", True)
    assert same_quantity_differs(xs, ys) == 1
    assert same_quantity_differs(xs, quantities("63 km away", "en", True)) == 0
    assert same_quantity_differs(xs, quantities("59 people dead", "en", True)) == 0  # shared: counted as a shared number


def test_a_partial_link_compares_the_figures_of_the_part_it_matched_when_whole_sentences_show_none():
    from aligner.quantities import link_differences, within

    a, b = "The toll reached 832; 7 bridges fell", "The toll rose to 834"
    qa, qb = sentence_quantities(a, None, "en"), sentence_quantities(b, None, "en")
    # whole sentences: two counts on one side, one on the other, no counted thing to pair them
    assert differences([qa], [qb]) == []
    assert [q.written for q in within(qa, (0, 20), False)] == ["832"]
    found = link_differences([qa], [qb], [None], [None], (0, 20), None, False)
    assert [(m.kind, m.severity, m.a[2], m.b[2]) for m in found] == [("number", "hard", "832", "834")]
    # a part that spans the English says nothing of where source figures fall: all are kept
    assert within(qa, (0, 20), True) == qa
    assert link_differences([qa], [qb], [None], [None], (0, 20), None, True) == []
    # no part: the whole sentences, nothing more
    assert link_differences([qa], [qb], [None], [None], None, None, False) == []
    # the whole sentences disagree: that is what is reported, the part is not looked at
    whole = link_differences([sentence_quantities("834 people died", None, "en")],
                             [sentence_quantities("832 people died, 7 hurt", None, "en")],
                             [None], [None], None, (0, 5), False)
    assert [(m.a[2], m.b[2]) for m in whole] == [("834", "832")]
