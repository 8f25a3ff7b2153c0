"""Similarity and margin scores between the sentences of two articles, whole and in parts.

Public surface: :class:`Space`, :class:`ArticleVectors`, :class:`PairScorer`,
:class:`Cell`, :class:`Measures`, :class:`FreePart`, :func:`margin_scores`, :func:`ratio_margin`.

Each sentence is embedded as *units*: the whole sentence, and, when it has
two or more clauses, every run of up to ``max_run`` consecutive clauses.  For a
pair of sentences (i, j), in one embedding space:

* ``whole``: the cosine of the two whole sentences;
* ``part``: the best cosine over all pairs of their units -- high when one
  sentence states only part of the other's facts.

Each is turned into a standardised margin: the cosine minus the mean of the k
best cosines of both sentences' rows and columns, divided by the spread of the
article pair's cosines (Artetxe & Schwenk's margin idea, standardised so that
embedders with different cosine ranges compare).  English and cross-lingual
margins are mixed per cell with ``weight``; a cell's ``score`` is the better of
its whole margin and its part margin less ``part_penalty``.

Memory is linear in the number of sentences: cosines are computed in blocks
of rows; per row and per column only the k best values (for the margins) and
the running moments (for the spread) are kept, never the n x m matrix.  A pair
whose cosine is not among the k best of its row or of its column has a margin
<= 0 in that space, so the pairs worth scoring -- the *candidates* -- are the
union of every row's and column's k best (and of any value tied with the k-th best), over
both measures and both spaces.  Up to :data:`DENSE_UNITS` unit pairs (64 MB of float32), a pair
of articles keeps its unit cosines from the scan, so the part margins of the cells asked for are
read rather than recomputed; above it, nothing quadratic is kept.

Speed (issue 23; ``benchmarks/linking_speed.py``): one GEMM per block of rows, whose columns are
b's units arranged by a :class:`Layout` (every sentence's first unit, then every second unit,
...) and whose rows are the block's units arranged the same way, so the maxima over each
sentence's units, either way, are taken from slices, not gathered copies; the k best values of
every row are found by k ``argmax`` passes (several times faster than ``np.partition`` for
k = 4) and averaged from the largest down, so the means are the same floats as before; a block
merges into the columns' k best only where it can change them; the moments are summed a
cache-sized chunk at a time.  These array steps are in :mod:`aligner.align.blockwise`.  Part
margins are computed for candidate cells only.  The GEMM is
bit for bit the same in any row and column order (checked on the NTREX pair); the moments are
summed in another order than before (which can move a spread by its last bit), yet on the
benchmark's pairs every k-best mean, spread and candidate is the same float as before, and the
links are identical (equal hashes).

Over 400 lines because the scan, the table of cell measures and the margins all read one
article pair's per-unit state (:class:`PairScorer`); split, every half would pass it back
and forth (the scan's stateless array steps are already apart, in
:mod:`aligner.align.blockwise`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from aligner.align.blockwise import (
    ColumnTop,
    Layout,
    Moments,
    first_unit_of,
    nearest_units,
    row_top,
)
from aligner.align.params import DEFAULT_K  # noqa: F401  (re-exported)

MIN_SPREAD = 0.02
BLOCK_UNITS = (
    512  # rows of unit cosines computed at once (memory: BLOCK_UNITS x units of the other article)
)
PAIR_CHUNK = 65536  # unit pairs of candidate cells scored at once
# up to this many unit pairs, a pair of articles keeps its unit cosines after the scan (64 MB of
# float32) and reads cells from them; larger pairs recompute the unit pairs of the cells asked for
DENSE_UNITS = 1 << 24
ENGLISH, MULTILINGUAL = "english", "multilingual"


@dataclass(frozen=True)
class Space:
    """One article's units in one embedding space.

    ``vectors``: unit rows (norm 1), grouped by sentence, each sentence's whole
    unit first; ``owner``: the (local) sentence of each unit, 0, 1, 2, ...;
    ``ids``: the article's sentence index of each local sentence (a space may
    hold only some sentences, e.g. those with English); ``spans``: each unit's
    (start, end) in the text that was embedded (the sentence's English, or its
    source text); ``starts``: the first unit of every sentence.
    """

    vectors: np.ndarray
    owner: np.ndarray
    spans: tuple[tuple[int, int], ...]
    ids: np.ndarray

    @property
    def starts(self) -> np.ndarray:
        if not len(self.owner):
            return np.zeros(0, int)
        return np.flatnonzero(np.r_[True, self.owner[1:] != self.owner[:-1]])

    @property
    def n_sentences(self) -> int:
        """How many sentences have units here."""
        return int(self.owner[-1]) + 1 if len(self.owner) else 0

    def whole(self) -> np.ndarray:
        return self.vectors[self.starts]

    def local(self, total: int) -> np.ndarray:
        """For each of the article's ``total`` sentences its local index here, -1 when absent."""
        out = np.full(total, -1, dtype=np.int64)
        out[self.ids] = np.arange(len(self.ids))
        return out


