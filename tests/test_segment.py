import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.ingest import read_article
from aligner.segment import (
    ABBREVIATIONS,
    MIN_CLAUSE_WORDS,
    SEGMENTATION_VERSION,
    split_clauses,
    split_sentences,
)
from tests.conftest import ID, VI


def sentences(text, lang):
    return [text[s:e] for s, e in split_sentences(text, lang)]


def clauses(text, lang):
    return [text[s:e] for s, e in split_clauses(text, lang)]


# --- quotations ---------------------------------------------------------------


@pytest.mark.parametrize(
    "lang, text, expected",
    [
        (
            "en",
            'He said: "We will go. They will stay." Then he left.',
            ['He said: "We will go.', 'They will stay."', "Then he left."],
        ),
        (
            "vi",
            "Anh ấy nói: “Chúng tôi sẽ đi. Họ sẽ ở lại.” Sau đó anh rời đi.",
            ["Anh ấy nói: “Chúng tôi sẽ đi.", "Họ sẽ ở lại.”", "Sau đó anh rời đi."],
        ),
        (
            "id",
            "Dia berkata: “Kami akan pergi. Mereka akan tinggal.” Lalu dia pergi.",
            ["Dia berkata: “Kami akan pergi.", "Mereka akan tinggal.”", "Lalu dia pergi."],
        ),
    ],
)
def test_a_multi_sentence_quotation_is_split_into_its_sentences(lang, text, expected):
    assert sentences(text, lang) == expected


def test_a_quote_spanning_two_sentences_is_split_at_its_inner_boundary():
    # Until version 2 the open quote glued both sentences (and the attribution)
    # into one unit; the brief asks for the quotation's sentences.
    text = '"Hai nhà lãnh đạo khẳng định điều đó. Hai nhà lãnh đạo cũng nhấn mạnh", Nhà Trắng cho biết. Tiếp theo là câu khác.'
    assert sentences(text, "vi") == [
        '"Hai nhà lãnh đạo khẳng định điều đó.',
        'Hai nhà lãnh đạo cũng nhấn mạnh", Nhà Trắng cho biết.',
        "Tiếp theo là câu khác.",
    ]


def test_a_closing_quote_followed_by_lower_case_is_not_a_boundary():
    assert sentences('"Go home." he said. Then he left.', "en") == ['"Go home." he said.', "Then he left."]
    assert sentences('West went on: "You wanna see it?" saying that he would stay.', "en") == [
        'West went on: "You wanna see it?" saying that he would stay.'
    ]


def test_curly_quotes_close_then_split():
    text = "“Tetapi kita tidak berharap,” kata Kimball. “Ini akan memakan waktu.”"
    assert sentences(text, "id") == ["“Tetapi kita tidak berharap,” kata Kimball.", "“Ini akan memakan waktu.”"]


def test_a_single_quote_opens_the_next_sentence():
    text = "'Where have we gone wrong?,' he said. 'What have we been teaching men?'"
    assert sentences(text, "en") == ["'Where have we gone wrong?,' he said.", "'What have we been teaching men?'"]


def test_a_right_quote_used_as_an_opening_quote_opens_the_next_sentence():
    text = "Tim merasa “hancur” dengan kematian Wayde. ‘”Inilah yang Anda khawatirkan,“ kata Wade."
    assert sentences(text, "id") == [
        "Tim merasa “hancur” dengan kematian Wayde.",
        "‘”Inilah yang Anda khawatirkan,“ kata Wade.",
    ]


