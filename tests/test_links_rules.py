"""The linking rules of :mod:`aligner.align.links`, one by one, on hand-made vectors.

Facts are random orthogonal-ish vectors; a sentence states one or more facts (a multi-clause
sentence has one part per fact).  Each test sets up the situation a rule is for and asserts the
exact links (sentences, kind, parts, score) a user would see.
"""

import numpy as np
import pytest

from aligner.align import AlignParams, ArticleVectors, PairScorer, link_pair
from aligner.align.lexical import WordOverlap
from aligner.align.links import MAX_NUMBER_EVIDENCE, link_articles
from aligner.errors import InputError
from aligner.model import Sentence
from tests.fakes_spaces import Sent, basis, space

F = basis(24, seed=5)


def sent(*facts, weights=None):
    """A sentence stating ``facts`` (indices into F, or vectors); clauses 0-9, 10-19, ..."""
    vectors = [F[f] if isinstance(f, int) else f for f in facts]
    weights = weights or [1.0] * len(vectors)
    vectors = [w * v for w, v in zip(weights, vectors)]
    parts = [((10 * k, 10 * k + 9), v) for k, v in enumerate(vectors)] if len(vectors) > 1 else []
    return Sent(sum(vectors), parts, (0, 10 * len(vectors)))


def cross(*sentences):
    """Cross-lingual vectors only, exactly the given ones (no English)."""
    return ArticleVectors(None, np.zeros(len(sentences), dtype=bool), space(list(sentences)))


def run(a, b, nums_a=None, nums_b=None, words=None, **params):
    # these vectors are cross-lingual only; the threshold a test sets is the one that applies
    params.setdefault("source_only_discount", 0.0)
    p = AlignParams(**params)
    scorer = PairScorer(a, b, p.k, 0.5, p.part_penalty)
    n, m = len(a.has_english), len(b.has_english)
    return link_pair(scorer, nums_a or [()] * n, nums_b or [()] * m, p, words), scorer


def pairs(found):
    """The links of the sentences a test is about (fillers at the end may link each other)."""
    return {(link.a, link.b) for link in found if not _filler(link)}


def _filler(link, first=3):
    return link.a[0] >= first and link.b[0] >= first


FILLER_A = [sent(12), sent(13), sent(14)]
FILLER_B = [sent(15), sent(16), sent(17)]


def test_the_threshold_is_inclusive():
    a, b = cross(sent(0), *FILLER_A), cross(sent(0), *FILLER_B)
    _, scorer = run(a, b)
    top = scorer.cells([(0, 0)])[0].score
    found, _ = run(a, b, threshold=top, merge_gain=9.0)
    assert pairs(found) == {((0,), (0,))}
    assert run(a, b, threshold=top + 1e-6)[0] == []


def test_number_evidence_counts_at_most_two_shared_numbers():
    a, b = cross(sent(0), *FILLER_A), cross(sent(0), *FILLER_B)
    nums_a, nums_b = [("1", "2", "3", "9")] + [()] * 3, [("3", "2", "1")] + [()] * 3
    found, scorer = run(a, b, nums_a, nums_b, number_bonus=0.5, merge_gain=9.0)
    margin = scorer.cells([(0, 0)])[0].score
    link = next(link for link in found if link.a == (0,))
    assert link.shared_numbers == ("1", "2", "3")
    assert link.score == round(margin + 0.5 * MAX_NUMBER_EVIDENCE, 4)
    assert link.similarity == round(margin, 4)
    one, _ = run(a, b, [("7",)] + [()] * 3, [("7",)] + [()] * 3, number_bonus=0.5, merge_gain=9.0)
    assert next(link for link in one if link.a == (0,)).score == round(margin + 0.5, 4)


def test_numbers_lift_a_pair_over_the_threshold_only_with_a_positive_bonus():
    a, b = cross(sent(0), *FILLER_A), cross(sent(0), *FILLER_B)
    _, scorer = run(a, b)
    margin = scorer.cells([(0, 0)])[0].score
    nums = [("5",), (), (), ()]
    assert pairs(
        run(a, b, nums, nums, threshold=margin + 0.2, number_bonus=0.25, merge_gain=9.0)[0]
    ) == {((0,), (0,))}
    assert (
        run(a, b, nums, nums, threshold=margin + 0.2, number_bonus=-0.25, merge_gain=9.0)[0] == []
    )


