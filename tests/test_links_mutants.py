"""Linking rules that the mutation benchmark found unguarded (issue 23 item 5).

Same hand-made vectors as tests/test_links_rules.py: facts are random near-orthogonal vectors,
a sentence states one or more facts (one clause part per fact).  Each test asserts the exact
links, kinds, parts or figures a user would see, with the limits written as literals.
"""

from aligner.align import PairScorer, link_pair
from aligner.align.links import link_articles
from aligner.align.params import AlignParams
from aligner.align.quantity_evidence import sentence_figures
from aligner.model import Sentence
from tests.test_links_rules import FILLER_A, FILLER_B, F, Sent, cross, run, sent


def shown(found):
    """(A sentences, B sentences, kind, part of A, part of B) of the links a test is about."""
    return {
        (link.a, link.b, link.kind, link.part_a, link.part_b)
        for link in found
        if not (link.a[0] >= 3 and link.b[0] >= 3)
    }


def test_three_shared_numbers_add_the_number_bonus_twice_not_three_times():
    a, b = cross(sent(0), *FILLER_A), cross(sent(0), *FILLER_B)
    _, scorer = run(a, b)
    margin = scorer.cells([(0, 0)])[0].score
    for nums, bonuses in (((), 0), (("7",), 1), (("7", "8"), 2), (("7", "8", "9"), 2)):
        found, _ = run(a, b, [nums, (), (), ()], [nums, (), (), ()], number_bonus=0.5, merge_gain=9.0)
        link = next(link for link in found if link.a == (0,))
        assert link.shared_numbers == nums
        assert link.score == round(margin + 0.5 * bonuses, 4), nums


def test_three_shared_numbers_do_not_lift_a_pair_that_needs_three_bonuses():
    a, b = cross(sent(0), *FILLER_A), cross(sent(0), *FILLER_B)
    _, scorer = run(a, b)
    margin = scorer.cells([(0, 0)])[0].score
    nums = [("7", "8", "9"), (), (), ()]
    params = dict(number_bonus=0.5, merge_gain=9.0)
    assert ((0,), (0,)) in {(k.a, k.b) for k in run(a, b, nums, nums, threshold=margin + 1.0, **params)[0]}
    assert run(a, b, nums, nums, threshold=margin + 1.2, **params)[0] == []


def test_cosine_and_margin_are_shown_to_four_decimals():
    a, b = cross(sent(0, 1), *FILLER_A), cross(sent(1), sent(2), *FILLER_B)
    found, scorer = run(a, b, merge_gain=9.0)
    cell = scorer.cells([(0, 0)])[0]
    link = next(link for link in found if link.a == (0,))
    assert round(cell.cosine, 5) != round(cell.cosine, 4)  # the fixture has a fifth decimal
    assert (link.cosine, link.similarity) == (round(cell.cosine, 4), round(cell.score, 4))
    assert len(repr(link.cosine).split(".")[1]) <= 4


def test_link_evidence_shows_the_cosine_to_four_decimals():
    vectors = [cross(sent(0, 1), *FILLER_A), cross(sent(1), sent(2), *FILLER_B)]
    english = [["Frustration grew.", "a", "b", "c"], ["Frustration rose.", "d", "e", "f", "g"]]
    sentences = [
        tuple(Sentence(k, 0, len(t), t, t, "memory") for k, t in enumerate(row)) for row in english
    ]
    links = link_articles(sentences, [[()] * 4, [()] * 5], vectors, AlignParams(merge_gain=9.0))
    first = next(link for link in links if link.members[0].sentences == (0,))
    found, scorer = run(*vectors, merge_gain=9.0)
    cosine = scorer.cells([(0, 0)])[0].cosine
    assert round(cosine, 5) != round(cosine, 4)
    assert first.evidence.cosine == round(cosine, 4)


def test_a_link_is_partial_when_only_the_b_side_part_matched():
    # B0 states facts 0 and 1, A0 only fact 1: B0's second clause is the part, A0 is whole
    a = cross(sent(1), sent(3), *FILLER_A)
    b = cross(sent(0, 1), sent(3), *FILLER_B)
    found, _ = run(a, b, merge_gain=9.0)
    assert shown(found) == {
        ((0,), (0,), "partial", None, (10, 19)),
        ((1,), (1,), "same-fact", None, None),
    }


