"""Hand-made sentence vectors with distinct English and cross-lingual spaces, for the scorer.

An article is a list of sentences; a sentence is its whole vector and optionally parts (clause
runs) with their spans.  :func:`article` builds its :class:`ArticleVectors` with an English space
and a cross-lingual space that differ (each sentence's cross-lingual vectors are its English
ones mixed with noise), so a test can tell which space a figure came from.  :func:`dense_scores`
is an independent, dense re-statement of the scoring rules (the n x m matrices in full) that the
blockwise scorer must agree with.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from aligner.align import ArticleVectors, Space


def unit(rows) -> np.ndarray:
    m = np.asarray(rows, dtype=np.float64)
    return (m / np.linalg.norm(m, axis=1, keepdims=True)).astype(np.float32)


def basis(n: int, dim: int = 32, seed: int = 0) -> np.ndarray:
    return unit(np.random.default_rng(seed).normal(size=(n, dim)))


@dataclass
class Sent:
    """One sentence: its whole vector and its parts as (span, vector)."""

    whole: np.ndarray
    parts: list = field(default_factory=list)
    span: tuple[int, int] = (0, 100)


def space(sentences: list[Sent], ids=None) -> Space:
    rows, owner, spans = [], [], []
    for k, s in enumerate(sentences):
        rows.append(s.whole), owner.append(k), spans.append(s.span)
        for span, vector in s.parts:
            rows.append(vector), owner.append(k), spans.append(span)
    ids = np.arange(len(sentences)) if ids is None else np.asarray(ids)
    return Space(unit(rows), np.array(owner, dtype=np.int64), tuple(spans), ids)


def noisy(sentences: list[Sent], seed: int, noise: float = 0.6) -> list[Sent]:
    """The same sentences in another space: every vector mixed with its own noise."""
    rng = np.random.default_rng(seed)

    def move(v):
        return v + noise * rng.normal(size=v.shape) / np.sqrt(len(v))

    return [
        Sent(move(s.whole), [(span, move(v)) for span, v in s.parts], s.span) for s in sentences
    ]


def article(
    sentences: list[Sent], english: list[bool] | bool | None = True, cross=True, seed: int = 1
) -> ArticleVectors:
    """``english``: which sentences have English (True: all; None: no English space);
    ``cross``: build the cross-lingual space (noisy copies) or not."""
    n = len(sentences)
    if english is None:
        has, en = np.zeros(n, dtype=bool), None
    else:
        has = (
            np.full(n, bool(english))
            if isinstance(english, bool)
            else np.array(english, dtype=bool)
        )
        en = (
            space([s for s, h in zip(sentences, has) if h], np.flatnonzero(has))
            if has.any()
            else None
        )
    xl = space(noisy(sentences, seed)) if cross else None
    return ArticleVectors(en, has, xl)


def _knn(values: np.ndarray, k: int, axis: int) -> np.ndarray:
    k = min(k, values.shape[axis])
    return (
        np.sort(values, axis=axis)
        .take(range(values.shape[axis] - k, values.shape[axis]), axis=axis)
        .mean(axis=axis)
    )


def dense_space(a: Space, b: Space, k: int, total_a: int, total_b: int) -> dict:
    """Every measure of every cell of one space, from the full matrices (articles' indices).

    Returns cosine, whole, part (n x m, NaN where a sentence is absent from the space),
    best (cell -> (unit of a, unit of b)), candidates, and nearest units.
    """
    units = a.vectors.astype(np.float64) @ b.vectors.T.astype(np.float64)
    sa, sb = a.starts, b.starts
    whole = units[np.ix_(sa, sb)]
    spread = max(float(whole.std()), 0.02)
    whole_m = (whole - (_knn(whole, k, 1)[:, None] + _knn(whole, k, 0)[None, :]) / 2) / spread
    by_b = np.stack(
        [units[:, b.owner == y].max(axis=1) for y in range(b.n_sentences)], axis=1
    )  # unit a x sent b
    by_a = np.stack(
        [units[a.owner == x].max(axis=0) for x in range(a.n_sentences)], axis=0
    )  # sent a x unit b
    row, col = _knn(by_b, k, 1), _knn(by_a, k, 0)
    unit_spread = max(float(units.std()), 0.02)
    unit_m = (units - (row[:, None] + col[None, :]) / 2) / unit_spread
    shape = (total_a, total_b)
    out = {
        "cosine": np.full(shape, np.nan),
        "whole": np.full(shape, np.nan),
        "part": np.full(shape, np.nan),
        "best": {},
        "candidates": set(),
    }
    for x in range(a.n_sentences):
        for y in range(b.n_sentences):
            i, j = int(a.ids[x]), int(b.ids[y])
            block = unit_m[np.ix_(a.owner == x, b.owner == y)]
            flat = int(block.argmax())
            out["cosine"][i, j], out["whole"][i, j], out["part"][i, j] = (
                whole[x, y],
                whole_m[x, y],
                block.max(),
            )
            out["best"][i, j] = (
                int(sa[x] + flat // block.shape[1]),
                int(sb[y] + flat % block.shape[1]),
            )
    kb, ka = min(k, b.n_sentences), min(k, a.n_sentences)
    for x in range(a.n_sentences):
        out["candidates"] |= {(int(a.ids[x]), int(b.ids[y])) for y in np.argsort(-whole[x])[:kb]}
    for y in range(b.n_sentences):
        out["candidates"] |= {(int(a.ids[x]), int(b.ids[y])) for x in np.argsort(-whole[:, y])[:ka]}
    for u in range(len(a.owner)):
        out["candidates"] |= {
            (int(a.ids[a.owner[u]]), int(b.ids[y])) for y in np.argsort(-by_b[u])[:kb]
        }
    for v in range(len(b.owner)):
        out["candidates"] |= {
            (int(a.ids[x]), int(b.ids[b.owner[v]])) for x in np.argsort(-by_a[:, v])[:ka]
        }
    out["nearest_a"], out["nearest_b"] = units.argmax(axis=1), units.argmax(axis=0)
    return out