def test_word_evidence_adds_the_bonus_times_the_strength():
    a, b = cross(sent(0), *FILLER_A), cross(sent(0), *FILLER_B)
    words = WordOverlap(
        ["Frustration grew.", "Rain.", "Snow.", "Wind."],
        ["Frustration rose.", "Sun.", "Fog.", "Hail."],
    )
    found, scorer = run(a, b, words=words, word_bonus=0.4, merge_gain=9.0)
    margin = scorer.cells([(0, 0)])[0].score
    link = next(link for link in found if link.a == (0,))
    assert words.strength(0, 0) == 1.0
    assert link.score == round(margin + 0.4, 4)
    assert pairs(
        run(a, b, words=words, word_bonus=0.4, threshold=margin + 0.3, merge_gain=9.0)[0]
    ) == {((0,), (0,))}
    assert run(a, b, words=words, word_bonus=0.0, threshold=margin + 0.3, merge_gain=9.0)[0] == []


def test_the_mutual_bonus_rewards_mutual_parts_not_whole_sentences():
    # A0 states facts 0 and 1; B0 states fact 1 only: the best parts are A0's second clause and B0
    a = cross(sent(0, 1), *FILLER_A)
    b = cross(sent(1), sent(2), *FILLER_B)
    _, scorer = run(a, b)
    part = scorer.cells([(0, 0)])[0]
    assert part.mutual and part.part_a == (10, 19)
    found, _ = run(a, b, mutual_bonus=0.3, merge_gain=9.0)
    assert next(link.score for link in found if link.b == (0,)) == round(part.score + 0.3, 4)
    whole_a, whole_b = cross(sent(0), *FILLER_A), cross(sent(0), *FILLER_B)
    found, scorer = run(whole_a, whole_b, mutual_bonus=0.3, merge_gain=9.0)
    whole = scorer.cells([(0, 0)])[0]
    assert whole.mutual and whole.part_a is None
    assert next(link.score for link in found if link.a == (0,)) == round(whole.score, 4)


def test_two_sentences_each_already_linked_are_not_linked_to_each_other():
    # A0 = facts 0 + 1; B1 = facts 5 + (weak) 1: A0-B1 matches by non-overlapping parts but
    # both were linked first (A0-B0 by fact 0, A1-B1 by fact 5)
    a = cross(sent(0, 1), sent(5), *FILLER_A)
    b = cross(sent(0), sent(5, 0.6 * F[1] + F[18]), *FILLER_B)
    found, scorer = run(a, b, threshold=0.3, merge_gain=9.0)
    first, second, across = scorer.cells([(0, 0), (1, 1), (0, 1)])
    assert min(first.score, second.score) > across.score >= 0.3
    assert (across.part_a, across.part_b) == ((10, 19), (10, 19))
    assert pairs(found) == {((0,), (0,)), ((1,), (1,))}


def test_a_sentence_takes_partners_up_to_max_partners_for_non_overlapping_parts():
    a = cross(sent(0, 1, 2), *FILLER_A)
    b = cross(sent(0), sent(1), sent(2), *FILLER_B)
    for most, count in ((1, 1), (2, 2), (3, 3)):
        found, _ = run(a, b, max_partners=most, threshold=0.3, merge_gain=9.0)
        assert len([link for link in found if link.a == (0,)]) == count, most
    found, _ = run(a, b, max_partners=3, threshold=0.3, merge_gain=9.0)
    assert {(link.b, link.part_a, link.kind) for link in found if link.a == (0,)} == {
        ((0,), (0, 9), "partial"),
        ((1,), (10, 19), "partial"),
        ((2,), (20, 29), "partial"),
    }


def test_a_second_partner_for_the_same_part_is_refused():
    # B0 and B2 both state fact 0; A0's first clause can be the partner of only one of them
    a = cross(sent(0, 1), *FILLER_A)
    b = cross(sent(0), sent(20), sent(0.8 * F[0] + 0.6 * F[21], 22), *FILLER_B)
    found, scorer = run(a, b, threshold=1.0, merge_gain=9.0)
    assert scorer.cells([(0, 2)])[0].score >= 1.0 and scorer.cells([(0, 2)])[0].part_a == (0, 9)
    assert {(link.a, link.b) for link in found if 0 in link.a or 2 in link.b} == {((0,), (0,))}


