"""Glossary matching rules that the mutation benchmark found unguarded (issue 23 item 5).

Each test pins, with literal texts, a behaviour of :mod:`aligner.glossary.enforce` that a
change to one constant or one step of the matcher would alter: the 24-word limit on a
variant, matching resuming right after a word that starts a variant but completes none, and
the matcher looking up no phrase at words that start no variant.
"""

import pytest

from aligner.glossary.enforce import Matcher, apply
from aligner.glossary.file import Concept
from aligner.model import GlossaryHit


def concept(en, *variants, lang="vi", avoid=(), case=False):
    return Concept(en=en, variants={lang: tuple(variants)}, accepted=(), avoid=tuple(avoid), case=case)


def found(matcher, text, lang="vi"):
    return [(c.en, variant) for c, variant in matcher.find(text, lang)]


TWENTY_FOUR = (
    "một hai ba bốn năm sáu bảy tám chín mười "
    "mười một mười hai mười ba mười bốn mười lăm mười sáu mười bảy"
)  # 24 words
TWENTY_FIVE = TWENTY_FOUR + " tám"


def test_a_variant_of_24_words_matches_and_one_of_25_words_does_not():
    assert (len(TWENTY_FOUR.split()), len(TWENTY_FIVE.split())) == (24, 25)
    m = Matcher([concept("count to seventeen", TWENTY_FOUR), concept("too long", "x " + TWENTY_FOUR)])
    assert found(m, "x " + TWENTY_FOUR) == [("count to seventeen", TWENTY_FOUR)]
    m = Matcher([concept("count on", TWENTY_FIVE), concept("one", "một")])
    assert found(m, TWENTY_FIVE) == [("one", "một"), ("one", "một")]  # một, mười một
    english, hits = apply(m, "vi", TWENTY_FIVE, "One.", rewrite=True)
    assert (english, hits) == ("One.", (GlossaryHit("one", "một", "ok"),))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a c a b", [("pair", "a b")]),  # 'a' starts the variant but 'a c' is not it
        ("a a b", [("pair", "a b")]),  # the second 'a' is where the variant starts
        ("a", []),  # a first word at the end of the sentence
        ("a a a b c a b", [("pair", "a b"), ("pair", "a b")]),
    ],
)
def test_after_a_word_that_starts_a_variant_but_completes_none_matching_resumes_at_the_next_word(
    text, expected
):
    m = Matcher([concept("pair", "a b")])
    assert found(m, text) == expected


def test_a_half_matched_variant_does_not_hide_the_term_right_after_it():
    # "đầu" opens the variant "đầu đạn hạt nhân" (nuclear warhead) but "đầu đạn bay" is not
    # it: "đạn" (bullet), the word right after, must still be matched
    m = Matcher([concept("nuclear warhead", "đầu đạn hạt nhân"), concept("bullet", "đạn")])
    assert found(m, "đầu đạn bay") == [("bullet", "đạn")]
    assert found(m, "lần đầu đạn hạt nhân") == [("nuclear warhead", "đầu đạn hạt nhân")]


class _CountingDict(dict):
    """A variant table that counts the phrases it is asked for."""

    def __init__(self, *args):
        super().__init__(*args)
        self.asked = []

    def get(self, key, default=None):
        self.asked.append(key)
        return super().get(key, default)


def test_words_that_start_no_variant_cost_no_phrase_lookup():
    # the class promises O(words x longest variant) lookups; words that start no variant are
    # skipped without any: a 1,000-word sentence with one term costs the lookups of that term only
    m = Matcher([concept("rice", "gạo"), concept("nuclear warhead", "đầu đạn hạt nhân")])
    exact, folded, longest = m.by_lang["vi"]
    counted = _CountingDict(folded)
    m.by_lang["vi"] = (exact, counted, longest)
    text = " ".join(["giá"] * 999 + ["gạo"])
    assert found(m, text) == [("rice", "gạo")]
    assert counted.asked == ["gạo"]


@pytest.mark.parametrize("variant", [TWENTY_FIVE, "—"], ids=["25 words", "no word"])
def test_a_language_whose_only_variants_are_ignored_matches_nothing(variant):
    """Was a KeyError (a traceback from align and review) when every variant of a language was
    over the word limit or had no word."""
    m = Matcher([concept("ignored", variant)])
    assert found(m, TWENTY_FIVE + " —") == []
