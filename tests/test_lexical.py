"""Content words and their tf-idf overlap: the lexical evidence of a link."""

import pytest

from aligner.align import AlignParams, PairScorer, link_pair
from aligner.align.lexical import WordOverlap
from aligner.facts import content_word_forms, content_words, shared_word_spans
from tests.test_align import article, random_basis, unit


def test_content_words_drop_function_words_and_take_snowball_stems():
    words = content_words("Since then, US officials have expressed frustration that China's talks stalled.")
    assert words == {"offici", "express", "frustrat", "talk", "stall"}  # names are not content words
    assert content_words("expressing") == content_words("expressed") == {"express"}
    assert content_words("the of and") == frozenset()


def test_plurals_in_ies_and_irregular_endings_share_the_singulars_stem():
    # the plain rule of before kept "countrie" and "increas" apart from "country" and "increase"
    assert content_words("countries") == content_words("country") == {"countri"}
    assert content_words("increased") == content_words("increase") == {"increas"}
    assert content_words("fatalities") == content_words("fatality") == {"fatal"}


def test_the_forms_shown_are_the_first_words_that_have_each_stem():
    forms = content_word_forms("Weapons talks: officials said the weapon talks and more officials.")
    assert forms == {"weapon": "weapons", "talk": "talks", "offici": "officials"}


def test_shared_words_are_shown_as_sentence_a_writes_them_not_as_stems():
    w = WordOverlap(["Both countries expressed frustration.", "Rain fell."],
                    ["The country is expressing its frustrations.", "Sun shone."])
    assert w.shared((0,), (0,)) == ("countries", "expressed", "frustration")
    assert w.shared((1, 0), (0,)) == ("countries", "expressed", "frustration")


def test_shared_word_spans_find_every_form_of_a_shown_word_or_an_old_stem():
    text = "The officials were expressing frustration about the countries."
    spans = shared_word_spans(text, ("official", "Countries", "frustrate"))
    assert [text[s:e] for s, e in spans] == ["officials", "frustration", "countries"]
    # a result written before Snowball stores the plain stems ("express"): still found
    assert [text[s:e] for s, e in shared_word_spans(text, ("express",))] == ["expressing"]
    assert shared_word_spans(text, ("", "x" * 300, "ü")) == []


def test_importing_facts_leaves_the_stemmer_unloaded_until_a_word_is_stemmed():
    import subprocess
    import sys

    code = ("import sys, aligner, aligner.facts as f; print('snowballstemmer' in sys.modules); "
            "f.content_words('officials'); print('snowballstemmer' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True"]


def test_a_rare_shared_word_weighs_more_than_a_word_every_sentence_has():
    a = ["Officials voiced frustration about missiles.", "Officials tested a missile.", "Officials held talks."]
    b = ["Officials noted frustration with missiles.", "Officials opened a museum."]
    w = WordOverlap(a, b)
    assert w.similarity(0, 0) > w.similarity(0, 1)
    assert w.shared((0,), (0,)) == ("frustration", "missiles", "officials")  # rarest first
    assert w.similarity(0, 0) > w.similarity(1, 1)  # a shared missile weighs more than shared officials
    assert 0 < w.strength(0, 0) <= 1.0
    assert 0.0 <= min(w.similarity(i, j) for i in range(3) for j in range(2))
    assert max(w.similarity(i, j) for i in range(3) for j in range(2)) <= 1.0 + 1e-9


def test_identical_english_scores_one_and_missing_english_zero():
    w = WordOverlap(["Rice prices fell sharply.", None, "A storm hit."], ["Rice prices fell sharply.", "Storm damage."])
    assert w.similarity(0, 0) == pytest.approx(1.0)
    assert w.similarity(1, 0) == 0.0 and w.similarity(1, 1) == 0.0


def test_shared_rare_words_overturn_a_small_lead_in_the_vectors():
    # sentence 0 of B is a little closer (by margin) to sentence 1 of A than to
    # sentence 0; only sentence 0 of A shares its rare word
    facts = random_basis(5, seed=7)
    a = article(unit([facts[0] + facts[1], facts[0] + facts[2], facts[3]]))
    b = article(unit([facts[0] * 2 + facts[1] * 1.2 + facts[2], facts[4]]))
    scorer = PairScorer(a, b, 4, 0.5, AlignParams().part_penalty)
    x, y = scorer.cells([(0, 0), (1, 0)])
    assert 0 < y.score - x.score < 0.1
    words = WordOverlap(["Officials voiced frustration.", "Talks on arms resumed.", "A museum opened."],
                        ["Officials expressed frustration over arms.", "Rain fell."])
    nums = [()] * 3, [()] * 2
    threshold = x.score - 0.01
    without = link_pair(scorer, *nums, AlignParams(threshold=threshold, word_bonus=0.0, merge_gain=9.0), words)
    assert [(l.a, l.b) for l in without] == [((1,), (0,))]
    found = link_pair(scorer, *nums, AlignParams(threshold=threshold, word_bonus=0.3, merge_gain=9.0), words)
    assert [(l.a, l.b) for l in found] == [((0,), (0,))]


def test_a_result_without_shared_words_still_loads():
    import json
    from pathlib import Path

    from aligner.result import from_dict

    d = json.loads((Path(__file__).parent / "data" / "example-result.json").read_text(encoding="utf-8"))
    assert any(link["evidence"]["words"] for link in d["links"])
    for link in d["links"]:
        del link["evidence"]["words"]
    assert all(link.evidence.words == () for link in from_dict(d).links)