def test_a_linked_sentence_takes_a_second_partner_by_its_other_part_when_the_whole_was_best():
    # B0 = facts 0 + 1 (two clauses); A1 = fact 1, with a number B0 shares, is linked first, to
    # B0's second clause.  A0 states fact 0 with a strong trace of fact 1, so its best unit of B0
    # is B0's whole, which overlaps that link: A0 is linked by B0's first clause instead, at that
    # part's own score.
    a = cross(sent(F[0] + 0.7 * F[1]), sent(1), *FILLER_A)
    b = cross(sent(0, 1), *FILLER_B)
    nums_a, nums_b = [(), ("5",)] + [()] * 3, [("5",)] + [()] * 3
    found, scorer = run(a, b, nums_a, nums_b, threshold=0.3, merge_gain=9.0, number_bonus=0.5)
    best, first = scorer.cells([(0, 0), (1, 0)])
    assert (best.part_a, best.part_b) == (None, None)  # the whole of B0 is A0's best match
    assert first.part_b == (10, 19) and first.score + 0.5 > best.score
    part, part_a, part_b = scorer.part_avoiding(0, 0, "b", [(10, 19)])
    assert (part_a, part_b) == (None, (0, 9)) and 1.0 < part < best.part
    penalty = AlignParams().part_penalty
    assert {(link.a, link.b, link.kind, link.part_a, link.part_b, link.score) for link in found
            if link.b == (0,)} == {
        ((1,), (0,), "partial", None, (10, 19), round(first.score + 0.5, 4)),
        ((0,), (0,), "partial", None, (0, 9), round(part - penalty, 4)),
    }
    # below the threshold, the second chance is not taken
    found, _ = run(a, b, nums_a, nums_b, threshold=part - penalty + 1e-6, merge_gain=9.0, number_bonus=0.5)
    assert ((0,), (0,)) not in pairs(found) and ((1,), (0,)) in pairs(found)


def test_no_free_part_means_no_second_partner():
    # B0 is one clause, already linked whole to A1: nothing of it is free for A0
    a = cross(sent(0), sent(F[0] + 0.1 * F[2]), *FILLER_A)
    b = cross(sent(0), *FILLER_B)
    found, scorer = run(a, b, threshold=0.3, merge_gain=9.0)
    assert scorer.part_avoiding(1, 0, "b", [None]) is None
    assert scorer.part_avoiding(0, 0, "b", [None]) is None
    assert [(link.a, link.b) for link in found if link.b == (0,)] == [((0,), (0,))]


def test_pairs_without_english_are_linked_from_the_lower_threshold():
    a, b = cross(sent(0), *FILLER_A), cross(sent(0), *FILLER_B)
    _, scorer = run(a, b)
    top = scorer.cells([(0, 0)])[0].score
    assert scorer.cells([(0, 0)])[0].space == "multilingual"
    assert pairs(run(a, b, threshold=top + 0.05, merge_gain=9.0)[0]) == set()
    found, _ = run(a, b, threshold=top + 0.05, source_only_discount=0.05, merge_gain=9.0)
    assert pairs(found) == {((0,), (0,))}
    assert pairs(run(a, b, threshold=top + 0.05, source_only_discount=0.04, merge_gain=9.0)[0]) == set()
    # with no evidence to add, the candidates' pre-filter is the lowered threshold itself
    bare = dict(number_bonus=0.0, word_bonus=0.0, mutual_bonus=0.0, merge_gain=9.0)
    assert pairs(run(a, b, threshold=top + 0.05, source_only_discount=0.05, **bare)[0]) == {((0,), (0,))}


def test_pairs_with_english_keep_the_full_threshold():
    from tests.fakes_spaces import article

    a = article([sent(0), *FILLER_A], True, seed=1)
    b = article([sent(0), *FILLER_B], True, seed=2)
    _, scorer = run(a, b)
    cell = scorer.cells([(0, 0)])[0]
    assert cell.space == "english"
    found, _ = run(a, b, threshold=cell.score + 0.05, source_only_discount=0.5, merge_gain=9.0)
    assert pairs(found) == set()
    found, _ = run(a, b, threshold=cell.score, source_only_discount=0.5, merge_gain=9.0)
    assert pairs(found) == {((0,), (0,))}