@dataclass(frozen=True)
class ArticleVectors:
    """One article's spaces: ``english`` (None when not used; its rows for
    sentences without English are unused) with ``has_english``, and ``cross``
    (cross-lingual, on source text; None when not used)."""

    english: Space | None
    has_english: np.ndarray
    cross: Space | None


@dataclass(frozen=True)
class Cell:
    """The scores of one sentence pair."""

    i: int
    j: int
    score: float  # the margin that links are decided on (before number and word evidence)
    whole: float  # combined margin of the whole sentences
    part: float  # combined margin of the best parts
    cosine: float  # whole-sentence cosine in the reported space
    part_a: tuple[int, int] | None  # the best part's span in sentence i (None: the whole sentence)
    part_b: tuple[int, int] | None
    space: str  # "english" or "multilingual": where the parts were measured
    mutual: bool = False  # the best parts are each other's nearest unit in that space


class WholeScores(NamedTuple):
    """Whole-sentence measures of some cells in one space, one value per cell."""

    cosine: np.ndarray
    margin: np.ndarray


@dataclass(frozen=True)
class Measures:
    """The measures of some cells in one space, one row per cell.

    ``cosine``: whole-sentence cosine; ``whole``: its margin; ``part``: the best
    unit-pair margin; ``unit_a``/``unit_b``: that unit pair (indices into the
    spaces' units; -1 where the cell was not measured in this space; the first
    such pair in the order of a's units, then b's, when several reach the best).
    """

    cosine: np.ndarray
    whole: np.ndarray
    part: np.ndarray
    unit_a: np.ndarray
    unit_b: np.ndarray

    @classmethod
    def empty(cls, n: int) -> Measures:
        zeros, none = np.zeros(n), np.full(n, -1, dtype=np.int64)
        return cls(zeros, zeros.copy(), zeros.copy(), none, none.copy())

    def scatter(self, into: np.ndarray) -> Measures:
        """These rows placed at ``into`` (a mask) of rows shaped like ``into``, others empty."""
        out = Measures.empty(len(into))
        for name in ("cosine", "whole", "part", "unit_a", "unit_b"):
            getattr(out, name)[into] = getattr(self, name)
        return out


def _knn_means(sim: np.ndarray, k: int) -> np.ndarray:
    n, m = sim.shape
    knn_a = np.sort(sim, axis=1)[:, -min(k, m) :].mean(axis=1)
    knn_b = np.sort(sim, axis=0)[-min(k, n) :, :].mean(axis=0)
    return (knn_a[:, None] + knn_b[None, :]) / 2.0


def ratio_margin(sim: np.ndarray, k: int = DEFAULT_K) -> np.ndarray:
    """LASER's ratio margin ``cos / mean(knn_mean(i), knn_mean(j))`` (the eval's baseline)."""
    if sim.size == 0:
        return np.zeros_like(sim)
    denom = _knn_means(sim, k)
    return sim / np.where(np.abs(denom) < 1e-6, 1e-6, denom)


