"""Similarity and margin scores between the sentences of two articles, whole and in parts.

Public surface: :class:`Space`, :class:`ArticleVectors`, :class:`PairScorer`,
:class:`Cell`, :class:`Measures`, :func:`margin_scores`, :func:`ratio_margin`.

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
union of every row's and column's k best, over both measures and both spaces.
Up to :data:`DENSE_UNITS` unit pairs (64 MB of float32), a pair of articles keeps its unit
cosines from the scan, so part margins are read rather than recomputed; above it, nothing
quadratic is kept.

Over 400 lines because the scan, the table of cell measures and the margins all read one
article pair's per-unit state (:class:`PairScorer`); split, every half would pass it back
and forth.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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
    def sentences(self) -> int:
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


@dataclass(frozen=True)
class Measures:
    """The measures of some cells in one space, one row per cell.

    ``cosine``: whole-sentence cosine; ``whole``: its margin; ``part``: the best
    unit-pair margin; ``unit_a``/``unit_b``: that unit pair (indices into the
    spaces' units; -1 where the cell was not measured in this space, or where
    the pair is found only when asked for: :meth:`_SpacePair.best_pair`).
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


class _TopK:
    """The k largest values (and their row indices) of every column, merged block by block."""

    def __init__(self, columns: int, k: int):
        self.k = k
        self.values = np.full((0, columns), -np.inf, dtype=np.float32)
        self.rows = np.zeros((0, columns), dtype=np.int64)

    def add(self, block: np.ndarray, first_row: int) -> None:
        rows = np.broadcast_to(np.arange(first_row, first_row + len(block))[:, None], block.shape)
        values = np.vstack([self.values, block])
        index = np.vstack([self.rows, rows])
        if len(values) > self.k:
            keep = np.argpartition(-values, self.k - 1, axis=0)[: self.k]
            values = np.take_along_axis(values, keep, axis=0)
            index = np.take_along_axis(index, keep, axis=0)
        self.values, self.rows = values, index


