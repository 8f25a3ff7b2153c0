"""The array steps of :mod:`aligner.align.score`'s blockwise scan, on plain arrays.

Every row's and every column's k best values (and the places holding them), the maxima over
each sentence's units in a :class:`Layout`, the running moments of the cosines, and each
unit's nearest unit of the other article.  No state of an article pair: the scan
(:class:`aligner.align.score.PairScorer`) calls these on each block of unit cosines.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MOMENT_CHUNK = 1 << 15  # cosines converted to float64 at once for the moments (256 KB: in cache)


def places(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The (rows, columns) where a 2-d ``mask`` is true, row by row (``np.nonzero``, ten times
    faster on sparse masks)."""
    return np.divmod(np.flatnonzero(mask), mask.shape[1])


class ColumnTop:
    """Every column's k largest values over blocks of rows, and the (row, column) places holding
    them -- every place whose value ties with a column's k-th largest too."""

    def __init__(self, columns: int, k: int):
        self.k = k
        # per column, its best values so far: the k largest, largest first, once more than k rows
        self.top = np.zeros((columns, 0), dtype=np.float32)
        self.floor = np.full(columns, -np.inf, dtype=np.float32)  # per column, its k-th best so far
        self.partitioned = False  # more than k rows seen: ``top`` holds k values, not every row
        self.places: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # rows, columns, values

    def add(self, block: np.ndarray, first_row: int) -> None:
        """Merge rows ``first_row`` .. of every column (``block``: rows x columns)."""
        if self.partitioned:
            # only the columns that the block can change: above their k-th best so far
            change = np.flatnonzero(block.max(axis=0) > self.floor)
            merged = largest(np.hstack([self.top[change], block[:, change].T]), self.k)
            self.top[change], self.floor[change] = merged, merged[:, -1]
        else:
            merged = np.hstack([self.top, block.T])
            if merged.shape[1] > self.k:
                merged = largest(merged, self.k)
                self.floor, self.partitioned = merged[:, -1].copy(), True
            self.top = merged
        # a place below its column's k-th best so far can never be among the k best
        rows, cols = places(block >= self.floor)
        self.places.append((rows + first_row, cols, block[rows, cols]))

    def means(self) -> np.ndarray:
        """Every column's mean of its k best values, summed from the largest down, or in row
        order when there were no more than k rows."""
        return np.ascontiguousarray(self.top.T).mean(axis=0)

    def found(self) -> tuple[np.ndarray, np.ndarray]:
        """The (rows, columns) of every column's k best values (ties with the k-th included)."""
        rows, cols, values = (np.concatenate(x) for x in zip(*self.places))
        keep = values >= self.floor[cols]
        return rows[keep], cols[keep]


@dataclass(frozen=True)
class RowTop:
    """Every row's k largest values: their places (ties with the k-th included) and their mean."""

    rows: np.ndarray
    columns: np.ndarray
    means: np.ndarray
    tied: np.ndarray  # the rows whose largest value is in two places or more (k > 1 only)


def largest(values: np.ndarray, k: int) -> np.ndarray:
    """Every row's k largest values, largest first (a value held twice counts twice): k passes
    of ``argmax``, each putting -inf in the place of the value it takes (restored at the end),
    several times faster than ``np.partition`` for a few values of long rows."""
    rows = np.arange(len(values))[:, None]
    places = np.empty((len(values), k), dtype=np.int64)
    best = np.empty((len(values), k), dtype=values.dtype)
    for rank in range(k):
        places[:, rank] = values.argmax(axis=1)
        best[:, rank] = values[rows[:, 0], places[:, rank]]
        values[rows[:, 0], places[:, rank]] = -np.inf
    values[rows, places] = best
    return best


def row_top(values: np.ndarray, k: int) -> RowTop:
    """The k largest values of every row of ``values``; their mean is summed from the largest
    down."""
    best = largest(values, k)
    rows, columns = places(values >= best[:, -1:])
    tied = np.flatnonzero(best[:, 0] == best[:, 1]) if k > 1 else np.zeros(0, np.int64)
    return RowTop(rows, columns, best.mean(axis=1), tied)