def test_a_short_attribution_after_a_quote_stays_with_it():
    assert sentences("“Tôi không tranh cử nhưng có điều hành.” Ông chia sẻ. Sau đó ông rời đi.", "vi") == [
        "“Tôi không tranh cử nhưng có điều hành.” Ông chia sẻ.",
        "Sau đó ông rời đi.",
    ]
    assert sentences("“Kami akan menang.” Katanya. Lalu dia pergi.", "id") == [
        "“Kami akan menang.” Katanya.",
        "Lalu dia pergi.",
    ]
    # A real sentence after the quote is a sentence of its own, attribution or not.
    assert sentences("“Các bạn đã thấy điều đó.” Ông nói thêm rằng Đảng Dân chủ đang tức giận và ích kỷ.", "vi") == [
        "“Các bạn đã thấy điều đó.”",
        "Ông nói thêm rằng Đảng Dân chủ đang tức giận và ích kỷ.",
    ]
    # Without a closing quote a short sentence is not an attribution.
    assert sentences("Chúng tôi sẽ đi. Ông chia sẻ.", "vi") == ["Chúng tôi sẽ đi.", "Ông chia sẻ."]


def test_an_unbalanced_quote_does_not_swallow_the_paragraph():
    text = '"Kalimat pertama tanpa penutup. Kalimat kedua. Kalimat ketiga.'
    assert sentences(text, "id") == ['"Kalimat pertama tanpa penutup.', "Kalimat kedua.", "Kalimat ketiga."]


# --- abbreviations: ordinary words are not abbreviations -------------------------


def test_no_at_the_end_of_an_english_sentence_ends_it():
    text = "Asked whether Beijing would agree, he said no. The talks ended in March."
    assert sentences(text, "en") == ["Asked whether Beijing would agree, he said no.", "The talks ended in March."]


def test_no_at_the_end_of_a_vietnamese_sentence_ends_it():
    assert sentences("Tôi đã ăn no. Sau đó tôi đi ngủ.", "vi") == ["Tôi đã ăn no.", "Sau đó tôi đi ngủ."]


def test_no_before_a_number_is_an_abbreviation():
    assert sentences("He lives at No. 5 Downing Street. It is big.", "en") == [
        "He lives at No. 5 Downing Street.",
        "It is big.",
    ]
    assert sentences("Kantornya di Jl. Sudirman No. 5. Kantor itu besar.", "id") == [
        "Kantornya di Jl. Sudirman No. 5.",
        "Kantor itu besar.",
    ]


@pytest.mark.parametrize(
    "lang, text, expected",
    [
        ("vi", "Tôi đã gặp ông. Sau đó tôi về nhà.", ["Tôi đã gặp ông.", "Sau đó tôi về nhà."]),
        ("vi", "Tôi đã gặp bà. Bà cười.", ["Tôi đã gặp bà.", "Bà cười."]),
        ("vi", "Giá là 100.000 đ. Sau đó giá tăng.", ["Giá là 100.000 đ.", "Sau đó giá tăng."]),
        ("vi", "Có táo, lê, v.v. Sau đó là cam.", ["Có táo, lê, v.v.", "Sau đó là cam."]),
        ("id", "Mereka membeli buku, pena, dll. Setelah itu mereka pulang.", ["Mereka membeli buku, pena, dll.", "Setelah itu mereka pulang."]),
        ("id", "Hujan turun 10 mm. Sungai meluap.", ["Hujan turun 10 mm.", "Sungai meluap."]),
        ("id", "Dia bilang no. Kami pergi.", ["Dia bilang no.", "Kami pergi."]),
        ("en", "They sell apples, pears, etc. The shop opens at nine.", ["They sell apples, pears, etc.", "The shop opens at nine."]),
        ("en", "He met Martin Luther King Jr. The meeting was short.", ["He met Martin Luther King Jr.", "The meeting was short."]),
    ],
)
def test_an_ordinary_word_before_a_dot_ends_the_sentence(lang, text, expected):
    assert sentences(text, lang) == expected


def test_the_abbreviation_lists_hold_no_ordinary_words():
    ordinary = {"no", "ông", "bà", "đ", "q", "p", "se", "mm", "dll", "dsb", "dst", "etc", "jr", "inc"}
    for lang, words in ABBREVIATIONS.items():
        assert not words & ordinary, lang


