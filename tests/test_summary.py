"""Conflicts and central sentences, on hand-built results (no models)."""

from aligner.model import ArticleResult, Evidence, Link, Member, Result, Sentence
from aligner.summary import summarise


def article(lang, englishes, texts=None):
    texts = texts or englishes
    sentences = tuple(Sentence(i, 0, len(t), t, e, "memory") for i, (t, e) in enumerate(zip(texts, englishes)))
    return ArticleResult(path=f"{lang}.txt", lang=lang, lang_detected=False, sha256="", dropped=(), sentences=sentences)


def link(a, b, score=2.0):
    return Link((Member(0, (a,)), Member(1, (b,))), score, Evidence("english", 0.9, score))


def conflicts(en_a, en_b, text_a=None, text_b=None, lang_a="en", lang_b="en"):
    r = Result((article(lang_a, [en_a], [text_a or en_a]), article(lang_b, [en_b], [text_b or en_b])), (link(0, 0),))
    return [(c.kind, c.values) for c in summarise(r).conflicts]


def test_different_numbers_are_a_number_conflict():
    assert conflicts("Ten soldiers died.", "Twelve soldiers died.", "10 soldiers died.", "12 soldiers died.") == [
        ("number", (("10",), ("12",)))
    ]


def test_the_same_number_written_two_ways_is_no_conflict():
    assert conflicts("It has 1,000 warheads.", "It has 1,000 warheads.", "Nó có 1.000 đầu đạn.", "It has 1,000 warheads.", "vi") == []


def test_different_qualifiers_of_one_quantity_are_a_quantity_conflict():
    assert conflicts("It has about 500 warheads.", "It has more than 500 warheads.") == [
        ("quantity", (("about 500",), ("more than 500",)))
    ]


def test_different_times_are_a_time_conflict():
    assert conflicts("The talks were held last year.", "The talks were held in October.") == [
        ("time", (("last year",), ("october",)))
    ]


def test_a_number_against_a_comparison_is_a_quantity_conflict():
    assert conflicts("The US arsenal is much larger.", "The US has 3,700 warheads.") == [
        ("quantity", (("much larger",), ("3700",)))
    ]


def test_central_sentences_are_the_ones_most_like_the_rest_of_their_article():
    english = [
        "China nuclear warheads arsenal grows.",
        "The weather was mild.",
        "China expands its nuclear arsenal of warheads.",
        "Nuclear warheads in China's arsenal.",
        "A cat sat on a mat.",
    ]
    r = Result((article("en", english), article("en", ["Unrelated."])), ())
    central = summarise(r, central=3).central[0]
    assert [s.index for s in central] == [0, 2, 3]
    assert summarise(r, central=0).central[0] == ()