@pytest.mark.parametrize("swap", [False, True])
def test_a_sentence_with_two_partners_absorbs_no_neighbour(swap):
    # A0 = facts 0 + 1, linked to B0 (fact 0) and B1 (fact 1); its neighbour A1 and B's B2 are
    # free and any merge would pass (threshold and gain of -100), yet a merged sentence's links stay 1-1
    a = cross(sent(0, 1), *FILLER_A)
    b = cross(sent(0), sent(1), *FILLER_B)
    if swap:
        a, b = b, a
    found, _ = run(a, b, threshold=1.0, merge_threshold=-100.0, merge_gain=-100.0)
    mine = {(link.a, link.b) for link in found if (0 in link.b if swap else 0 in link.a)}
    want = {((0,), (0,)), ((1,), (0,))} if swap else {((0,), (0,)), ((0,), (1,))}
    assert mine == want


def test_the_partial_label_and_the_parts_shown():
    # A0 = facts 0 + 1 and B0 = fact 1: a part matches, the link is partial and shows A0's part
    a = cross(sent(0, 1), sent(3), *FILLER_A)
    b = cross(sent(1), sent(3), *FILLER_B)
    found, scorer = run(a, b, merge_gain=9.0)
    assert {
        (link.a, link.b, link.kind, link.part_a, link.part_b) for link in found if not _filler(link)
    } == {((0,), (0,), "partial", (10, 19), None), ((1,), (1,), "same-fact", None, None)}
    # with a part penalty the part cannot beat, the same pair is a same-fact link with no part shown
    cell = scorer.cells([(0, 0)])[0]
    penalty = cell.part - cell.whole + 0.01
    found, _ = run(a, b, part_penalty=penalty, threshold=min(0.7, cell.whole), merge_gain=9.0)
    assert ((0,), (0,), "same-fact", None, None) in {
        (link.a, link.b, link.kind, link.part_a, link.part_b) for link in found
    }


def test_a_sentence_absorbs_the_split_neighbour_before_or_after_its_partner():
    a = cross(Sent(F[0] + F[1]), *FILLER_A)
    after = cross(sent(0), sent(1), *FILLER_B)
    before = cross(sent(16), sent(1), sent(0), sent(17))
    assert ((0,), (0, 1)) in pairs(run(a, after)[0])
    assert ((0,), (1, 2)) in pairs(run(a, before)[0])
    # and on A's side
    assert ((0, 1), (0,)) in pairs(run(after, a)[0])


def test_the_merge_needs_a_related_neighbour_and_a_gain():
    a = cross(Sent(F[0] + F[1]), *FILLER_A)
    b = cross(sent(0), sent(1), *FILLER_B)
    alone, scorer = run(a, b, merge_gain=9.0)
    (j,) = [link.b[0] for link in alone if link.a == (0,)]
    neighbour = scorer.cells([(0, 1 - j)])[0].whole
    assert ((0,), (j,)) in pairs(run(a, b, merge_threshold=neighbour + 0.01)[0])
    assert ((0,), (0, 1)) in pairs(run(a, b, merge_threshold=neighbour - 0.01)[0])
    assert ((0,), (j,)) in pairs(run(a, b, merge_gain=0.5)[0])


def test_unrelated_neighbours_are_not_absorbed_even_when_any_margin_is_allowed():
    a = cross(sent(0), *FILLER_A)
    b = cross(sent(0), sent(9), *FILLER_B)
    found, _ = run(a, b, merge_threshold=-100.0)
    assert [(link.a, link.b) for link in found if 0 in link.a] == [((0,), (0,))]


def test_a_linked_neighbour_is_not_absorbed():
    a = cross(Sent(F[0] + F[1]), sent(1), *FILLER_A)
    b = cross(sent(0), sent(1), *FILLER_B)
    assert pairs(run(a, b, threshold=0.3)[0]) >= {((0,), (0,)), ((1,), (1,))}


def test_a_merged_link_carries_the_neighbours_numbers():
    a = cross(Sent(F[0] + F[1]), *FILLER_A)
    b = cross(sent(0), sent(1), *FILLER_B)
    found, _ = run(a, b, [("10", "20")] + [()] * 3, [("10",), ("20",)] + [()] * 3)
    merged = next(link for link in found if link.b == (0, 1))
    assert set(merged.shared_numbers) == {"10", "20"}


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("k", 0, "k = 0: the number of neighbours must be at least 1"),
        ("max_clause_run", -1, "max_clause_run = -1: must be 0 or more"),
        ("max_partners", 0, "max_partners = 0: must be at least 1"),
        ("threshold", float("nan"), "threshold = nan is not a finite number"),
        ("word_bonus", float("inf"), "word_bonus = inf is not a finite number"),
    ],
)
def test_parameter_bounds(name, value, message):
    with pytest.raises(InputError) as e:
        AlignParams(**{name: value})
    assert str(e.value) == message


