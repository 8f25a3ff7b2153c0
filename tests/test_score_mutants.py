"""Cases the mutation run (benchmarks/mutation.py) found unpinned in :mod:`aligner.align.score`.

* The k-best selections (per row and per column, merged block by block) on articles long enough
  that a partial sort is not a full one: with 40 sentences a side, a top-k that keeps one wrong
  value changes margins and candidates, which the dense re-statement catches.
* The English space needs two sentences with English on EACH side (B as well as A).
* The ratio margin's guard against a zero denominator is exactly 1e-6.
* :meth:`PairScorer.part_avoiding`: the best free clause (not any), and what "overlaps" means.
"""

import numpy as np
import pytest

from aligner.align import PairScorer
from aligner.align import blockwise
from aligner.align import score as score_module
from aligner.align.score import ratio_margin
from tests.fakes_spaces import Sent, article, basis
from tests.test_score_rules import FACTS, LAYOUT_A, LAYOUT_B, expected, sentences


def _random_layout(rng, n, facts):
    """n sentences of 1-3 facts drawn from ``facts`` (a fact may recur, as in real stories)."""
    return [list(rng.choice(facts, size=rng.integers(1, 4), replace=False)) for _ in range(n)]


@pytest.mark.parametrize("kept", [0, 1 << 24])
@pytest.mark.parametrize("k", [1, 2, 4])
def test_forty_sentences_a_side_equal_the_dense_computation(monkeypatch, k, kept):
    monkeypatch.setattr(score_module, "BLOCK_UNITS", 16)
    monkeypatch.setattr(score_module, "DENSE_UNITS", kept)
    rng = np.random.default_rng(7)
    facts = basis(60, dim=48, seed=3)
    a = article(sentences(facts, _random_layout(rng, 40, 60)), None, seed=1)
    b = article(sentences(facts, _random_layout(rng, 40, 60)), None, seed=2)
    scorer = PairScorer(a, b, k, 0.5, 0.1)
    want, candidates = expected(scorer, a, b, k, 0.5, 0.1)
    assert set(scorer.candidates()) == candidates
    pairs = sorted(want)
    got = scorer.cells(pairs)
    for cell in got:
        w = want[cell.i, cell.j]
        for key in ("whole", "part", "score"):
            assert getattr(cell, key) == pytest.approx(w[key], abs=2e-5), (cell.i, cell.j, key)
        if k > 1:  # with k = 1 every mutual-best unit pair has margin 0: ties, broken by rounding
            assert (cell.part_a, cell.part_b) == (w["part_a"], w["part_b"]), (cell.i, cell.j)


def test_the_english_space_needs_two_sentences_with_english_on_b_too():
    a = article(sentences(FACTS, LAYOUT_A), True)
    one = article(sentences(FACTS, LAYOUT_B), [True] + [False] * 6, seed=2)
    two = article(sentences(FACTS, LAYOUT_B), [True, True] + [False] * 5, seed=2)
    assert PairScorer(a, one, 3, 0.5, 0.1).english is None
    scorer = PairScorer(a, two, 3, 0.5, 0.1)
    assert scorer.english is not None and scorer.space == "english+multilingual"


def test_the_ratio_margin_guards_only_a_denominator_under_one_millionth():
    # 1.5e-6 is a real (tiny) denominator: cos / itself = 1; 5e-7 is replaced by 1e-6
    assert ratio_margin(np.array([[1.5e-6]]), k=1)[0, 0] == pytest.approx(1.0)
    assert ratio_margin(np.array([[5e-7]]), k=1)[0, 0] == pytest.approx(0.5)


F = basis(24, seed=5)


def _three_clauses():
    """A0 = fact 0 (one clause); B0 = facts 2, 0, 1 as clauses (0, 9), (10, 19), (20, 29)."""
    a = [Sent(F[0]), Sent(F[10]), Sent(F[11]), Sent(F[12])]
    b = [Sent(F[2] + F[0] + F[1], [((0, 9), F[2]), ((10, 19), F[0]), ((20, 29), F[1])], (0, 30)),
         Sent(F[13]), Sent(F[14]), Sent(F[15])]
    return PairScorer(article(a, None), article(b, None, seed=2), 4, 0.5, 0.1)


def test_part_avoiding_takes_the_best_free_clause():
    scorer = _three_clauses()
    # nothing taken that matters: fact 0's clause is the best match
    assert scorer.part_avoiding(0, 0, "b", [(0, 9)])[1:] == (None, (10, 19))
    assert scorer.part_avoiding(0, 0, "b", [(20, 29)])[1:] == (None, (10, 19))
    # fact 0's clause taken: the better of the two others, never the worse
    margin, part_a, part_b = scorer.part_avoiding(0, 0, "b", [(10, 19)])
    others = {}
    for span in ((0, 9), (20, 29)):
        taken = [(10, 19), (20, 29) if span == (0, 9) else (0, 9)]
        others[span] = scorer.part_avoiding(0, 0, "b", taken)[0]
    assert part_b == max(others, key=others.get) and margin == pytest.approx(max(others.values()))
    assert margin < scorer.part_avoiding(0, 0, "b", [(0, 9)])[0]


