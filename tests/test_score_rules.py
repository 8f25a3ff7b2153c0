"""The scoring rules of :mod:`aligner.align.score`, cell by cell against a dense restatement.

The articles have multi-clause sentences on both sides, distinct English and cross-lingual
spaces, English on only some sentences, and block sizes that cut between sentences; every
cell's whole and part margins, score (the core rule ``max(whole, part - part_penalty)``),
reported cosine, best parts, space and mutual flag, and the exact candidate set, must equal
what :func:`tests.fakes_spaces.dense_space` computes from the full matrices.
"""

import numpy as np
import pytest

from aligner.align import PairScorer, margin_scores, ratio_margin
from aligner.align import blockwise
from aligner.align import score as score_module
from tests.fakes_spaces import Sent, article, basis, dense_space


def sentences(facts, layout):
    """``layout``: per sentence the facts it states; two or more facts make a multi-clause sentence
    whose parts are each fact alone and (for three) the first two together."""
    out = []
    for facts_of in layout:
        vectors = [facts[f] for f in facts_of]
        parts = []
        if len(vectors) > 1:
            parts = [((10 * k, 10 * k + 9), v) for k, v in enumerate(vectors)]
            if len(vectors) > 2:
                parts.append(((0, 19), vectors[0] + vectors[1]))
        out.append(Sent(sum(vectors), parts, (0, 10 * len(vectors))))
    return out


FACTS = basis(20, seed=11)
LAYOUT_A = [[0, 1], [2], [3, 4, 5], [6], [7, 8], [9], [10]]
LAYOUT_B = [[4], [0], [11, 2], [1, 12], [6, 7, 13], [14], [9, 15]]


def expected(scorer, a, b, k, weight, penalty):
    n, m = len(a.has_english), len(b.has_english)
    xl = (
        dense_space(a.cross, b.cross, k, n, m)
        if a.cross is not None and b.cross is not None
        else None
    )
    use_en = (
        a.english is not None
        and b.english is not None
        and a.has_english.sum() >= 2
        and b.has_english.sum() >= 2
    )
    en = dense_space(a.english, b.english, k, n, m) if use_en else None
    everywhere = use_en and a.has_english.all() and b.has_english.all()
    cells = {}
    for i in range(n):
        for j in range(m):
            both = en is not None and a.has_english[i] and b.has_english[j]
            w = weight if xl is not None else 0.0
            if both:
                whole = (1 - w) * en["whole"][i, j] + (w * xl["whole"][i, j] if xl else 0.0)
                part = (1 - w) * en["part"][i, j] + (w * xl["part"][i, j] if xl else 0.0)
            else:
                whole, part = xl["whole"][i, j], xl["part"][i, j]
            sp, sa, sb = (en, a.english, b.english) if both else (xl, a.cross, b.cross)
            ua, ub = sp["best"][i, j]
            cells[i, j] = {
                "whole": whole,
                "part": part,
                "score": max(whole, part - penalty),
                "cosine": (en if everywhere else xl)["cosine"][i, j],
                "part_a": None if ua == sa.starts[sa.owner[ua]] else sa.spans[ua],
                "part_b": None if ub == sb.starts[sb.owner[ub]] else sb.spans[ub],
                "space": "english" if both else "multilingual",
                "mutual": bool(sp["nearest_a"][ua] == ub and sp["nearest_b"][ub] == ua),
            }
    candidates = set().union(*(s["candidates"] for s in (en, xl) if s is not None))
    return cells, candidates


SCENARIOS = {
    "english on some sentences": dict(
        english_a=[True, True, False, True, True, False, True],
        english_b=[True, False, True, True, True, True, False],
        weight=0.3,
    ),
    "english everywhere": dict(english_a=True, english_b=True, weight=0.5),
    "cross-lingual only": dict(english_a=None, english_b=None, weight=0.5),
    "english only": dict(english_a=True, english_b=True, weight=0.5, cross=False),
}