def test_the_smallest_allowed_parameters_are_accepted():
    p = AlignParams(k=1, max_clause_run=0, max_partners=1)
    assert (p.k, p.max_clause_run, p.max_partners) == (1, 0, 1)


def test_link_articles_links_every_pair_of_three_articles_with_evidence():
    vectors = [
        cross(sent(0), sent(1), *FILLER_A),
        cross(sent(1), sent(0), *FILLER_B),
        cross(sent(0), sent(22), sent(23)),
    ]
    english = [
        ["Frustration grew.", "Rain fell.", "a", "b", "c"],
        ["Rain fell.", "Frustration grew.", "d", "e", "f"],
        ["Frustration grew.", "x", "y"],
    ]
    sentences = [
        tuple(Sentence(k, 0, len(t), t, t, "memory") for k, t in enumerate(row)) for row in english
    ]
    numbers = [[("5",)] + [()] * 4, [(), ("5",)] + [()] * 3, [("5",), (), ()]]
    links = link_articles(sentences, numbers, vectors, AlignParams(merge_gain=9.0))
    got = [
        (tuple((m.article, m.sentences) for m in link.members), link.kind, link.evidence.numbers)
        for link in links
        if all(s < 2 for m in link.members for s in m.sentences)
    ]
    assert got == [
        (((0, (0,)), (1, (1,))), "same-fact", ("5",)),
        (((0, (0,)), (2, (0,))), "same-fact", ("5",)),
        (((0, (1,)), (1, (0,))), "same-fact", ()),
        (((1, (1,)), (2, (0,))), "same-fact", ("5",)),
    ]
    first = links[0].evidence
    assert (first.space, first.parts_in, first.words) == (
        "multilingual",
        "source",
        ("frustration", "grew"),
    )


def test_the_mutual_bonus_alone_lifts_a_pair_of_mutual_parts_over_the_threshold():
    a = cross(sent(0, 1), *FILLER_A)
    b = cross(sent(1), sent(2), *FILLER_B)
    _, scorer = run(a, b)
    score = scorer.cells([(0, 0)])[0].score
    params = dict(threshold=score + 0.2, number_bonus=0.0, merge_gain=9.0)
    assert ((0,), (0,)) in pairs(run(a, b, mutual_bonus=0.3, **params)[0])
    assert ((0,), (0,)) not in pairs(run(a, b, mutual_bonus=0.0, **params)[0])


def test_word_evidence_alone_lifts_a_pair_over_the_threshold():
    a, b = cross(sent(0), *FILLER_A), cross(sent(0), *FILLER_B)
    words = WordOverlap(
        ["Frustration grew.", "Rain.", "Snow.", "Wind."], ["Frustration rose.", "Sun.", "Fog.", "Hail."]
    )
    _, scorer = run(a, b)
    cell = scorer.cells([(0, 0)])[0]
    params = dict(threshold=cell.score + 0.3, number_bonus=0.0, merge_gain=9.0, words=words)
    found, _ = run(a, b, word_bonus=0.4, **params)
    assert pairs(found) == {((0,), (0,))}
    assert found[0].cosine == round(cell.cosine, 4)
    assert run(a, b, word_bonus=0.2, **params)[0] == []


def test_the_merge_takes_the_neighbour_that_gains_most():
    # A0 states facts 0, 1 and a little of 2; B1 (fact 0) has B0 (fact 2) before it and B2
    # (fact 1) after it: both qualify, B2 brings the pair closer
    a = cross(Sent(F[0] + F[1] + 0.5 * F[2]), *FILLER_A)
    b = cross(sent(2), sent(0), sent(1), sent(16), sent(17))
    found, scorer = run(a, b, merge_threshold=-100.0, merge_gain=0.01)
    va, vb = scorer.whole_vectors()
    gains = {}
    for nb in (0, 2):
        joint = (vb[1] + vb[nb]) / np.linalg.norm(vb[1] + vb[nb])
        gains[nb] = float(joint @ va[0]) - float(va[0] @ vb[1])
    assert gains[2] > gains[0] >= 0.01
    assert [link.b for link in found if 0 in link.a] == [(1, 2)]


