"""The glossary matching and post-editing rules, one by one, on small hand-made concepts.

Each test pins one rule a user relies on (leftmost-longest matching, word boundaries, case,
plurals, the avoid -> canonical rewrite, the audit) with the exact texts and statuses.
"""

import pytest

from aligner.glossary.enforce import MAX_VARIANT_WORDS, Matcher, apply, audit, phrase_pattern
from aligner.glossary.file import Concept
from aligner.model import GlossaryHit


def concept(en, *variants, lang="vi", avoid=(), accepted=(), case=False):
    return Concept(
        en=en,
        variants={lang: tuple(variants)},
        accepted=tuple(accepted),
        avoid=tuple(avoid),
        case=case,
    )


def found(matcher, text, lang="vi"):
    return [(c.en, variant) for c, variant in matcher.find(text, lang)]


def test_leftmost_match_wins_over_a_longer_one_starting_later():
    m = Matcher([concept("alpha beta", "a b"), concept("beta gamma delta", "b c d")])
    assert found(m, "x a b c d y") == [("alpha beta", "a b")]


def test_longest_variant_at_a_position_wins_and_matching_resumes_after_it():
    m = Matcher([concept("short", "a"), concept("long", "a b"), concept("tail", "c")])
    assert found(m, "a b c a") == [("long", "a b"), ("tail", "c"), ("short", "a")]


def test_a_word_that_starts_no_variant_is_skipped_and_the_next_one_matches():
    m = Matcher([concept("rice", "gạo")])
    assert found(m, "giá gạo tăng, gạo") == [("rice", "gạo"), ("rice", "gạo")]
    assert found(m, "giá gạo", lang="id") == []


def test_a_concept_twice_in_one_sentence_gives_one_hit():
    m = Matcher([concept("rice", "gạo", "lúa gạo")])
    assert found(m, "lúa gạo và gạo") == [("rice", "lúa gạo"), ("rice", "gạo")]
    english, hits = apply(m, "vi", "lúa gạo và gạo", "rice and rice", rewrite=True)
    assert english == "rice and rice"
    assert hits == (GlossaryHit("rice", "lúa gạo", "ok"),)


def test_a_variant_matches_only_whole_words_and_across_spacing():
    m = Matcher([concept("Russia", "Nga", case=True)])
    assert found(m, "ngay Nga") == [("Russia", "Nga")]
    assert found(m, "Ngay") == []
    assert found(m, "nga") == []  # case-sensitive
    folded = Matcher([concept("Russia", "Nga")])
    assert found(folded, "NGA và nga") == [("Russia", "NGA"), ("Russia", "nga")]


def test_variants_longer_than_the_limit_are_ignored():
    long = " ".join(["từ"] * (MAX_VARIANT_WORDS + 1))
    edge = " ".join(["chữ"] * MAX_VARIANT_WORDS)
    m = Matcher([concept("too long", long), concept("at the limit", edge)])
    assert found(m, long) == []
    assert found(m, edge) == [("at the limit", edge)]


def test_a_sentence_without_english_is_untranslated():
    m = Matcher([concept("rice", "gạo")])
    assert apply(m, "vi", "giá gạo", None, rewrite=True) == (
        None,
        (GlossaryHit("rice", "gạo", "untranslated"),),
    )


def test_canonical_accepted_and_plural_forms_are_ok():
    m = Matcher([concept("warhead", "đầu đạn", accepted=("nuclear device",))])
    for english in ("Two warheads.", "A warhead.", "A nuclear-device test.", "Nuclear  devices."):
        assert apply(m, "vi", "đầu đạn", english, rewrite=False)[1] == (
            GlossaryHit("warhead", "đầu đạn", "ok"),
        )


def test_machine_english_is_rewritten_in_the_same_number_and_memory_english_is_not():
    m = Matcher([concept("warhead", "đầu đạn", avoid=("bomb head",))])
    english, hits = apply(m, "vi", "đầu đạn", "Two bomb heads and a bomb-head.", rewrite=True)
    assert english == "Two warheads and a warhead."
    assert hits == (
        GlossaryHit(
            "warhead", "đầu đạn", "post-edited", ("bomb heads -> warheads", "bomb-head -> warhead")
        ),
    )
    english, hits = apply(m, "vi", "đầu đạn", "Two bomb heads.", rewrite=False)
    assert english == "Two bomb heads."
    assert hits == (GlossaryHit("warhead", "đầu đạn", "violation"),)


def test_english_without_the_term_or_an_avoided_form_is_a_violation():
    m = Matcher([concept("warhead", "đầu đạn", avoid=("bomb head",)), concept("rice", "gạo")])
    english, hits = apply(m, "vi", "gạo và đầu đạn", "Grain and explosives.", rewrite=True)
    assert english == "Grain and explosives."
    assert hits == (
        GlossaryHit("rice", "gạo", "violation"),
        GlossaryHit("warhead", "đầu đạn", "violation"),
    )


def test_phrase_pattern_prefers_the_longest_form_and_respects_case():
    pattern = phrase_pattern(("US", "US Department of Defense"), case=True)
    assert (
        pattern.search("the US Department of Defense said").group(0) == "US Department of Defense"
    )
    assert pattern.search("the us said") is None
    assert phrase_pattern(("us",), case=False).search("the US said").group(0) == "US"
    assert phrase_pattern(("war head",), case=False).search("warheads") is None


def test_audit_names_every_rendering_of_a_concept_rendered_more_than_one_way():
    m = Matcher([concept("warhead", "đầu đạn", avoid=("bomb head",)), concept("rice", "gạo")])
    rows = []
    for n, english in enumerate(["A warhead.", "A bomb head.", "Something.", None]):
        _, hits = apply(m, "vi", "đầu đạn", english, rewrite=False)
        rows.append((1, n, english, hits))
    _, hits = apply(m, "vi", "gạo", "Rice.", rewrite=False)
    rows.append((2, 0, "Rice.", hits))
    assert audit(m, rows) == [
        {
            "concept": "warhead",
            "renderings": {"canonical": [[1, 0]], "bomb head": [[1, 1]], "(missing)": [[1, 2]]},
        }
    ]


def test_a_concept_rendered_one_way_is_not_in_the_audit():
    m = Matcher([concept("rice", "gạo")])
    rows = [(0, n, "Rice.", apply(m, "vi", "gạo", "Rice.", rewrite=False)[1]) for n in range(3)]
    assert audit(m, rows) == []


@pytest.mark.parametrize("text", ["a b a b", "b a b a b"])
def test_repeated_two_word_variants_are_each_found_once(text):
    m = Matcher([concept("pair", "a b")])
    assert found(m, text) == [("pair", "a b"), ("pair", "a b")]