def test_a_sentence_with_two_partners_shows_each_links_part_even_when_the_whole_scored():
    # A0 states facts 0 and 1, B0 fact 0 and B1 fact 1.  With part_penalty 1.0 the parts never
    # beat the whole sentences, yet A0 has two partners: each link is partial and shows the part
    # of A0 its partner matched
    two = cross(sent(0, 1), *FILLER_A)
    one_each = cross(sent(0), sent(1), *FILLER_B)
    found, scorer = run(two, one_each, threshold=0.3, merge_gain=9.0, part_penalty=1.0)
    for cell in scorer.cells([(0, 0), (0, 1)]):
        assert cell.score == cell.whole > cell.part - 1.0
    assert {k for k in shown(found) if k[0] == (0,)} == {
        ((0,), (0,), "partial", (0, 9), None),
        ((0,), (1,), "partial", (10, 19), None),
    }
    # the same on B's side
    found, _ = run(one_each, two, threshold=0.3, merge_gain=9.0, part_penalty=1.0)
    assert {k for k in shown(found) if k[1] == (0,)} == {
        ((0,), (0,), "partial", None, (0, 9)),
        ((1,), (0,), "partial", None, (10, 19)),
    }


def test_a_sentence_with_two_partners_absorbs_no_neighbour():
    # A0 states facts 0 and 1 and links B0 (fact 0) and B1 (fact 1); A1 (a little of fact 0)
    # is unlinked, next to A0, related to B0 and would bring A0 closer to it -- but A0 already
    # packs two facts into two links, so no 2-1 link is made
    a = cross(sent(0, 1), Sent(0.5 * F[0] + F[20]), *FILLER_A)
    b = cross(sent(0), sent(1), *FILLER_B)
    params = dict(threshold=1.0, merge_threshold=-100.0, merge_gain=0.01)
    found, scorer = run(a, b, **params)
    assert {k for k in shown(found) if 0 in k[0] or 1 in k[0]} == {
        ((0,), (0,), "partial", (0, 9), None),
        ((0,), (1,), "partial", (10, 19), None),
    }
    # with fact 1 stated nowhere in B, A0 has one partner, B0, and absorbs A1
    found, _ = run(a, cross(sent(0), sent(21), *FILLER_B), **params)
    assert ((0, 1), (0,)) in {(link.a, link.b) for link in found}


def test_a_figure_of_the_same_thing_with_another_value_is_number_evidence_within_the_cap():
    # "500 soldiers" vs "600 soldiers": the same counted thing, another value -- one bonus,
    # on top of shared numbers up to two bonuses in all
    text_a = ["The strike killed 500 soldiers and wounded 40 civilians.", "a", "b", "c"]
    text_b = ["The strike killed 600 soldiers and wounded 70 civilians.", "d", "e", "f"]
    figures = (
        [sentence_figures(t, t, "en") for t in text_a],
        [sentence_figures(t, t, "en") for t in text_b],
    )
    a, b = cross(sent(0), *FILLER_A), cross(sent(0), *FILLER_B)
    params = AlignParams(number_bonus=0.5, merge_gain=9.0)
    scorer = PairScorer(a, b, params.k, 0.5, params.part_penalty)
    margin = scorer.cells([(0, 0)])[0].score

    def score(shared, quantities):
        nums = [shared, (), (), ()]
        found = link_pair(scorer, nums, nums, params, None, quantities)
        return next(link.score for link in found if link.a == (0,))

    assert score((), None) == round(margin, 4)
    assert score((), figures) == round(margin + 0.5, 4)
    assert score((), figures[::-1]) == round(margin + 0.5, 4)
    assert score(("2024",), figures) == round(margin + 1.0, 4)
    assert score(("2024", "3"), figures) == round(margin + 1.0, 4)
    same = ([figures[0][0]] * 4, [figures[0][0]] * 4)  # the same figures on both sides
    assert score((), same) == round(margin, 4)