def test_evidence_lists_at_most_six_shared_words():
    vectors = [cross(sent(0), *FILLER_A), cross(sent(0), *FILLER_B)]
    text = "Frustration missiles warheads treaty summit talks sanctions inspections grew."
    english = [[text, "a", "b", "c"], [text, "d", "e", "f"]]
    sentences = [
        tuple(Sentence(k, 0, len(t), t, t, "memory") for k, t in enumerate(row)) for row in english
    ]
    links = link_articles(sentences, [[()] * 4, [()] * 4], vectors, AlignParams(merge_gain=9.0))
    first = next(link for link in links if link.members[0].sentences == (0,))
    assert len(first.evidence.words) == 6


def _toll(texts):
    from aligner.quantities import sentence_quantities
    return [sentence_quantities(t, None, "en") for t in texts]


@pytest.mark.parametrize("headline, linked", [
    ("The death toll rose to 834", True),   # another value: linked, so the disagreement shows
    ("The death toll rose to 832", False),  # the same value: the taken clause stays taken
])
def test_a_fact_restated_with_another_figure_is_linked_to_the_taken_part(headline, linked):
    # A0 = fact 0 ("832", clause 0-9) + fact 1; B0 (headline) and B1 (lede) both state fact 0, the
    # lede with A0's 832; B2 states fact 1.  The lede takes A0's first clause (the shared number),
    # B2 the second; A0 has its two partners.  A headline that puts the toll at 834 is linked to
    # the first clause as well; one at 832 is the same fact again and is left one-sided.
    a = cross(sent(0, 1), *FILLER_A)
    b = cross(sent(0), sent(0), sent(1), *FILLER_B)
    texts_a = ["Toll: 832; 7 roads shut"] + ["filler"] * 3
    texts_b = [headline, "The death toll rose to 832 people", "Roads shut"] + ["filler"] * 3
    nums_a, nums_b = [("832",)] + [()] * 3, [(), ("832",), ()] + [()] * 3
    p = AlignParams(threshold=0.3, merge_gain=9.0, source_only_discount=0.0)
    scorer = PairScorer(a, b, p.k, 0.5, p.part_penalty)
    found = link_pair(scorer, nums_a, nums_b, p, None, (_toll(texts_a), _toll(texts_b)))
    expected = {((0,), (1,), (0, 9)), ((0,), (2,), (10, 19))} | ({((0,), (0,), (0, 9))} if linked else set())
    assert {(link.a, link.b, link.part_a) for link in found if link.a == (0,)} == expected
    # without figures' roles (quantities=None) the rule does not apply
    plain = link_pair(scorer, nums_a, nums_b, p, None, None)
    assert {(link.a, link.b) for link in plain if link.a == (0,)} == {((0,), (1,)), ((0,), (2,))}
    # the restatement must reach the threshold on its margin alone; the lede has its shared 832
    margin = scorer.cells([(0, 0)])[0].score
    strict = AlignParams(threshold=margin + 1e-6, merge_gain=9.0, source_only_discount=0.0)
    found = link_pair(scorer, nums_a, nums_b, strict, None, (_toll(texts_a), _toll(texts_b)))
    assert ((0,), (1,)) in {(link.a, link.b) for link in found} and ((0,), (0,)) not in {
        (link.a, link.b) for link in found}
    at = AlignParams(threshold=margin, merge_gain=9.0, source_only_discount=0.0)
    found = link_pair(scorer, nums_a, nums_b, at, None, (_toll(texts_a), _toll(texts_b)))
    assert (((0,), (0,)) in {(link.a, link.b) for link in found}) == linked