@pytest.mark.parametrize("kept", [0, 1 << 24])  # unit cosines recomputed per cell / kept from the scan
@pytest.mark.parametrize("block", [2, 5, 10_000])
@pytest.mark.parametrize("name", sorted(SCENARIOS))
@pytest.mark.parametrize("k", [1, 3, 10])
def test_every_cell_equals_the_dense_computation(monkeypatch, name, block, k, kept):
    monkeypatch.setattr(score_module, "BLOCK_UNITS", block)
    monkeypatch.setattr(score_module, "DENSE_UNITS", kept)
    if block < 10_000:  # the moments summed in several chunks, the last one short
        monkeypatch.setattr(blockwise, "MOMENT_CHUNK", 7)
    s = SCENARIOS[name]
    cross = s.get("cross", True)
    a = article(sentences(FACTS, LAYOUT_A), s["english_a"], cross, seed=1)
    b = article(sentences(FACTS, LAYOUT_B), s["english_b"], cross, seed=2)
    penalty = 0.1
    scorer = PairScorer(a, b, k, s["weight"], penalty)
    want, candidates = expected(scorer, a, b, k, s["weight"], penalty)
    pairs = sorted(want)
    got = scorer.cells(pairs)
    for cell in got:
        w = want[cell.i, cell.j]
        where = f"cell ({cell.i}, {cell.j})"
        for key in ("whole", "part", "score", "cosine"):
            assert getattr(cell, key) == pytest.approx(w[key], abs=2e-5), f"{where} {key}"
        assert (cell.part_a, cell.part_b, cell.space, cell.mutual) == (
            w["part_a"],
            w["part_b"],
            w["space"],
            w["mutual"],
        ), where
    assert set(scorer.candidates()) == candidates
    table = scorer.candidate_table()
    assert list(zip(table.i.tolist(), table.j.tolist())) == scorer.candidates()
    np.testing.assert_array_equal(table.score, scorer.table(scorer.candidates()).score)
    np.testing.assert_allclose(scorer.whole_margins(pairs), [c.whole for c in got], atol=1e-9)


def test_the_score_is_the_better_of_the_whole_and_the_penalised_part():
    a = article(sentences(FACTS, LAYOUT_A), None)
    b = article(sentences(FACTS, LAYOUT_B), None)
    cells = PairScorer(a, b, 3, 0.5, 0.25).cells([(0, 1), (1, 2), (3, 4), (5, 6)])
    by_part = [c for c in cells if c.part - 0.25 > c.whole]
    by_whole = [c for c in cells if c.part - 0.25 <= c.whole]
    assert by_part and by_whole
    for c in by_part:
        assert c.score == pytest.approx(c.part - 0.25, abs=1e-12)
    for c in by_whole:
        assert c.score == pytest.approx(c.whole, abs=1e-12)
    # the fact both state: A0's first clause (fact 0) = B1; A1 = B2's second clause (fact 2); ...
    assert [(c.part_a, c.part_b) for c in cells] == [
        ((0, 9), None),
        (None, (10, 19)),
        (None, (0, 9)),
        (None, (0, 9)),
    ]


def test_the_english_space_needs_two_sentences_with_english_on_each_side():
    one = article(sentences(FACTS, LAYOUT_A), [True] + [False] * 6)
    two = article(sentences(FACTS, LAYOUT_A), [True, True] + [False] * 5)
    b = article(sentences(FACTS, LAYOUT_B), True, seed=2)
    assert PairScorer(one, b, 3, 0.5, 0.1).english is None
    assert PairScorer(one, b, 3, 0.5, 0.1).space == "multilingual"
    assert PairScorer(one, b, 3, 0.5, 0.1).cells([(0, 0)])[0].space == "multilingual"
    scorer = PairScorer(two, b, 3, 0.5, 0.1)
    assert scorer.english is not None and scorer.space == "english+multilingual"
    assert [c.space for c in scorer.cells([(0, 0), (2, 0)])] == ["english", "multilingual"]


@pytest.mark.parametrize(
    "english, cross, weight, label",
    [
        (True, True, 0.5, "english+multilingual"),
        (True, True, 0.0, "english"),
        (True, False, 0.5, "english"),
        (None, True, 0.5, "multilingual"),
        ([True, True, False, True, True, True, True], True, 0.0, "english+multilingual"),
    ],
)
def test_the_space_label(english, cross, weight, label):
    a = article(sentences(FACTS, LAYOUT_A), english, cross)
    b = article(sentences(FACTS, LAYOUT_B), True if english is not None else None, cross, seed=2)
    assert PairScorer(a, b, 3, weight, 0.1).space == label