@pytest.mark.parametrize(
    "lang, text, expected",
    [
        ("en", "U.S. officials met Dr. Smith in Geneva. Talks ended.", ["U.S. officials met Dr. Smith in Geneva.", "Talks ended."]),
        ("en", "Rep. Maxine Waters and Sens. Lindsey Graham met Gov. Brown. They talked.", ["Rep. Maxine Waters and Sens. Lindsey Graham met Gov. Brown.", "They talked."]),
        ("en", "The vote is on Nov. 6 this year. It matters.", ["The vote is on Nov. 6 this year.", "It matters."]),
        ("en", "Votes are cast on Nov. What time is the rally?", ["Votes are cast on Nov.", "What time is the rally?"]),
        ("en", "The rally starts at 7 p.m. ET tonight. Doors open early.", ["The rally starts at 7 p.m. ET tonight.", "Doors open early."]),
        ("en", "It was 85 mph as of 5 a.m. Eastern time Sunday. It moved north.", ["It was 85 mph as of 5 a.m. Eastern time Sunday.", "It moved north."]),
        ("en", "No irregularities were reported by 1 p.m. However, turnout was low.", ["No irregularities were reported by 1 p.m.", "However, turnout was low."]),
        ("en", "Samsung Electronics Co. Ltd. said profit rose. Shares fell.", ["Samsung Electronics Co. Ltd. said profit rose.", "Shares fell."]),
        ("en", "The Rev. John Johnson led St. Martin's church. He retired.", ["The Rev. John Johnson led St. Martin's church.", "He retired."]),
        ("id", "Tn. Budi bertemu Dr. Sari di Jakarta. Mereka setuju.", ["Tn. Budi bertemu Dr. Sari di Jakarta.", "Mereka setuju."]),
        ("id", "Menurut pihak A.S. Pengamat kekeringan melaporkan hujan. Itu penting.", ["Menurut pihak A.S. Pengamat kekeringan melaporkan hujan.", "Itu penting."]),
        ("vi", "GS. TS. Nguyễn Văn A phát biểu tại hội nghị. Sau đó là thảo luận.", ["GS. TS. Nguyễn Văn A phát biểu tại hội nghị.", "Sau đó là thảo luận."]),
        ("vi", "Cuộc vận động của TT. Trump bắt đầu. Mọi người đến.", ["Cuộc vận động của TT. Trump bắt đầu.", "Mọi người đến."]),
        ("vi", "Văn phòng ở Q. 1, TP. Hồ Chí Minh. Nó rất lớn.", ["Văn phòng ở Q. 1, TP. Hồ Chí Minh.", "Nó rất lớn."]),
    ],
)
def test_abbreviations(lang, text, expected):
    assert sentences(text, lang) == expected


# --- initials, letters, acronyms, numbers -----------------------------------------


@pytest.mark.parametrize(
    "lang, text, expected",
    [
        ("vi", "Ông J. Biden phát biểu. Sau đó ông rời đi.", ["Ông J. Biden phát biểu.", "Sau đó ông rời đi."]),
        ("en", "George W. Bush met J. K. Rowling. They talked.", ["George W. Bush met J. K. Rowling.", "They talked."]),
        ("vi", "Anh được biết tới với tên Puff Daddy, P. Diddy hay Diddy.", ["Anh được biết tới với tên Puff Daddy, P. Diddy hay Diddy."]),
        ("en", "A black musician, Dionisio A. Lind, moved.", ["A black musician, Dionisio A. Lind, moved."]),
        ("en", "Most pupils achieved an A. This shows progress.", ["Most pupils achieved an A.", "This shows progress."]),
        ("en", "Few got a grade B. Others failed.", ["Few got a grade B.", "Others failed."]),
        ("vi", "Học sinh đạt điểm A. Điều này cho thấy tiến bộ.", ["Học sinh đạt điểm A.", "Điều này cho thấy tiến bộ."]),
        ("id", "Siswa mendapatkan nilai A. Hal ini menunjukkan kemajuan.", ["Siswa mendapatkan nilai A.", "Hal ini menunjukkan kemajuan."]),
    ],
)
def test_initials_and_letters(lang, text, expected):
    assert sentences(text, lang) == expected


