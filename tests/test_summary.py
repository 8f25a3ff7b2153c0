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


def test_a_relative_date_never_conflicts_with_an_absolute_one():
    # an October report may well be a report of last year: without the publication date they are not comparable
    assert conflicts("The talks were held last year.", "The talks were held in October.") == []


def test_two_different_months_are_a_time_conflict():
    assert conflicts("The talks were held in September.", "The talks were held in October.") == [
        ("time", (("September",), ("October",)))
    ]


def test_a_figure_one_side_leaves_out_is_no_conflict():
    assert conflicts("The US arsenal is much larger.", "The US has 3,700 warheads.") == []
    assert conflicts("Floods killed 59 people and injured 12.", "Floods killed 59 people.") == []


def test_qualifiers_are_soft_and_different_values_hard():
    r = Result((article("en", ["It has about 500 warheads and 59 people died."]),
                article("en", ["It has more than 500 warheads and 63 people died."])), (link(0, 0),))
    s = summarise(r)
    assert [(c.kind, c.severity, c.values) for c in s.conflicts] == [
        ("number", "hard", (("59",), ("63",))),
        ("quantity", "soft", (("about 500",), ("more than 500",))),
    ]
    assert len(s.discrepancies) == 1 and s.discrepancies[0].severity == "hard"


def test_summary_record_stores_each_sentence_pair_once_with_all_its_kinds():
    from aligner.summary import summary_record

    r = Result((article("en", ["It has about 500 warheads and 59 people died in September."]),
                article("en", ["It has more than 500 warheads and 63 people died in October."])), (link(0, 0),))
    record = summary_record(r)
    assert record["discrepancies"] == [{
        "group": 0,
        "members": [{"article": 0, "sentences": [0]}, {"article": 1, "sentences": [0]}],
        "severity": "hard",
        "differences": [
            {"kind": "number", "severity": "hard", "sides": [
                {"article": 0, "sentence": 0, "value": "59", "start": 30, "end": 32, "span_in": "english"},
                {"article": 1, "sentence": 0, "value": "63", "start": 34, "end": 36, "span_in": "english"}]},
            {"kind": "time", "severity": "hard", "sides": [
                {"article": 0, "sentence": 0, "value": "September", "start": 48, "end": 57, "span_in": "english"},
                {"article": 1, "sentence": 0, "value": "October", "start": 52, "end": 59, "span_in": "english"}]},
            {"kind": "quantity", "severity": "soft", "sides": [
                {"article": 0, "sentence": 0, "value": "about 500", "start": 7, "end": 16, "span_in": "english"},
                {"article": 1, "sentence": 0, "value": "more than 500", "start": 7, "end": 20, "span_in": "english"}]},
        ],
    }]


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


def test_provenance_says_where_a_glossary_was_found_unless_it_was_given():
    """A glossary aligner found by itself is named with where it was found (a user who did not
    give one must be able to tell which file moved the result); one given by name is not."""
    from aligner.summary import provenance_lines

    def line(found_in):
        glossary = {"path": "/home/u/.config/aligner/glossary.csv", "sha256": "ab" * 32}
        if found_in:
            glossary["found_in"] = found_in
        return [x for x in provenance_lines({"glossary": glossary, "articles": []}) if x.startswith("glossary")]

    assert line("user config folder") == [
        "glossary: /home/u/.config/aligner/glossary.csv, found in the user config folder (sha256 abababababab)"]
    assert line("current folder") == [
        "glossary: /home/u/.config/aligner/glossary.csv, found in the current folder (sha256 abababababab)"]
    assert line("given") == line(None) == ["glossary: /home/u/.config/aligner/glossary.csv (sha256 abababababab)"]