def test_whole_vectors_are_in_the_space_the_cosines_are_reported_in():
    a = article(sentences(FACTS, LAYOUT_A), True)
    b = article(sentences(FACTS, LAYOUT_B), True, seed=2)
    va, vb = PairScorer(a, b, 3, 0.5, 0.1).whole_vectors()
    np.testing.assert_array_equal(va, a.english.whole())
    np.testing.assert_array_equal(vb, b.english.whole())
    some = article(sentences(FACTS, LAYOUT_A), [True, True, False, True, True, True, True])
    va, vb = PairScorer(some, b, 3, 0.5, 0.1).whole_vectors()
    np.testing.assert_array_equal(va, some.cross.whole())
    np.testing.assert_array_equal(vb, b.cross.whole())


def test_a_pair_without_a_space_to_compare_in_is_refused():
    lacking = article(
        sentences(FACTS, LAYOUT_A), [True, True, False, True, True, True, True], cross=False
    )
    b = article(sentences(FACTS, LAYOUT_B), True, cross=False, seed=2)
    with pytest.raises(ValueError, match="sentences without English need cross-lingual vectors"):
        PairScorer(lacking, b, 3, 0.5, 0.1)
    none = article(sentences(FACTS, LAYOUT_A), None, cross=False)
    with pytest.raises(ValueError, match="no space in which to compare these articles"):
        PairScorer(none, b, 3, 0.5, 0.1)


def test_margin_scores_of_a_small_matrix():
    sim = np.array([[0.9, 0.1, 0.2], [0.3, 0.8, 0.1]])
    spread = sim.std()
    knn_rows = np.array([(0.9 + 0.2) / 2, (0.8 + 0.3) / 2])
    knn_cols = np.array([(0.9 + 0.3) / 2, (0.8 + 0.1) / 2, (0.2 + 0.1) / 2])
    want = (sim - (knn_rows[:, None] + knn_cols[None, :]) / 2) / spread
    np.testing.assert_allclose(margin_scores(sim, k=2), want)
    np.testing.assert_allclose(
        ratio_margin(sim, k=2), sim / ((knn_rows[:, None] + knn_cols[None, :]) / 2)
    )
    # a flat matrix has no spread: the floor keeps the margin finite
    np.testing.assert_allclose(margin_scores(np.full((2, 2), 0.5), k=1), np.zeros((2, 2)))
    np.testing.assert_allclose(
        margin_scores(np.array([[0.5, 0.51], [0.5, 0.5]]), k=1),
        (np.array([[0.5, 0.51], [0.5, 0.5]]) - [[0.505, 0.51], [0.5, 0.505]]) / 0.02,
    )
    assert ratio_margin(np.zeros((1, 1)), k=1)[0, 0] == 0.0
    assert ratio_margin(np.array([[1e-8]]), k=1)[0, 0] == pytest.approx(1e-2)
    assert margin_scores(np.zeros((0, 3))).shape == ratio_margin(np.zeros((0, 3))).shape == (0, 3)


@pytest.mark.parametrize("kept", [0, 1 << 24])
@pytest.mark.parametrize("block", [1, 10_000])
def test_a_tie_with_the_kth_best_is_a_candidate_and_the_first_of_tied_units_is_the_nearest(
    monkeypatch, block, kept
):
    monkeypatch.setattr(score_module, "BLOCK_UNITS", block)
    monkeypatch.setattr(score_module, "DENSE_UNITS", kept)
    e = np.eye(32)
    p, s = e[0], 0.5 * e[0] + e[1]  # cos(p, s) = 0.447
    near_s = s / np.linalg.norm(s) + 0.1 * e[2]  # close to s
    # English space only: equal sentences have equal vectors
    a = article([Sent(p), Sent(s), Sent(near_s), Sent(s)], True, cross=False)
    b = article([Sent(p), Sent(s), Sent(s)], True, cross=False)
    scorer = PairScorer(a, b, 2, 0.5, 0.1)
    # A0's second best is B1 and B2 at once, and neither has A0 among its own two best
    assert {(0, 1), (0, 2)} <= set(scorer.candidates())
    # B1's nearest unit is A1, the first of A1 and A3 (blocks of one unit: A1's block first)
    assert [c.mutual for c in scorer.cells([(1, 1), (3, 1), (1, 2), (3, 2)])] == [
        True,
        False,
        False,
        False,
    ]