def test_a_one_letter_vietnamese_word_ends_a_sentence():
    assert sentences("Trận đấu diễn ra tại Naples, Ý. Chelsea thắng.", "vi") == ["Trận đấu diễn ra tại Naples, Ý.", "Chelsea thắng."]


def test_an_indonesian_sentence_ending_in_AS_still_ends():
    assert sentences("Pejabat itu berbicara dengan AS. Namun Beijing menolak.", "id") == [
        "Pejabat itu berbicara dengan AS.",
        "Namun Beijing menolak.",
    ]


def test_thousand_separators_and_decimals_are_not_boundaries():
    text = "Mỹ có 1.770 đầu đạn và Nga có 1.710 đầu đạn. Trung Quốc có 500."
    assert sentences(text, "vi") == ["Mỹ có 1.770 đầu đạn và Nga có 1.710 đầu đạn.", "Trung Quốc có 500."]
    assert sentences("Inflasi 2,5 persen. Harga 1.000 rupiah.", "id") == ["Inflasi 2,5 persen.", "Harga 1.000 rupiah."]
    assert sentences("It rose 2.5 percent to 1,770. In 2030 it may be 1,000.", "en") == [
        "It rose 2.5 percent to 1,770.",
        "In 2030 it may be 1,000.",
    ]


def test_lower_case_after_an_ellipsis_continues_and_upper_case_starts_a_sentence():
    assert sentences("They're inquisitive ... they aren't out to hurt you.", "en") == [
        "They're inquisitive ... they aren't out to hurt you."
    ]
    assert sentences("Wait… Then it started!", "en") == ["Wait…", "Then it started!"]


# --- lines, ranges, languages ----------------------------------------------------------


def test_headline_without_final_punctuation_stands_alone():
    text = "Pemilu AS 2024: Donald Trump mengendarai truk sampah\nKalimat berikutnya di sini."
    assert sentences(text, "id") == ["Pemilu AS 2024: Donald Trump mengendarai truk sampah", "Kalimat berikutnya di sini."]


def test_ranges_restrict_segmentation_to_the_kept_text():
    text = "Dropped intro. Kept one. Kept two.\nDropped footer."
    start = text.index("Kept")
    spans = split_sentences(text, "en", [(start, text.index("\n"))])
    assert [text[s:e] for s, e in spans] == ["Kept one.", "Kept two."]


def test_generic_fallback_language():
    assert sentences("Première phrase. Deuxième phrase! Mr. Dupont arrive.", "fr") == [
        "Première phrase.",
        "Deuxième phrase!",
        "Mr. Dupont arrive.",
    ]


def test_the_segmentation_version_is_a_short_string():
    assert isinstance(SEGMENTATION_VERSION, str) and 0 < len(SEGMENTATION_VERSION) <= 16


def test_every_span_slices_its_sentence_from_the_article():
    for path in (VI, ID):
        a = read_article(path)
        spans = split_sentences(a.text, a.lang, a.kept_ranges())
        assert spans, path
        for s, e in spans:
            assert a.text[s:e] == a.text[s:e].strip() and a.text[s:e]
        # spans are ordered and disjoint
        assert all(e1 <= s2 for (_, e1), (s2, _) in zip(spans, spans[1:]))
    # 15, not 14: the opening two-sentence quotation is now two sentences.
    vi = read_article(VI)
    first = [vi.text[s:e] for s, e in split_sentences(vi.text, "vi")][:2]
    assert first[0].endswith("vũ khí hạt nhân.") and first[1].startswith("Hai nhà lãnh đạo cũng nhấn mạnh")
    assert len(split_sentences(vi.text, "vi")) == 15
    a = read_article(ID)
    assert len(split_sentences(a.text, "id", a.kept_ranges())) == 9


