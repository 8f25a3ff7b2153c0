"""Similarity and margin scores between the sentences of two articles.

Public surface: :class:`ArticleVectors`, :class:`PairScores`,
:func:`margin_scores`, :func:`ratio_margin`, :func:`pair_scores`.

Vectors in, matrices out; no model is loaded here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DEFAULT_K = 4
MIN_SPREAD = 0.02


@dataclass(frozen=True)
class ArticleVectors:
    """One article's sentence vectors (unit rows).

    ``english``: rows for sentences with English (zeros elsewhere) and
    ``has_english`` the mask, or None when the English space is not used;
    ``cross``: cross-lingual vectors of the source sentences, or None.
    """

    english: np.ndarray | None
    has_english: np.ndarray
    cross: np.ndarray | None


@dataclass(frozen=True)
class PairScores:
    sim: np.ndarray  # cosines of the space the link evidence reports
    margin: np.ndarray  # standardised margin, English and cross-lingual combined
    space: str  # "english", "multilingual" or "english+multilingual"
    vectors: tuple[np.ndarray, np.ndarray]  # the rows behind ``sim``, for 1-2/2-1 merges


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


def pair_scores(a: ArticleVectors, b: ArticleVectors, k: int = DEFAULT_K, weight: float = 0.5) -> PairScores:
    """Cosine and margin matrices for articles ``a`` (rows) and ``b`` (columns).

    * every sentence of both articles has English: the English space, its
      margin mixed with the cross-lingual margin (``weight``) when there is one;
    * some have English: the cross-lingual space, with the English margin mixed
      in the same way for the pairs where both sentences have English;
    * none: the cross-lingual space on source text.
    """
    xl = None
    if a.cross is not None and b.cross is not None:
        xl_sim = a.cross @ b.cross.T
        xl = (xl_sim, margin_scores(xl_sim, k))
    use_english = a.english is not None and b.english is not None
    if use_english and a.has_english.all() and b.has_english.all():
        sim = a.english @ b.english.T
        margin = margin_scores(sim, k)
        if xl is not None and weight > 0:
            return PairScores(sim, (1 - weight) * margin + weight * xl[1], "english+multilingual", (a.english, b.english))
        return PairScores(sim, margin, "english", (a.english, b.english))
    if xl is None:
        raise ValueError("sentences without English need cross-lingual vectors")
    xl_sim, xl_margin = xl
    ia = np.flatnonzero(a.has_english) if use_english else np.zeros(0, int)
    jb = np.flatnonzero(b.has_english) if use_english else np.zeros(0, int)
    if len(ia) < 2 or len(jb) < 2:
        return PairScores(xl_sim, xl_margin, "multilingual", (a.cross, b.cross))
    margin = xl_margin.copy()
    cells = np.ix_(ia, jb)
    margin[cells] = (1 - weight) * margin_scores(a.english[ia] @ b.english[jb].T, k) + weight * xl_margin[cells]
    return PairScores(xl_sim, margin, "english+multilingual", (a.cross, b.cross))