@pytest.mark.parametrize(
    "taken, free",
    [
        ([(8, 10)], {(10, 19), (20, 29)}),  # the last character of (0, 9): overlaps it only
        ([(18, 19)], {(0, 9), (20, 29)}),
        ([(5, 12)], {(20, 29)}),  # across the first two
        ([(28, 40)], {(0, 9), (10, 19)}),
        ([(9, 10)], {(0, 9), (10, 19), (20, 29)}),  # between two clauses (ends are exclusive)
        ([(29, 40)], {(0, 9), (10, 19), (20, 29)}),  # after all of them
        ([None], set()),  # the whole sentence overlaps every clause
    ],
)
def test_what_overlaps_a_taken_part(taken, free):
    scorer = _three_clauses()
    found = set()
    blocked = list(taken)
    while (best := scorer.part_avoiding(0, 0, "b", blocked)) is not None:
        found.add(best[2])
        blocked.append(best[2])
    assert found == free


@pytest.mark.parametrize("kept", [0, 1 << 24])
def test_the_first_unit_of_a_sentence_wins_a_tie_with_its_own_clause(monkeypatch, kept):
    # A0's whole and its first clause are the same vector: B0's nearest unit is A0's whole (unit 0,
    # the first), so the whole-to-whole pair is mutual
    monkeypatch.setattr(score_module, "DENSE_UNITS", kept)
    e = np.eye(32)
    a = article([Sent(e[0], [((0, 9), e[0]), ((10, 19), e[3])]), Sent(e[1]), Sent(e[2])], True, cross=False)
    b = article([Sent(e[0]), Sent(e[1] + 0.2 * e[4]), Sent(e[2] + 0.2 * e[5])], True, cross=False)
    cell = PairScorer(a, b, 2, 0.5, 0.1).cells([(0, 0)])[0]
    assert (cell.part_a, cell.part_b, cell.mutual) == (None, None, True)


def test_a_table_of_cells_none_of_which_has_english_on_both_sides():
    # the English space exists (two sentences with English a side), but no cell asked for is in it
    a = article(sentences(FACTS, LAYOUT_A), [True, True, False, False, False, False, False])
    b = article(sentences(FACTS, LAYOUT_B), [True, True, False, False, False, False, False], seed=2)
    scorer = PairScorer(a, b, 3, 0.5, 0.1)
    assert scorer.english is not None
    cells = scorer.cells([(3, 4), (5, 2)])
    assert [c.space for c in cells] == ["multilingual", "multilingual"]
    assert cells == scorer.cells([(3, 4), (5, 2)])


@pytest.mark.parametrize("kept", [0, 1 << 24])
@pytest.mark.parametrize("block", [1, 10_000])
def test_the_nearest_unit_is_the_first_of_tied_sentences_even_when_a_later_one_has_more_units(
    monkeypatch, block, kept
):
    # B1 and B2 have the same whole vector; B2 has two clauses more, so the scan's columns (longest
    # sentences first) hold B2's whole before B1's: A1's nearest unit is still B1's whole, the
    # first in B's order, so (1, 1) is mutual and (1, 2) is not
    monkeypatch.setattr(score_module, "BLOCK_UNITS", block)
    monkeypatch.setattr(score_module, "DENSE_UNITS", kept)
    e = np.eye(32)
    s = 0.5 * e[0] + e[1]
    a = article([Sent(e[0]), Sent(s), Sent(e[2])], True, cross=False)
    b = article([Sent(e[0]), Sent(s), Sent(s, [((0, 9), e[6]), ((10, 19), e[7])])], True,
                cross=False)
    cells = PairScorer(a, b, 2, 0.5, 0.1).cells([(1, 1), (1, 2)])
    assert [(c.part_a, c.part_b, c.mutual) for c in cells] == [(None, None, True),
                                                             (None, None, False)]


def test_the_k_largest_of_every_row_count_a_repeated_value_twice_and_leave_the_rows_as_they_were():
    values = np.array([[3, 1, 3, 2, 0], [0, 5, 4, 4, 4], [1, 1, 1, 1, 1]], dtype=np.float32)
    before = values.copy()
    assert blockwise.largest(values, 3).tolist() == [[3, 3, 2], [5, 4, 4], [1, 1, 1]]
    np.testing.assert_array_equal(values, before)


def test_the_spread_of_blocks_of_different_sizes_is_the_deviation_of_all_their_values():
    rng = np.random.default_rng(3)
    blocks = [rng.random((2, 3), dtype=np.float32), rng.random((4, 5), dtype=np.float32),
              rng.random((1, 2), dtype=np.float32)]
    moments = blockwise.Moments()
    for block in blocks:
        moments.add(block)
    every = np.concatenate([b.ravel() for b in blocks]).astype(np.float64)
    assert moments.count == 28
    assert moments.std() == pytest.approx(every.std(), rel=1e-12)


def test_a_table_of_no_cells_is_empty():
    a = article(sentences(FACTS, LAYOUT_A), None)
    b = article(sentences(FACTS, LAYOUT_B), None, seed=2)
    table = PairScorer(a, b, 3, 0.5, 0.1).table([])
    assert (table.i.tolist(), table.j.tolist(), table.score.tolist()) == ([], [], [])