# --- clauses ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang, text, expected",
    [
        (
            "en",
            "The two leaders affirmed the need for human control, but they did not agree on how to verify it.",
            ["The two leaders affirmed the need for human control,", "but they did not agree on how to verify it."],
        ),
        (
            "en",
            "The talks, which began in May in Geneva, did not cover nuclear weapons; officials said that a new round would start at 10:30 on Monday.",
            [
                "The talks, which began in May in Geneva, did not cover nuclear weapons;",
                "officials said that a new round would start at 10:30 on Monday.",
            ],
        ),
        (
            "en",
            "Beijing has about 500 operational warheads and will likely have more than 1,000 by 2030.",
            ["Beijing has about 500 operational warheads", "and will likely have more than 1,000 by 2030."],
        ),
        (
            "en",
            "The US Defense Department said that China is expanding its arsenal quickly.",
            ["The US Defense Department said", "that China is expanding its arsenal quickly."],
        ),
        (
            "en",
            "The statement marked a first step on two issues: nuclear weapons and artificial intelligence.",
            ["The statement marked a first step on two issues:", "nuclear weapons and artificial intelligence."],
        ),
        (
            "en",
            "US officials expressed frustration after China showed little interest in the talks.",
            ["US officials expressed frustration", "after China showed little interest in the talks."],
        ),
    ],
)
def test_english_clauses(lang, text, expected):
    assert clauses(text, lang) == expected


def test_lists_and_restrictive_relatives_are_not_split():
    text = "Sainsbury's is taking on Boots, Superdrug and Debenhams with department store-style beauty counters."
    assert clauses(text, "en") == [text]
    text = "The plan which the council approved last year will cost a great deal of money."
    assert clauses(text, "en") == [text]


def test_a_clause_is_never_shorter_than_the_minimum():
    # "but it failed" and "he said" are too short to stand alone.
    assert clauses("The minister tried hard to win the vote but it failed.", "en") == [
        "The minister tried hard to win the vote but it failed."
    ]
    assert clauses("We will stay; he said.", "en") == ["We will stay; he said."]
    assert clauses("Officials said: the talks collapsed after midnight.", "en") == [
        "Officials said: the talks collapsed after midnight."
    ]


