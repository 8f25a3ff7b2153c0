from aligner.ingest import read_article
from aligner.segment import split_sentences
from tests.conftest import ID, VI


def sentences(text, lang):
    return [text[s:e] for s, e in split_sentences(text, lang)]


def test_quote_spanning_two_sentences_stays_one_sentence():
    text = '"Hai nhà lãnh đạo khẳng định điều đó. Hai nhà lãnh đạo cũng nhấn mạnh", Nhà Trắng cho biết. Tiếp theo là câu khác.'
    assert sentences(text, "vi") == [
        '"Hai nhà lãnh đạo khẳng định điều đó. Hai nhà lãnh đạo cũng nhấn mạnh", Nhà Trắng cho biết.',
        "Tiếp theo là câu khác.",
    ]


def test_curly_quotes_close_then_split():
    text = "“Tetapi kita tidak berharap,” kata Kimball. “Ini akan memakan waktu.”"
    assert sentences(text, "id") == ["“Tetapi kita tidak berharap,” kata Kimball.", "“Ini akan memakan waktu.”"]


def test_unbalanced_quote_does_not_swallow_the_paragraph():
    text = '"Kalimat pertama tanpa penutup. Kalimat kedua. Kalimat ketiga.'
    assert len(sentences(text, "id")) == 3


def test_thousand_separators_are_not_boundaries():
    text = "Mỹ có 1.770 đầu đạn và Nga có 1.710 đầu đạn. Trung Quốc có 500."
    assert sentences(text, "vi") == ["Mỹ có 1.770 đầu đạn và Nga có 1.710 đầu đạn.", "Trung Quốc có 500."]


def test_abbreviations():
    assert len(sentences("U.S. officials met Dr. Smith in Geneva. Talks ended.", "en")) == 2
    assert len(sentences("Tn. Budi bertemu Dr. Sari di Jakarta. Mereka setuju.", "id")) == 2
    assert len(sentences("GS. TS. Nguyễn Văn A phát biểu tại hội nghị. Sau đó là thảo luận.", "vi")) == 2


def test_an_indonesian_sentence_ending_in_AS_still_ends():
    assert sentences("Pejabat itu berbicara dengan AS. Namun Beijing menolak.", "id") == [
        "Pejabat itu berbicara dengan AS.",
        "Namun Beijing menolak.",
    ]


def test_headline_without_final_punctuation_stands_alone():
    text = "Pemilu AS 2024: Donald Trump mengendarai truk sampah\nKalimat berikutnya di sini."
    assert sentences(text, "id") == ["Pemilu AS 2024: Donald Trump mengendarai truk sampah", "Kalimat berikutnya di sini."]


def test_generic_fallback_language():
    assert len(sentences("Première phrase. Deuxième phrase!", "fr")) == 2


def test_every_span_slices_its_sentence_from_the_article():
    for path in (VI, ID):
        a = read_article(path)
        spans = split_sentences(a.text, a.lang, a.kept_ranges())
        assert spans, path
        for s, e in spans:
            assert a.text[s:e] == a.text[s:e].strip() and a.text[s:e]
        # spans are ordered and disjoint
        assert all(e1 <= s2 for (_, e1), (s2, _) in zip(spans, spans[1:]))
    assert len(split_sentences(read_article(VI).text, "vi")) == 14
    a = read_article(ID)
    assert len(split_sentences(a.text, "id", a.kept_ranges())) == 9


def test_a_one_letter_vietnamese_word_ends_a_sentence():
    assert len(sentences("Trận đấu diễn ra tại Naples, Ý. Chelsea thắng.", "vi")) == 2
    assert len(sentences("Ông J. Biden phát biểu.", "vi")) == 1