@dataclass(frozen=True)
class Layout:
    """An article's units arranged position by position: every sentence's first unit, then every
    second unit, ... (sentences with the most units first).  Rows or columns in this order take
    the maximum over each sentence's units in a few slices (``np.maximum.reduceat`` takes one
    step per sentence), and the sentences' first units come first."""

    order: np.ndarray  # the sentences, those with the most units first
    units: np.ndarray  # the arrangement: every sentence's first unit (in ``order``), then ...
    counts: tuple[int, ...]  # per position, the sentences with a unit there: a prefix of ``order``

    @classmethod
    def of(cls, starts: np.ndarray, total: int) -> Layout:
        sizes = np.diff(np.r_[starts, total])
        order = np.argsort(-sizes, kind="stable")
        counts = tuple(int(c) for c in np.bincount(sizes, minlength=1)[::-1].cumsum()[::-1][1:])
        units = np.concatenate([starts[order[:c]] + p for p, c in enumerate(counts)] or [[]])
        return cls(order, units.astype(np.int64), counts)

    def places(self) -> np.ndarray:
        """Every unit's place in the arrangement."""
        out = np.empty(len(self.units), dtype=np.int64)
        out[self.units] = np.arange(len(self.units))
        return out

    def firsts(self) -> np.ndarray:
        """Every sentence's first unit's place."""
        return np.argsort(self.order)

    def maxima(self, arranged: np.ndarray, axis: int) -> np.ndarray:
        """The maximum over each sentence's units of ``arranged``, whose rows (``axis`` 0) or
        columns are in this arrangement; sentences in :attr:`order`."""
        taken = np.moveaxis(arranged, axis, 0)
        out = taken[: self.counts[0]].copy(order="K")  # keeps the memory order of ``arranged``
        start = self.counts[0]
        for count in self.counts[1:]:
            np.maximum(out[:count], taken[start : start + count], out=out[:count])
            start += count
        return np.moveaxis(out, 0, axis)


class Moments:
    """Running count, sum and sum of squares of cosines: their standard deviation.

    Summed in float64, converted a cache-sized chunk (:data:`MOMENT_CHUNK`) at a time into one
    buffer, the squares as a dot product of the chunk with itself: one pass over the block, not
    four (about 7 % of the whole-file linking; the links are the same)."""

    def __init__(self):
        self.count, self.total, self.squares = 0, 0.0, 0.0
        self.buffer: np.ndarray | None = None

    def add(self, values: np.ndarray) -> None:
        flat = values.ravel()
        if self.buffer is None:
            self.buffer = np.empty(MOMENT_CHUNK)
        self.count += flat.size
        for lo in range(0, flat.size, MOMENT_CHUNK):
            part = flat[lo : lo + MOMENT_CHUNK]
            wide = self.buffer[: part.size]
            np.copyto(wide, part)
            self.total += float(wide.sum())
            self.squares += float(wide @ wide)

    def std(self) -> float:
        """The standard deviation of every value added (0.0 when none was)."""
        count = max(self.count, 1)
        variance = max(self.squares / count - (self.total / count) ** 2, 0.0)
        return float(np.sqrt(variance))


def nearest_units(units: np.ndarray, top: RowTop, b_layout: Layout) -> np.ndarray:
    """Every row's nearest b unit, the first in b's order when several are: ``units``' columns
    are arranged by ``b_layout``, ``top`` the rows' best b sentences.  A sentence's columns are
    in its order; a row whose maximum two sentences hold is looked at again (rare)."""
    column = units.argmax(axis=1)
    nearest = b_layout.units[column]
    for row in top.tied.tolist():
        nearest[row] = int(b_layout.units[units[row] == units[row, column[row]]].min())
    return nearest


def first_unit_of(units: np.ndarray, layout: Layout, by_sentence: np.ndarray,
                   starts: np.ndarray, columns: np.ndarray, maxima: np.ndarray) -> np.ndarray:
    """Per column of ``columns``, the first of a block's units (rows of ``units``, arranged by
    ``layout``) holding its maximum ``maxima`` (as ``argmax(axis=0)`` over the units in order),
    found in the first sentence whose maximum (``by_sentence``, sentences starting at
    ``starts``) it is: one short look per unit position, not a pass over ``units``."""
    sentence = by_sentence[:, columns].argmax(axis=0)
    first = starts[sentence]
    size = np.r_[starts[1:], len(units)][sentence] - first
    place = layout.places()
    unit = np.full(len(columns), -1, dtype=np.int64)
    for position in range(int(size.max(initial=0))):
        look = np.flatnonzero((unit < 0) & (position < size))
        hit = look[units[place[first[look] + position], columns[look]] == maxima[look]]
        unit[hit] = first[hit] + position
    return unit