def test_a_sentence_without_a_split_point_is_one_clause():
    text = "Labour is no longer a broad church."
    assert split_clauses(text, "en") == [(0, len(text))]
    assert split_clauses("  Padded sentence here.  ", "en") == [(2, 23)]
    assert split_clauses("", "en") == [] and split_clauses("   ", "vi") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Hai nước đã nối lại các cuộc đàm phán hồi tháng 11 nhưng các cuộc đàm phán đó đã gặp bế tắc.",
            ["Hai nước đã nối lại các cuộc đàm phán hồi tháng 11", "nhưng các cuộc đàm phán đó đã gặp bế tắc."],
        ),
        (
            "Các học giả Trung Quốc cho biết, chính sách của họ vẫn không thay đổi.",
            ["Các học giả Trung Quốc cho biết,", "chính sách của họ vẫn không thay đổi."],
        ),
        (
            "Trung Quốc và Mỹ đã khởi động các cuộc đàm phán song phương tại Geneva, song những cuộc đàm phán đó không đề cập đến vũ khí hạt nhân.",
            [
                "Trung Quốc và Mỹ đã khởi động các cuộc đàm phán song phương tại Geneva,",
                "song những cuộc đàm phán đó không đề cập đến vũ khí hạt nhân.",
            ],
        ),
        (
            "Các quan chức đã bày tỏ sự thất vọng sau khi Trung Quốc không quan tâm đến đàm phán.",
            ["Các quan chức đã bày tỏ sự thất vọng", "sau khi Trung Quốc không quan tâm đến đàm phán."],
        ),
        (
            "Các quan chức nước này đôi khi cũng kêu gọi các cường quốc khác áp dụng lập trường tương tự.",
            ["Các quan chức nước này đôi khi cũng kêu gọi các cường quốc khác áp dụng lập trường tương tự."],
        ),
        (
            "Ông Darrell Kimball nói rằng các cuộc đàm phán sẽ tập trung vào sự minh bạch.",
            ["Ông Darrell Kimball nói", "rằng các cuộc đàm phán sẽ tập trung vào sự minh bạch."],
        ),
    ],
)
def test_vietnamese_clauses(text, expected):
    assert clauses(text, "vi") == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Pentagon mengatakan pada bulan Oktober bahwa Tiongkok memiliki lebih dari 500 hulu ledak nuklir, dan kemungkinan akan memiliki lebih dari 1.000 hulu ledak pada tahun 2030.",
            [
                "Pentagon mengatakan pada bulan Oktober",
                "bahwa Tiongkok memiliki lebih dari 500 hulu ledak nuklir,",
                "dan kemungkinan akan memiliki lebih dari 1.000 hulu ledak pada tahun 2030.",
            ],
        ),
        (
            "Pembicaraan itu bertujuan menyelamatkan hubungan kedua negara setelah Amerika Serikat menembak jatuh balon mata-mata Tiongkok.",
            [
                "Pembicaraan itu bertujuan menyelamatkan hubungan kedua negara",
                "setelah Amerika Serikat menembak jatuh balon mata-mata Tiongkok.",
            ],
        ),
        (
            "Gedung Putih mengatakan diskusi itu penting, tetapi pembicaraan formal belum akan dimulai.",
            ["Gedung Putih mengatakan diskusi itu penting,", "tetapi pembicaraan formal belum akan dimulai."],
        ),
        (
            "Darrell Kimball adalah direktur asosiasi itu, yang berbasis di Washington sejak lama.",
            ["Darrell Kimball adalah direktur asosiasi itu,", "yang berbasis di Washington sejak lama."],
        ),
        (
            "Perundingan senjata yang tertunda kemungkinan akan fokus pada transparansi.",
            ["Perundingan senjata yang tertunda kemungkinan akan fokus pada transparansi."],
        ),
    ],
)
def test_indonesian_clauses(text, expected):
    assert clauses(text, "id") == expected


def test_generic_clauses_split_only_at_punctuation():
    text = "La réunion a commencé tôt le matin; les ministres sont arrivés et ils ont parlé longtemps."
    assert clauses(text, "fr") == ["La réunion a commencé tôt le matin;", "les ministres sont arrivés et ils ont parlé longtemps."]


# --- properties -----------------------------------------------------------------------

_ALPHABET = st.one_of(
    st.sampled_from(list("aAbBzZ ăđôƯẠỹ019 .,;:!?…\"'“”‘’«»()[]-\n\r\t\u00a0\u2028\u3000")),
    st.sampled_from(["No. ", "U.S. ", "J. ", "p.m. ", " và ", " and ", " yang ", ", but ", "10:30", "1.000", "Ông "]),
    st.characters(),
)
_TEXT = st.lists(_ALPHABET, max_size=80).map("".join)
_LANG = st.sampled_from(["en", "vi", "id", "fr"])


def _check_spans(text, spans, lo, hi):
    assert spans == sorted(spans)
    for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
        assert e1 <= s2
    for s, e in spans:
        assert lo <= s < e <= hi
        assert not text[s].isspace() and not text[e - 1].isspace()


def _covered(spans, n):
    inside = [False] * n
    for s, e in spans:
        for i in range(s, e):
            inside[i] = True
    return inside


@st.composite
def _text_and_ranges(draw):
    text = draw(_TEXT)
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=6))))
    ranges = [(a, b) for a, b in zip(cuts[::2], cuts[1::2]) if a < b]
    return text, (draw(st.booleans()) and ranges) or None


