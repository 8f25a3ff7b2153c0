"""Link the sentences of two comparable articles that state the same facts.

Public surface: :class:`AlignParams`, :class:`PairLink`, :func:`margin_scores`,
:func:`align_pair`.

Comparable articles are not parallel: most sentences may have no partner and
the order differs.  So there is no monotonic path and no bare cosine cut-off:

1. *Margin.*  From each cosine the mean cosine of the k nearest neighbours
   of both sentences is subtracted (the margin idea of Artetxe & Schwenk,
   2019), and the difference is divided by the spread of all cosines of the
   article pair.  A pair is good when it stands out from each sentence's
   neighbourhood; the scale makes scores comparable between embedders whose
   cosines live in different ranges (multilingual-e5 puts unrelated pairs at
   0.7-0.8, all-MiniLM near 0).
2. *Evidence.*  A shared number (500, 1.000 = 1,000, 2030) raises the score by
   ``number_bonus`` for each shared value, up to two.
3. *Competitive linking.*  Pairs are taken best first, each sentence at most
   once, while the score is at least ``threshold``.
4. *1-2 and 2-1.*  A linked sentence absorbs an unlinked neighbour of its
   partner when the two together match it clearly better (``merge_gain``) and
   the neighbour on its own is related to it (``merge_threshold``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DEFAULT_K = 4
DEFAULT_THRESHOLD = 0.6
DEFAULT_NUMBER_BONUS = 0.25
DEFAULT_MERGE_GAIN = 0.03
DEFAULT_MERGE_THRESHOLD = 0.5
MIN_SPREAD = 0.02


@dataclass(frozen=True)
class AlignParams:
    k: int = DEFAULT_K
    threshold: float = DEFAULT_THRESHOLD
    number_bonus: float = DEFAULT_NUMBER_BONUS
    merge_gain: float = DEFAULT_MERGE_GAIN
    merge_threshold: float = DEFAULT_MERGE_THRESHOLD


@dataclass(frozen=True)
class PairLink:
    a: tuple[int, ...]  # sentence indices in article A (1 or 2, adjacent)
    b: tuple[int, ...]  # sentence indices in article B
    score: float  # margin score incl. evidence bonus
    cosine: float
    margin: float
    shared_numbers: tuple[str, ...]


def _knn_means(sim: np.ndarray, k: int) -> np.ndarray:
    n, m = sim.shape
    knn_a = np.sort(sim, axis=1)[:, -min(k, m):].mean(axis=1)
    knn_b = np.sort(sim, axis=0)[-min(k, n):, :].mean(axis=0)
    return (knn_a[:, None] + knn_b[None, :]) / 2.0


def ratio_margin(sim: np.ndarray, k: int = DEFAULT_K) -> np.ndarray:
    """LASER's ratio margin: ``cos / mean(knn_mean(i), knn_mean(j))``.

    Used by the evaluation baseline.  With embedders whose unrelated pairs sit
    near cosine 0 (all-MiniLM) the denominator can approach 0 and the ratio
    explodes, which is why :func:`margin_scores` standardises a difference.
    """
    if sim.size == 0:
        return np.zeros_like(sim)
    denom = _knn_means(sim, k)
    return sim / np.where(np.abs(denom) < 1e-6, 1e-6, denom)


def margin_scores(sim: np.ndarray, k: int = DEFAULT_K) -> np.ndarray:
    """Standardised margin: ``(cos - mean(knn_mean(i), knn_mean(j))) / std(sim)``.

    How far a pair stands out from both sentences' neighbourhoods, in units of
    the spread of all the pair's cosines; comparable across embedders whose
    cosines live in different ranges, and stable when cosines are near 0.
    """
    if sim.size == 0:
        return np.zeros_like(sim)
    spread = max(float(sim.std()), MIN_SPREAD)
    return (sim - _knn_means(sim, k)) / spread


def shared_numbers(nums_a: tuple[str, ...], nums_b: tuple[str, ...]) -> tuple[str, ...]:
    sb = set(nums_b)
    return tuple(dict.fromkeys(n for n in nums_a if n in sb))


def align_pair(
    sim: np.ndarray,
    margin: np.ndarray,
    numbers_a: list[tuple[str, ...]],
    numbers_b: list[tuple[str, ...]],
    params: AlignParams = AlignParams(),
    vectors: tuple[np.ndarray, np.ndarray] | None = None,
) -> list[PairLink]:
    """Links between articles A (rows) and B (columns).

    ``sim`` is the cosine matrix, ``margin`` the (possibly combined) margin
    matrix, ``numbers_*`` the canonical numbers of each sentence; ``vectors``
    (unit rows for A and B) enable 1-2/2-1 merges.
    """
    n, m = margin.shape
    if n == 0 or m == 0:
        return []
    shared = [[shared_numbers(numbers_a[i], numbers_b[j]) for j in range(m)] for i in range(n)]
    bonus = np.array([[min(len(shared[i][j]), 2) for j in range(m)] for i in range(n)], dtype=np.float64)
    score = margin + params.number_bonus * bonus

    pairs = _compete(score, params.threshold)
    used_a, used_b = {i for i, _ in pairs}, {j for _, j in pairs}

    links = []
    for i, j in sorted(pairs):
        a, b = (i,), (j,)
        if vectors is not None:
            a, b = _merge(i, j, used_a, used_b, margin, vectors, params)
        nums = tuple(dict.fromkeys(x for ia in a for jb in b for x in shared[ia][jb]))
        links.append(
            PairLink(
                a=a,
                b=b,
                score=round(float(score[i, j]), 4),
                cosine=round(float(sim[i, j]), 4),
                margin=round(float(margin[i, j]), 4),
                shared_numbers=nums,
            )
        )
    return links


def _compete(score: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Competitive linking: best pairs first, each row and column at most once."""
    m = score.shape[1]
    used_a, used_b, pairs = set(), set(), []
    for flat in np.argsort(-score, axis=None, kind="stable"):
        i, j = divmod(int(flat), m)
        if score[i, j] < threshold:
            break
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append((i, j))
    return pairs


def _merge(i, j, used_a, used_b, margin, vectors, params):
    """Try to grow (i, j) into a 2-1 or 1-2 link with an unlinked adjacent sentence."""
    va, vb = vectors
    base = float(va[i] @ vb[j])
    best = None  # (gain, side, index)
    for side, own, other, used, vecs, partner in (
        ("a", i, j, used_a, va, vb[j]),
        ("b", j, i, used_b, vb, va[i]),
    ):
        for nb in (own - 1, own + 1):
            if nb < 0 or nb >= len(vecs) or nb in used:
                continue
            related = margin[nb, other] if side == "a" else margin[other, nb]
            if related < params.merge_threshold:
                continue
            joint = vecs[own] + vecs[nb]
            joint = joint / (np.linalg.norm(joint) or 1.0)
            gain = float(joint @ partner) - base
            if gain >= params.merge_gain and (best is None or gain > best[0]):
                best = (gain, side, nb)
    if best is None:
        return (i,), (j,)
    _, side, nb = best
    if side == "a":
        used_a.add(nb)
        return tuple(sorted((i, nb))), (j,)
    used_b.add(nb)
    return (i,), tuple(sorted((j, nb)))