def margin_scores(sim: np.ndarray, k: int = DEFAULT_K) -> np.ndarray:
    """Standardised margin of a matrix: ``(cos - mean(knn_mean(i), knn_mean(j))) / std(sim)``."""
    if sim.size == 0:
        return np.zeros_like(sim)
    spread = max(float(sim.std()), MIN_SPREAD)
    return (sim - _knn_means(sim, k)) / spread


@dataclass
class _Stats:
    """Margin statistics of one measure (whole or part) in one space for one article pair."""

    row_knn: np.ndarray
    col_knn: np.ndarray
    spread: float

    def margin(self, cos: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        return (cos - (self.row_knn[i] + self.col_knn[j]) / 2.0) / self.spread


class _SpacePair:
    """Both measures of one space for articles a (rows) and b (columns), computed blockwise.

    * whole: sentence-level margins of the whole-sentence cosines;
    * part: unit-level margins -- each unit's cosine with a unit of the other
      article, less the mean of both units' k best matches among the other
      article's sentences -- and a pair of sentences takes its best unit pair.
      A clause that matches one clause of the other article and nothing else
      stands out there even when the rest of its sentence does not.

    Works in the spaces' local sentence indices; ``candidates`` (codes ``i * total_b + j``)
    and ``measures`` speak the articles' indices.
    """

    def __init__(self, a: Space, b: Space, k: int, total_a: int, total_b: int):
        self.a, self.b, self.k, self.total_b = a, b, k, total_b
        self.local_a, self.local_b = a.local(total_a), b.local(total_b)
        self.a_starts, self.b_starts = a.starts, b.starts
        self.a_ends = np.r_[self.a_starts[1:], len(a.owner)]
        self.b_ends = np.r_[self.b_starts[1:], len(b.owner)]
        self._scan(min(k, b.n_sentences), min(k, a.n_sentences))

    def _scan(self, kb: int, ka: int) -> None:
        """One pass over blocks of a's units: k-best rows and columns, moments, nearest units.

        The unit cosines' columns are b's units arranged by b's :class:`Layout`, and each
        block's rows are its units arranged by the block's: the maxima over each sentence's
        units, either way, take slices, not copies.  ``self.row`` and ``self.column`` are the
        row of each a unit and the column of each b unit.
        """
        a, b = self.a, self.b
        n, m = a.n_sentences, b.n_sentences
        b_layout = Layout.of(self.b_starts, len(b.owner))
        self.column, whole_columns = b_layout.places(), b_layout.firsts()
        b_columns = b.vectors[b_layout.units]
        self.row = np.arange(len(a.owner))
        whole_cols = ColumnTop(m, ka)  # per b sentence, its best a sentences
        unit_cols = ColumnTop(len(b.owner), ka)  # per column (b unit), its best a sentences
        whole_rows, unit_rows = np.zeros(n), np.zeros(len(a.owner))
        whole_moments, unit_moments = Moments(), Moments()
        # each unit's nearest unit of the other article (for mutual nearest neighbours)
        self.nearest_a = np.zeros(len(a.owner), dtype=np.int64)
        nearest_b = np.zeros(len(b.owner), dtype=np.int64)  # per column
        best_b = np.full(len(b.owner), -np.inf, dtype=np.float32)
        found_a, found_b = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]  # candidates, local
        blocks = list(_blocks(self.a_starts, len(a.owner))) if n and m else []
        keep = len(a.owner) * len(b.owner) <= DENSE_UNITS
        self.units = np.empty((len(a.owner), len(b.owner)), dtype=np.float32) if keep else None
        for first, last in blocks:
            sentences = np.arange(a.owner[first], a.owner[last - 1] + 1)
            starts = self.a_starts[sentences] - first
            a_layout = Layout.of(starts, last - first)
            rows = first + a_layout.units  # the block's rows: a's units
            self.row[rows] = np.arange(first, last)
            shape = (last - first, len(b.owner))
            units = self.units[first:last] if keep else np.empty(shape, np.float32)
            np.matmul(a.vectors[rows], b_columns.T, out=units)
            top = row_top(b_layout.maxima(units, axis=1), kb)  # a unit x b sentence
            self.nearest_a[rows] = nearest_units(units, top, b_layout)
            unit_rows[rows] = top.means
            found_a.append(a.owner[rows[top.rows]]), found_b.append(b_layout.order[top.columns])
            by_a = np.empty((len(starts), len(b.owner)), np.float32)  # a sentence x column
            by_a[a_layout.order] = a_layout.maxima(units, axis=0)
            unit_cols.add(by_a, int(sentences[0]))
            maxima = by_a.max(axis=0)  # every column's best cosine in this block
            better = np.flatnonzero(maxima > best_b)  # an earlier block keeps a tie
            best_b[better] = maxima[better]
            nearest_b[better] = first + first_unit_of(
                units, a_layout, by_a, starts, better, maxima[better]
            )
            whole = units[np.ix_(a_layout.firsts(), whole_columns)]  # a sentence x b sentence
            top = row_top(whole, kb)
            whole_rows[sentences] = top.means
            found_a.append(sentences[top.rows]), found_b.append(top.columns)
            whole_cols.add(whole, int(sentences[0]))
            whole_moments.add(whole)
            unit_moments.add(units)
        self.nearest_b = nearest_b[self.column]
        if n and m:
            rows, cols = whole_cols.found()
            found_a.append(rows), found_b.append(cols)
            rows, cols = unit_cols.found()
            found_a.append(rows), found_b.append(b.owner[b_layout.units[cols]])
        found_a, found_b = np.concatenate(found_a), np.concatenate(found_b)
        self.candidates = np.unique(a.ids[found_a] * self.total_b + b.ids[found_b])
        self.whole_stats = _Stats(whole_rows, whole_cols.means(), max(whole_moments.std(), MIN_SPREAD))
        self.unit_stats = _Stats(unit_rows, unit_cols.means()[self.column], max(unit_moments.std(), MIN_SPREAD))

    def whole(self, i: np.ndarray, j: np.ndarray) -> WholeScores:
        """Whole-sentence cosines and margins of cells (i, j) (articles' indices)."""
        i, j = self.local_a[i], self.local_b[j]
        if self.units is not None:
            cosine = self.units[self.row[self.a_starts[i]], self.column[self.b_starts[j]]]
        else:
            va, vb = self.a.vectors[self.a_starts[i]], self.b.vectors[self.b_starts[j]]
            cosine = np.einsum("ij,ij->i", va, vb)
        return WholeScores(cosine, self.whole_stats.margin(cosine, i, j))

    def _unit_cosines(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Cosines of unit pairs (u of a, v of b): read from the kept ones (as a flat array: twice
        as fast as by row and column), else computed in chunks of PAIR_CHUNK."""
        if self.units is not None:
            return self.units.ravel().take(self.row[u] * self.units.shape[1] + self.column[v])
        cos = np.empty(len(u), dtype=np.float32)
        for lo in range(0, len(u), PAIR_CHUNK):
            hi = lo + PAIR_CHUNK
            cos[lo:hi] = np.einsum("ij,ij->i", self.a.vectors[u[lo:hi]], self.b.vectors[v[lo:hi]])
        return cos

    def measures(self, i: np.ndarray, j: np.ndarray) -> Measures:
        """The :class:`Measures` of cells (i, j) (articles' indices).

        Vectorised: every unit pair of every cell in one array, the best per cell by a
        grouped maximum.
        """
        if not len(i):
            return Measures.empty(0)
        cosine, whole = self.whole(i, j)
        i, j = self.local_a[i], self.local_b[j]
        size_a, size_b = self.a_ends[i] - self.a_starts[i], self.b_ends[j] - self.b_starts[j]
        sizes = size_a * size_b
        first = np.cumsum(sizes) - sizes
        cell = np.repeat(np.arange(len(i)), sizes)
        # every cell's unit pairs, a's units in order, each with b's units in order: built from
        # one row per (cell, unit of a) by repeats (eight times faster than by // and %)
        row_cell = np.repeat(np.arange(len(i)), size_a)
        row_first = np.cumsum(size_a) - size_a
        row_u = self.a_starts[i][row_cell] + (np.arange(len(row_cell)) - row_first[row_cell])
        row_size = size_b[row_cell]
        row_pair = np.cumsum(row_size) - row_size  # the row's first unit pair
        u = np.repeat(row_u, row_size)
        v = np.repeat(self.b_starts[j][row_cell] - row_pair, row_size) + np.arange(len(u))
        margin = self.unit_stats.margin(self._unit_cosines(u, v), u, v)
        part = np.maximum.reduceat(margin, first)
        # the first unit pair of each cell reaching its maximum (every cell has one; in order)
        hit = np.flatnonzero(margin == part[cell])
        best = hit[np.r_[True, cell[hit][1:] != cell[hit][:-1]]]
        return Measures(cosine, whole, part, u[best], v[best])

    def mutual(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Are units u (of a) and v (of b) each other's nearest unit?"""
        return (self.nearest_a[u] == v) & (self.nearest_b[v] == u)

    def part_spans(self, units: np.ndarray, side: str) -> list[tuple[int, int] | None]:
        """The span of every best unit; None where it is its sentence's whole unit."""
        space, starts = (self.a, self.a_starts) if side == "a" else (self.b, self.b_starts)
        whole = units == starts[space.owner[units]]
        return [None if w else space.spans[x] for x, w in zip(units.tolist(), whole.tolist())]


def _blocks(starts: np.ndarray, total: int):
    """Unit ranges [first, last) of whole sentences, about BLOCK_UNITS units each."""
    first = 0
    bounds = list(starts[1:]) + [total]
    for end in bounds:
        if end - first >= BLOCK_UNITS:
            yield first, end
            first = end
    if first < total:
        yield first, total


@dataclass(frozen=True)
class _Table:
    """Scores of many cells as arrays (what :meth:`PairScorer.table` returns)."""

    i: np.ndarray
    j: np.ndarray
    score: np.ndarray
    whole: np.ndarray
    part: np.ndarray
    cosine: np.ndarray
    in_english: np.ndarray  # parts measured in the English space
    english: Measures | None
    cross: Measures | None


def _as_arrays(pairs: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """The sentences of a and of b of (i, j) pairs, as two arrays."""
    i, j = zip(*pairs) if len(pairs) else ((), ())
    return np.array(i, dtype=np.int64), np.array(j, dtype=np.int64)


class FreePart(NamedTuple):
    """:meth:`PairScorer.part_avoiding`'s answer: a cell's best part avoiding the taken ones."""

    margin: float  # its combined part margin (before part_penalty)
    part_a: tuple[int, int] | None  # its span in sentence i (None: the whole sentence)
    part_b: tuple[int, int] | None  # and in sentence j


class PairScorer:
    """Scores of sentence pairs of articles a and b, any cell on demand.

    ``candidates()`` are the cells that can have a positive margin; ``cells()``
    scores any list of cells (linking asks for a few outside the candidates);
    ``table()`` scores many cells as arrays.

    The English space is used when both articles have at least 2 sentences with
    English; the cross-lingual space when both have cross-lingual vectors.
    Cosines are reported in English when every sentence of both has English.
    """

    def __init__(
        self, a: ArticleVectors, b: ArticleVectors, k: int, weight: float, part_penalty: float
    ):
        self.a, self.b, self.weight, self.part_penalty = a, b, weight, part_penalty
        self._memo: dict[tuple[int, int], Cell] = {}
        self._whole: tuple[np.ndarray, np.ndarray] | None = None
        n, m = len(a.has_english), len(b.has_english)
        use_english = (
            a.english is not None
            and b.english is not None
            and a.has_english.sum() >= 2
            and b.has_english.sum() >= 2
        )
        self.english = _SpacePair(a.english, b.english, k, n, m) if use_english else None
        has_cross = a.cross is not None and b.cross is not None
        self.cross = _SpacePair(a.cross, b.cross, k, n, m) if has_cross else None
        if self.english is None and self.cross is None:
            raise ValueError("no space in which to compare these articles")
        self.english_everywhere = use_english and bool(a.has_english.all() and b.has_english.all())
        if self.cross is None and not self.english_everywhere:
            raise ValueError("sentences without English need cross-lingual vectors")
        if self.cross is None or (self.english_everywhere and weight == 0):
            self.space = "english"
        elif self.english is None:
            self.space = MULTILINGUAL
        else:
            self.space = "english+multilingual"

    def _candidate_cells(self) -> tuple[np.ndarray, np.ndarray]:
        """The sentences of a and of b of the cells that can have a positive margin, in order."""
        codes = np.union1d(*(sp.candidates if sp else np.zeros(0, np.int64)
                             for sp in (self.english, self.cross)))
        return np.divmod(codes, len(self.b.has_english))

    def candidates(self) -> list[tuple[int, int]]:
        """The cells that can have a positive margin, in order."""
        i, j = self._candidate_cells()
        return list(zip(i.tolist(), j.tolist()))

    def candidate_table(self) -> _Table:
        """:meth:`table` of the :meth:`candidates`."""
        return self._table(*self._candidate_cells())

    def _in_english(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Cells whose two sentences both have English (measured in the English space)."""
        if self.english is None:
            return np.zeros(len(i), dtype=bool)
        return self.a.has_english[i] & self.b.has_english[j]

    def _mix(
        self, english: np.ndarray | None, cross: np.ndarray | None, both: np.ndarray
    ) -> np.ndarray:
        """One measure of both spaces mixed: weight on the cross-lingual one where both apply."""
        if cross is None:
            return english
        if english is None:
            return cross
        return np.where(both, (1 - self.weight) * english + self.weight * cross, cross)

    def table(self, pairs: list[tuple[int, int]]) -> _Table:
        """The scores of every pair as arrays, in the order given."""
        return self._table(*_as_arrays(pairs))

    def _table(self, i: np.ndarray, j: np.ndarray) -> _Table:
        both = self._in_english(i, j)
        cross = self.cross.measures(i, j) if self.cross is not None else None
        english = None
        if self.english is not None:
            english = self.english.measures(i[both], j[both]).scatter(both)
        whole = self._mix(english.whole if english else None, cross.whole if cross else None, both)
        part = self._mix(english.part if english else None, cross.part if cross else None, both)
        cosine = english.cosine if self.english_everywhere else cross.cosine
        score = np.maximum(whole, part - self.part_penalty)
        return _Table(i, j, score, whole, part, cosine, both, english, cross)

    def whole_margins(self, pairs: list[tuple[int, int]]) -> np.ndarray:
        """The combined whole-sentence margin of every pair (:attr:`Cell.whole`), without parts."""
        i, j = _as_arrays(pairs)
        both = self._in_english(i, j)
        english = cross = None
        if self.cross is not None:
            cross = self.cross.whole(i, j).margin
        if self.english is not None:
            english = np.zeros(len(i))
            english[both] = self.english.whole(i[both], j[both]).margin
        return self._mix(english, cross, both)

    def _make_cells(self, table: _Table, rows: np.ndarray) -> None:
        """Remember the :class:`Cell` of every row ``rows`` of a :meth:`table`."""
        for name, sp, in_space in (
            (ENGLISH, self.english, table.in_english[rows]),
            (MULTILINGUAL, self.cross, ~table.in_english[rows]),
        ):
            these = rows[in_space]
            if not len(these):
                continue
            best = table.english if name == ENGLISH else table.cross
            ua, ub = best.unit_a[these], best.unit_b[these]
            columns = (table.i, table.j, table.score, table.whole, table.part, table.cosine)
            for i, j, score, whole, part, cosine, part_a, part_b, mutual in zip(
                *(column[these].tolist() for column in columns),
                sp.part_spans(ua, "a"), sp.part_spans(ub, "b"), sp.mutual(ua, ub).tolist(),
            ):
                self._memo[i, j] = Cell(
                    i, j, score, whole, part, cosine, part_a, part_b, name, mutual
                )

    def cells(self, pairs: list[tuple[int, int]]) -> list[Cell]:
        """The :class:`Cell` of every pair (computed once, then remembered)."""
        missing = [p for p in dict.fromkeys(pairs) if p not in self._memo]
        if missing:
            self._make_cells(self.table(missing), np.arange(len(missing)))
        return [self._memo[p] for p in pairs]

    def cells_of(self, table: _Table, rows) -> list[Cell]:
        """The :class:`Cell` of some rows of a :meth:`table` (remembered like :meth:`cells`)."""
        rows = np.asarray(list(rows), dtype=np.int64)
        keys = list(zip(table.i[rows].tolist(), table.j[rows].tolist()))
        new = {key: r for key, r in zip(keys, rows.tolist()) if key not in self._memo}
        if new:
            self._make_cells(table, np.fromiter(new.values(), dtype=np.int64, count=len(new)))
        return [self._memo[key] for key in keys]

    def whole_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """Whole-sentence vectors of the space the cosines are reported in (for 1-2/2-1 merges)."""
        if self._whole is None:
            sp = self.english if self.english_everywhere else self.cross
            self._whole = (sp.a.whole(), sp.b.whole())
        return self._whole

    def part_avoiding(
        self, i: int, j: int, side: str, taken: list[tuple[int, int] | None]
    ) -> FreePart | None:
        """Cell (i, j)'s best part whose clause run in sentence i (``side`` "a") or j ("b")
        overlaps none of ``taken`` (the parts that sentence's links matched): its combined part
        margin and both spans; None when no clause run of that sentence is free.

        For a sentence that already has a partner: a different part of it may match another.
        The part margin is measured in the cell's space; where both spaces are mixed, the drop
        from the cell's best part in that space is taken off its combined part margin.
        """
        in_english = bool(self._in_english(np.array([i]), np.array([j]))[0])
        sp = self.english if in_english else self.cross
        x, y = int(sp.local_a[i]), int(sp.local_b[j])
        u = np.arange(int(sp.a_starts[x]), int(sp.a_ends[x]))
        v = np.arange(int(sp.b_starts[y]), int(sp.b_ends[y]))
        cos = sp.a.vectors[u] @ sp.b.vectors[v].T
        margins = sp.unit_stats.margin(cos, u[:, None], v[None, :])
        own, space = (u, sp.a) if side == "a" else (v, sp.b)
        free = np.array([k != own[0] and not any(
            t is None or (space.spans[k][0] < t[1] and t[0] < space.spans[k][1]) for t in taken)
            for k in own.tolist()])
        if not free.any():
            return None
        allowed = margins[free, :] if side == "a" else margins[:, free]
        r, c = np.unravel_index(int(allowed.argmax()), allowed.shape)
        if side == "a":
            r = int(np.flatnonzero(free)[r])
        else:
            c = int(np.flatnonzero(free)[c])
        table = self.table([(i, j)])
        part = float(table.part[0]) - (float(margins.max()) - float(margins[r, c]))
        span_a, span_b = sp.part_spans(u[r : r + 1], "a")[0], sp.part_spans(v[c : c + 1], "b")[0]
        return FreePart(part, span_a, span_b)