@settings(max_examples=400, deadline=None)
@given(_text_and_ranges(), _LANG)
def test_sentence_spans_are_sorted_disjoint_stripped_and_cover_the_kept_text(text_ranges, lang):
    text, ranges = text_ranges
    spans = split_sentences(text, lang, ranges)
    kept = ranges or [(0, len(text))]
    _check_spans(text, spans, 0, len(text))
    for s, e in spans:
        assert any(a <= s and e <= b for a, b in kept)  # inside one kept range
        assert len(text[s:e].splitlines()) == 1  # never across a line
    inside = _covered(spans, len(text))
    in_kept = _covered(kept, len(text))
    for i, ch in enumerate(text):
        if not in_kept[i]:
            assert not inside[i], (i, ch)  # nothing outside the kept ranges
        elif not ch.isspace():
            assert inside[i], (i, ch)  # every kept non-space character


@settings(max_examples=400, deadline=None)
@given(_TEXT, _LANG)
def test_clause_spans_are_sorted_disjoint_stripped_and_cover_the_sentence(text, lang):
    spans = split_clauses(text, lang)
    _check_spans(text, spans, 0, len(text))
    inside = _covered(spans, len(text))
    for i, ch in enumerate(text):
        if not ch.isspace():
            assert inside[i], (i, ch)
    if len(spans) > 1:
        for s, e in spans:
            words = [t for t in text[s:e].split() if any(c.isalnum() for c in t)]
            assert len(words) >= MIN_CLAUSE_WORDS


@settings(max_examples=200, deadline=None)
@given(_TEXT, _LANG)
def test_clauses_of_each_sentence_stay_inside_it(text, lang):
    for s, e in split_sentences(text, lang):
        for cs, ce in split_clauses(text[s:e], lang):
            assert 0 <= cs < ce <= e - s


def test_clause_words_are_matched_as_whole_words():
    # "android" holds "and", "bahwasanya" holds "bahwa": neither is a split point.
    text = "The new android phone sold very well in many markets this year."
    assert clauses(text, "en") == [text]
    assert clauses("Dia bilang bahwasanya harga naik cukup tinggi tahun ini.", "id") == [
        "Dia bilang bahwasanya harga naik cukup tinggi tahun ini."
    ]


# ------------------------------------------------------------------ issue 22 item 7: no sentence over MAX_SENTENCE_CHARS


def test_a_sentence_over_the_limit_is_split_at_clause_then_word_boundaries():
    from aligner.segment import MAX_SENTENCE_CHARS

    assert MAX_SENTENCE_CHARS == 1000 and SEGMENTATION_VERSION == "4"
    words = " ".join(f"từ{i}" for i in range(1500))  # about 9,000 characters, no punctuation
    spans = split_sentences(words, "vi")
    pieces = [words[s:e] for s, e in spans]
    assert max(len(p) for p in pieces) <= MAX_SENTENCE_CHARS
    assert " ".join(pieces) == words  # cut between words only, nothing lost
    assert all(not p.startswith(" ") and not p.endswith(" ") for p in pieces)

    clauses = ", ".join(f"mệnh đề số {i} ở đây" for i in range(200))
    pieces = [clauses[s:e] for s, e in split_sentences(clauses, "vi")]
    assert len(pieces) > 1 and all(p.endswith(",") for p in pieces[:-1])  # at a comma, not mid-clause
    assert " ".join(pieces) == clauses

    run = "x" * 2500  # no space at all: cut every MAX_SENTENCE_CHARS characters
    assert split_sentences(run, "en") == [(0, 1000), (1000, 2000), (2000, 2500)]


def test_a_long_sentence_under_the_limit_is_untouched():
    text = "The storm, which hit on Saturday, " + "killed many people in the north, " * 25 + "officials said."
    assert len(text) < 1000
    assert split_sentences(text, "en") == [(0, len(text))]