def _row_top(values: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The columns of every row's k largest values, and those values' mean."""
    top = np.argpartition(-values, k - 1, axis=1)[:, :k]
    return top, np.take_along_axis(values, top, axis=1).mean(axis=1)


class _Moments:
    """Running count, sum and sum of squares of cosines: their standard deviation is the spread."""

    def __init__(self):
        self.count, self.total, self.squares = 0, 0.0, 0.0

    def add(self, values: np.ndarray) -> None:
        self.count += values.size
        self.total += float(values.sum(dtype=np.float64))
        self.squares += float(np.square(values, dtype=np.float64).sum())

    def spread(self) -> float:
        count = max(self.count, 1)
        variance = max(self.squares / count - (self.total / count) ** 2, 0.0)
        return max(float(np.sqrt(variance)), MIN_SPREAD)


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

    Works in the spaces' local sentence indices; ``candidates`` and
    ``measures`` speak the articles' indices.
    """

    def __init__(self, a: Space, b: Space, k: int, total_a: int, total_b: int):
        self.a, self.b, self.k = a, b, k
        self.local_a, self.local_b = a.local(total_a), b.local(total_b)
        self.a_starts, self.b_starts = a.starts, b.starts
        self.a_ends = np.r_[self.a_starts[1:], len(a.owner)]
        self.b_ends = np.r_[self.b_starts[1:], len(b.owner)]
        self._scan(min(k, b.sentences), min(k, a.sentences))

    def _scan(self, kb: int, ka: int) -> None:
        """One pass over blocks of a's units: k-best rows and columns, moments, nearest units."""
        a, b = self.a, self.b
        n, m = a.sentences, b.sentences
        whole_cols = _TopK(m, ka)  # per b sentence, its best a sentences
        unit_cols = _TopK(len(b.owner), ka)  # per b unit, its best a sentences (their best unit)
        whole_rows, unit_rows = np.zeros(n), np.zeros(len(a.owner))
        whole_moments, unit_moments = _Moments(), _Moments()
        # each unit's nearest unit of the other article (for mutual nearest neighbours)
        self.nearest_a = np.zeros(len(a.owner), dtype=np.int64)
        self.nearest_b = np.zeros(len(b.owner), dtype=np.int64)
        best_b = np.full(len(b.owner), -np.inf, dtype=np.float32)
        rows_found, cols_found = [], []  # candidate (a sentence, b sentence), local
        keep = len(a.owner) * len(b.owner) <= DENSE_UNITS
        self.units = np.empty((len(a.owner), len(b.owner)), dtype=np.float32) if keep else None
        self._part: np.ndarray | None = None
        for first, last in _blocks(self.a_starts, len(a.owner)):
            sentences = np.arange(a.owner[first], a.owner[last - 1] + 1)
            starts = self.a_starts[sentences] - first
            units = a.vectors[first:last] @ b.vectors.T  # these sentences' units x all units of b
            if keep:
                self.units[first:last] = units
            self.nearest_a[first:last] = units.argmax(axis=1)
            rows = units.argmax(axis=0)
            best = units[rows, np.arange(units.shape[1])]
            better = best > best_b
            best_b[better] = best[better]
            self.nearest_b[better] = rows[better] + first
            by_b_sentence = np.maximum.reduceat(units, self.b_starts, axis=1)  # a unit x b sentence
            top, unit_rows[first:last] = _row_top(by_b_sentence, kb)
            rows_found.append((np.repeat(a.owner[first:last], kb), top.ravel()))
            unit_cols.add(np.maximum.reduceat(units, starts, axis=0), int(sentences[0]))
            whole = units[starts][:, self.b_starts]  # a sentence x b sentence
            top, whole_rows[sentences] = _row_top(whole, kb)
            whole_cols.add(whole, int(sentences[0]))
            rows_found.append((np.repeat(sentences, kb), top.ravel()))
            whole_moments.add(whole)
            unit_moments.add(units)
        cols_found.append((whole_cols.rows.ravel(), np.tile(np.arange(m), len(whole_cols.rows))))
        cols_found.append((unit_cols.rows.ravel(), np.tile(b.owner, len(unit_cols.rows))))
        found_a = (
            np.concatenate([x for x, _ in rows_found + cols_found]) if n and m else np.zeros(0, int)
        )
        found_b = (
            np.concatenate([y for _, y in rows_found + cols_found]) if n and m else np.zeros(0, int)
        )
        self.candidates = set(zip(a.ids[found_a].tolist(), b.ids[found_b].tolist()))
        self.whole_stats = _Stats(
            whole_rows, whole_cols.values.mean(axis=0), whole_moments.spread()
        )
        self.unit_stats = _Stats(unit_rows, unit_cols.values.mean(axis=0), unit_moments.spread())

    def whole_margins(self, i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Whole-sentence cosines and margins of cells (i, j) (articles' indices)."""
        i, j = self.local_a[i], self.local_b[j]
        if self.units is not None:
            cosine = self.units[self.a_starts[i], self.b_starts[j]]
        else:
            va, vb = self.a.vectors[self.a_starts[i]], self.b.vectors[self.b_starts[j]]
            cosine = np.einsum("ij,ij->i", va, vb)
        return cosine, self.whole_stats.margin(cosine, i, j)

    def _unit_margins(self, rows: slice, cols: slice) -> np.ndarray:
        """Part margins of the kept unit cosines of units ``rows`` of a and ``cols`` of b."""
        st = self.unit_stats
        centre = (st.row_knn[rows][:, None] + st.col_knn[cols][None, :]) / 2.0
        return (self.units[rows, cols] - centre) / st.spread

    def _part_matrix(self) -> np.ndarray:
        """Every sentence pair's part margin (local indices), from the kept unit cosines."""
        part = np.empty((self.a.sentences, self.b.sentences))
        for first, last in _blocks(self.a_starts, len(self.a.owner)):
            sentences = np.arange(self.a.owner[first], self.a.owner[last - 1] + 1)
            margins = self._unit_margins(slice(first, last), slice(None))
            by_b = np.maximum.reduceat(margins, self.b_starts, axis=1)
            part[sentences] = np.maximum.reduceat(by_b, self.a_starts[sentences] - first, axis=0)
        return part

    def best_pair(self, i: int, j: int) -> tuple[int, int]:
        """The unit pair of cell (i, j) (articles' indices) with the best part margin: the first
        in the order of a's units, then b's, when several reach it."""
        x, y = self.local_a[i], self.local_b[j]
        rows = slice(int(self.a_starts[x]), int(self.a_ends[x]))
        cols = slice(int(self.b_starts[y]), int(self.b_ends[y]))
        flat = int(self._unit_margins(rows, cols).argmax())
        width = cols.stop - cols.start
        return rows.start + flat // width, cols.start + flat % width

    def measures(self, i: np.ndarray, j: np.ndarray) -> Measures:
        """The :class:`Measures` of cells (i, j) (articles' indices).

        Vectorised: every unit pair of every cell in one array (in chunks of
        PAIR_CHUNK), the best per cell by a grouped maximum.
        """
        if not len(i):
            return Measures.empty(0)
        cosine, whole = self.whole_margins(i, j)
        if self.units is not None:  # best unit pairs are found when a Cell is made (best_pair)
            if self._part is None:
                self._part = self._part_matrix()
            unknown = np.full(len(i), -1, dtype=np.int64)
            return Measures(cosine, whole, self._part[self.local_a[i], self.local_b[j]], unknown,
                            unknown.copy())
        i, j = self.local_a[i], self.local_b[j]
        na, nb = self.a_ends[i] - self.a_starts[i], self.b_ends[j] - self.b_starts[j]
        sizes = na * nb
        first = np.cumsum(sizes) - sizes
        cell = np.repeat(np.arange(len(i)), sizes)
        offset = np.arange(int(sizes.sum())) - first[cell]
        u = self.a_starts[i][cell] + offset // nb[cell]
        v = self.b_starts[j][cell] + offset % nb[cell]
        cos = np.empty(len(u), dtype=np.float32)
        for lo in range(0, len(u), PAIR_CHUNK):
            hi = lo + PAIR_CHUNK
            cos[lo:hi] = np.einsum("ij,ij->i", self.a.vectors[u[lo:hi]], self.b.vectors[v[lo:hi]])
        margin = self.unit_stats.margin(cos, u, v)
        part = np.maximum.reduceat(margin, first)
        # the first unit pair of each cell reaching its maximum
        hit = np.flatnonzero(margin == part[cell])
        best = hit[np.unique(cell[hit], return_index=True)[1]]
        return Measures(cosine, whole, part, u[best], v[best])

    def mutual(self, u: int, v: int) -> bool:
        """Are units u (of a) and v (of b) each other's nearest unit?"""
        return bool(self.nearest_a[u] == v and self.nearest_b[v] == u)

    def part_span(self, unit: int, side: str) -> tuple[int, int] | None:
        """The span of a best unit; None when it is its sentence's whole unit."""
        space, starts = (self.a, self.a_starts) if side == "a" else (self.b, self.b_starts)
        owner = space.owner[unit]
        return None if unit == starts[owner] else space.spans[unit]


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

    def candidates(self) -> list[tuple[int, int]]:
        found: set[tuple[int, int]] = set()
        for sp in (self.english, self.cross):
            if sp is not None:
                found |= sp.candidates
        return sorted(found)

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
        i = np.array([p[0] for p in pairs], dtype=np.int64)
        j = np.array([p[1] for p in pairs], dtype=np.int64)
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
        i = np.array([p[0] for p in pairs], dtype=np.int64)
        j = np.array([p[1] for p in pairs], dtype=np.int64)
        both = self._in_english(i, j)
        english = cross = None
        if self.cross is not None:
            cross = self.cross.whole_margins(i, j)[1]
        if self.english is not None:
            english = np.zeros(len(i))
            english[both] = self.english.whole_margins(i[both], j[both])[1]
        return self._mix(english, cross, both)

    def cell(self, table: _Table, c: int) -> Cell:
        """Row ``c`` of a :meth:`table` as a :class:`Cell`."""
        in_english = bool(table.in_english[c])
        sp, best = (self.english, table.english) if in_english else (self.cross, table.cross)
        ua, ub = int(best.unit_a[c]), int(best.unit_b[c])
        if ua < 0:
            ua, ub = sp.best_pair(int(table.i[c]), int(table.j[c]))
        return Cell(
            int(table.i[c]),
            int(table.j[c]),
            float(table.score[c]),
            float(table.whole[c]),
            float(table.part[c]),
            float(table.cosine[c]),
            sp.part_span(ua, "a"),
            sp.part_span(ub, "b"),
            ENGLISH if in_english else MULTILINGUAL,
            sp.mutual(ua, ub),
        )

    def cells(self, pairs: list[tuple[int, int]]) -> list[Cell]:
        """The :class:`Cell` of every pair (computed once, then remembered)."""
        missing = [p for p in dict.fromkeys(pairs) if p not in self._memo]
        if missing:
            self.cells_of(self.table(missing), range(len(missing)))
        return [self._memo[p] for p in pairs]

    def cells_of(self, table: _Table, rows) -> list[Cell]:
        """The :class:`Cell` of some rows of a :meth:`table` (remembered like :meth:`cells`)."""
        out = []
        for c in rows:
            key = (int(table.i[c]), int(table.j[c]))
            if key not in self._memo:
                self._memo[key] = self.cell(table, c)
            out.append(self._memo[key])
        return out

    def whole_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """Whole-sentence vectors of the space the cosines are reported in (for 1-2/2-1 merges)."""
        if self._whole is None:
            sp = self.english if self.english_everywhere else self.cross
            self._whole = (sp.a.whole(), sp.b.whole())
        return self._whole

    def part_avoiding(
        self, i: int, j: int, side: str, taken: list[tuple[int, int] | None]
    ) -> tuple[float, tuple[int, int] | None, tuple[int, int] | None] | None:
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
        return part, sp.part_span(int(u[r]), "a"), sp.part_span(int(v[c]), "b")