def test_a_restatement_needs_the_partner_to_state_the_value_and_is_taken_once_per_sentence():
    # the lede states no figure: the 834 headline does not contradict anything A0's partner says
    a = cross(sent(0, 1), *FILLER_A)
    b = cross(sent(0), sent(0), sent(1), *FILLER_B)
    p = AlignParams(threshold=0.3, merge_gain=9.0, source_only_discount=0.0, number_bonus=0.0)
    scorer = PairScorer(a, b, p.k, 0.5, p.part_penalty)
    figures_a = _toll(["Toll: 832; 7 roads shut"] + ["filler"] * 3)
    quiet_lede = _toll(["The death toll rose to 834", "The death toll rose", "Roads shut"] + ["filler"] * 3)
    nums = [()] * 4, [()] * 6
    found = link_pair(scorer, *nums, p, None, (figures_a, quiet_lede))
    assert len([link for link in found if link.a == (0,)]) == 2
    # two headlines at 834 and 836 against the lede's 832: only the better one is linked
    b3 = cross(sent(0), sent(0), sent(1), sent(F[0] + 0.3 * F[9]), *FILLER_B)
    texts_b = ["The death toll rose to 834", "The death toll rose to 832", "Roads shut",
               "The death toll rose to 836"] + ["filler"] * 3
    scorer = PairScorer(a, b3, p.k, 0.5, p.part_penalty)
    p2 = AlignParams(threshold=0.3, merge_gain=9.0, source_only_discount=0.0)
    found = link_pair(scorer, [("832",)] + [()] * 3, [(), ("832",), (), ()] + [()] * 3, p2, None,
                      (figures_a, _toll(texts_b)))
    assert {link.b for link in found if link.a == (0,)} == {(0,), (1,), (2,)}


def test_the_restatement_rule_reads_the_part_matched_on_either_side_and_only_hard_differences():
    from aligner.align.quantity_evidence import restatement

    # article B holds the two-clause sentence this time: the rule on side "b"
    a = cross(sent(0), sent(0), sent(1), *FILLER_A)
    b = cross(sent(0, 1), *FILLER_B)
    p = AlignParams(threshold=0.3, merge_gain=9.0, source_only_discount=0.0)
    scorer = PairScorer(a, b, p.k, 0.5, p.part_penalty)
    texts_b = ["Toll: 832; 7 roads shut"] + ["filler"] * 3
    for headline, linked in (("The death toll rose to 834", True), ("The toll was about 832", False)):
        texts_a = [headline, "The death toll rose to 832 people", "Roads shut"] + ["filler"] * 3
        nums_a = [(), ("832",), ()] + [()] * 3
        found = link_pair(scorer, nums_a, [("832",)] + [()] * 3, p, None, (_toll(texts_a), _toll(texts_b)))
        assert ({link.a for link in found if link.b == (0,)} == {(0,), (1,), (2,)}) == linked, headline
    # the test itself: a cell's parts span the source here (cross-lingual space); the clause
    # holds 832 only, the whole sentence 832 and 7 roads (no figure pairs with 834 there)
    figures = (_toll(["The death toll rose to 834"]), _toll(["Toll: 832; 7 roads shut"]))
    cell = scorer.cells([(0, 0)])[0]
    restates = restatement(figures)
    from dataclasses import replace
    clause = replace(cell, part_a=None, part_b=(0, 9), space="multilingual")
    lede = (_toll(["The death toll rose to 834", "The death toll rose to 832"]), figures[1])
    assert restatement(lede)(clause, "b", [1]) is True
    assert restatement(lede)(clause, "b", [0]) is False  # that partner does not state 832
    assert restatement(lede)(replace(clause, space="english"), "b", [1]) is False  # part spans English
    assert restatement(lede)(replace(clause, part_b=None), "b", [1]) is False  # whole sentences
    assert restates(clause, "b", []) is False
    # compatible values with other qualifiers (soft) are not a restatement with another figure
    soft = (_toll(["The toll was about 832", "More than 832 died"]), _toll(["Over 832; 7 roads shut"]))
    assert restatement(soft)(clause, "b", [1]) is False


def test_a_figure_on_one_side_only_is_no_evidence():
    # A0 states the toll, B0 states the same fact without a figure: the score is the margin alone
    a, b = cross(sent(0), *FILLER_A), cross(sent(0), *FILLER_B)
    p = AlignParams(threshold=0.3, merge_gain=9.0, source_only_discount=0.0, word_bonus=0.0)
    scorer = PairScorer(a, b, p.k, 0.5, p.part_penalty)
    figures = (_toll(["The death toll rose to 832 people"] + ["filler"] * 3),
               _toll(["The death toll rose sharply"] + ["filler"] * 3))
    found = link_pair(scorer, [()] * 4, [()] * 4, p, None, figures)
    link = next(link for link in found if link.a == (0,))
    assert link.b == (0,) and link.score == link.similarity
