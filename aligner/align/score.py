"""Similarity and margin scores between the sentences of two articles, whole and in parts.

Public surface: :class:`Space`, :class:`ArticleVectors`, :class:`PairScorer`,
:class:`Cell`, :func:`margin_scores`, :func:`ratio_margin`.

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
margins are mixed per cell with ``weight``.

Memory is linear in the number of sentences: cosines are computed in blocks
of rows; per row and per column only the k best values (for the margins) and
the running sums (for the spread) are kept, never the n x m matrix.  A pair
whose cosine is not among the k best of its row or of its column has a margin
<= 0 in that space, so the pairs worth scoring -- the *candidates* -- are the
union of every row's and column's k best, over both measures and both spaces.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aligner.align.params import DEFAULT_K  # noqa: F401  (re-exported)

MIN_SPREAD = 0.02
BLOCK_UNITS = 512  # rows of unit cosines computed at once (memory: BLOCK_UNITS x units of the other article)
PAIR_CHUNK = 65536  # unit pairs of candidate cells scored at once


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
        return np.flatnonzero(np.r_[True, self.owner[1:] != self.owner[:-1]]) if len(self.owner) else np.zeros(0, int)

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
    score: float  # the margin that links are decided on (before number evidence)
    whole: float  # combined margin of the whole sentences
    part: float  # combined margin of the best parts
    cosine: float  # whole-sentence cosine in the reported space
    part_a: tuple[int, int] | None  # the best part's span in sentence i (None: the whole sentence)
    part_b: tuple[int, int] | None
    space: str  # "english" or "multilingual": where the parts were measured
    mutual: bool = False  # the best parts are each other's nearest unit in that space


def _knn_means(sim: np.ndarray, k: int) -> np.ndarray:
    n, m = sim.shape
    knn_a = np.sort(sim, axis=1)[:, -min(k, m):].mean(axis=1)
    knn_b = np.sort(sim, axis=0)[-min(k, n):, :].mean(axis=0)
    return (knn_a[:, None] + knn_b[None, :]) / 2.0


def ratio_margin(sim: np.ndarray, k: int = DEFAULT_K) -> np.ndarray:
    """LASER's ratio margin: ``cos / mean(knn_mean(i), knn_mean(j))`` (the evaluation's baseline)."""
    if sim.size == 0:
        return np.zeros_like(sim)
    denom = _knn_means(sim, k)
    return sim / np.where(np.abs(denom) < 1e-6, 1e-6, denom)


def margin_scores(sim: np.ndarray, k: int = DEFAULT_K) -> np.ndarray:
    """Standardised margin of a whole matrix: ``(cos - mean(knn_mean(i), knn_mean(j))) / std(sim)``."""
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

    Works in the spaces' local sentence indices; ``candidates`` and ``cells``
    speak the articles' indices.
    """

    def __init__(self, a: Space, b: Space, k: int, total_a: int, total_b: int):
        self.a, self.b, self.k = a, b, k
        self.local_a, self.local_b = a.local(total_a), b.local(total_b)
        self.a_starts, self.b_starts = a.starts, b.starts
        n, m = a.sentences, b.sentences
        kb, ka = min(k, m), min(k, n)
        whole_cols = _TopK(m, ka)  # per b sentence, over a sentences
        unit_cols = _TopK(len(b.owner), ka)  # per b unit, best unit of each a sentence
        whole_rows, unit_rows = np.zeros(n), np.zeros(len(a.owner))
        # each unit's nearest unit of the other article (for mutual nearest neighbours)
        self.nearest_a = np.zeros(len(a.owner), dtype=np.int64)
        self.nearest_b = np.zeros(len(b.owner), dtype=np.int64)
        best_b = np.full(len(b.owner), -np.inf, dtype=np.float32)
        sums = np.zeros(4)  # whole: sum, sum of squares; units: sum, sum of squares
        candidates: set[tuple[int, int]] = set()
        for first, last in _blocks(self.a_starts, len(a.owner)):
            sentences = np.arange(a.owner[first], a.owner[last - 1] + 1)
            starts = self.a_starts[sentences] - first
            units = a.vectors[first:last] @ b.vectors.T  # units of these sentences x all units of b
            self.nearest_a[first:last] = units.argmax(axis=1)
            rows = units.argmax(axis=0)
            better = units[rows, np.arange(units.shape[1])] > best_b
            best_b[better] = units[rows[better], np.flatnonzero(better)]
            self.nearest_b[better] = rows[better] + first
            by_b_sentence = np.maximum.reduceat(units, self.b_starts, axis=1)  # a unit x b sentence
            top = np.argpartition(-by_b_sentence, kb - 1, axis=1)[:, :kb]
            unit_rows[first:last] = np.take_along_axis(by_b_sentence, top, axis=1).mean(axis=1)
            candidates.update(zip(np.repeat(a.owner[first:last], kb).tolist(), top.ravel().tolist()))
            unit_cols.add(np.maximum.reduceat(units, starts, axis=0), int(sentences[0]))  # a sentence x b unit
            whole = units[starts][:, self.b_starts]
            top = np.argpartition(-whole, kb - 1, axis=1)[:, :kb]
            whole_rows[sentences] = np.take_along_axis(whole, top, axis=1).mean(axis=1)
            whole_cols.add(whole, int(sentences[0]))
            candidates.update(zip(np.repeat(sentences, kb).tolist(), top.ravel().tolist()))
            sums += (whole.sum(), np.square(whole, dtype=np.float64).sum(), units.sum(), np.square(units, dtype=np.float64).sum())
            del units, by_b_sentence
        candidates.update(zip(whole_cols.rows.ravel().tolist(), np.tile(np.arange(m), len(whole_cols.rows)).tolist()))
        candidates.update(zip(unit_cols.rows.ravel().tolist(), np.tile(b.owner, len(unit_cols.rows)).tolist()))
        self.candidates = {(int(a.ids[x]), int(b.ids[y])) for x, y in candidates}
        self.whole_stats = _Stats(whole_rows, whole_cols.values.mean(axis=0), _spread(sums[:2], n * m))
        self.unit_stats = _Stats(unit_rows, unit_cols.values.mean(axis=0), _spread(sums[2:], len(a.owner) * len(b.owner)))

    def cells(self, i: np.ndarray, j: np.ndarray):
        """Whole cosine, best unit-pair cosine, whole margin, part margin and the best unit pair of cells (i, j).

        Vectorised: every unit pair of every cell in one array (in chunks of
        PAIR_CHUNK), the best per cell by a grouped maximum.
        """
        i, j = self.local_a[i], self.local_b[j]
        if not len(i):
            return np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0), []
        ends_a = np.r_[self.a_starts[1:], len(self.a.owner)]
        ends_b = np.r_[self.b_starts[1:], len(self.b.owner)]
        na, nb = ends_a[i] - self.a_starts[i], ends_b[j] - self.b_starts[j]
        sizes = na * nb
        cell = np.repeat(np.arange(len(i)), sizes)
        offset = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        u = self.a_starts[i][cell] + offset // nb[cell]
        v = self.b_starts[j][cell] + offset % nb[cell]
        cos = np.empty(len(u), dtype=np.float32)
        for lo in range(0, len(u), PAIR_CHUNK):
            hi = lo + PAIR_CHUNK
            cos[lo:hi] = np.einsum("ij,ij->i", self.a.vectors[u[lo:hi]], self.b.vectors[v[lo:hi]])
        margin = self.unit_stats.margin(cos, u, v)
        first = np.cumsum(sizes) - sizes
        best_margin = np.maximum.reduceat(margin, first)
        # the first unit pair of each cell reaching its maximum
        hit = np.flatnonzero(margin == best_margin[cell])
        best = hit[np.unique(cell[hit], return_index=True)[1]]
        whole = np.einsum("ij,ij->i", self.a.vectors[self.a_starts[i]], self.b.vectors[self.b_starts[j]])
        pairs = list(zip(u[best].tolist(), v[best].tolist()))
        return whole, cos[best], self.whole_stats.margin(whole, i, j), best_margin, pairs

    def mutual(self, u: int, v: int) -> bool:
        """Are units u (of a) and v (of b) each other's nearest unit?"""
        return self.nearest_a[u] == v and self.nearest_b[v] == u


def _spread(sums: np.ndarray, count: int) -> float:
    count = max(count, 1)
    return max(float(np.sqrt(max(sums[1] / count - (sums[0] / count) ** 2, 0.0))), MIN_SPREAD)


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


class PairScorer:
    """Scores of sentence pairs of articles a and b, any cell on demand.

    ``candidates()`` are the cells that can have a positive margin; ``cells()``
    scores any list of cells (linking asks for a few outside the candidates).
    """

    def __init__(self, a: ArticleVectors, b: ArticleVectors, k: int, weight: float, part_penalty: float):
        self.a, self.b, self.weight, self.part_penalty = a, b, weight, part_penalty
        self._memo: dict[tuple[int, int], Cell] = {}
        self._whole: tuple[np.ndarray, np.ndarray] | None = None
        n, m = len(a.has_english), len(b.has_english)
        use_english = a.english is not None and b.english is not None and a.has_english.sum() >= 2 and b.has_english.sum() >= 2
        self.english = _SpacePair(a.english, b.english, k, n, m) if use_english else None
        self.cross = _SpacePair(a.cross, b.cross, k, n, m) if a.cross is not None and b.cross is not None else None
        if self.english is None and self.cross is None:
            raise ValueError("no space in which to compare these articles")
        self.english_everywhere = use_english and a.has_english.all() and b.has_english.all()
        if self.english_everywhere and self.cross is not None and weight > 0:
            self.space = "english+multilingual"
        elif self.english_everywhere and (self.cross is None or weight == 0):
            self.space = "english"
        elif self.english is not None and self.cross is not None:
            self.space = "english+multilingual"
        else:
            self.space = "multilingual"

    def candidates(self) -> list[tuple[int, int]]:
        found: set[tuple[int, int]] = set()
        for sp in (self.english, self.cross):
            if sp is not None:
                found |= sp.candidates
        return sorted(found)

    def cells(self, pairs: list[tuple[int, int]]) -> list[Cell]:
        """The :class:`Cell` of every pair (computed once, then remembered)."""
        missing = [p for p in dict.fromkeys(pairs) if p not in self._memo]
        for cell in self._compute(missing):
            self._memo[(cell.i, cell.j)] = cell
        return [self._memo[p] for p in pairs]

    def _compute(self, pairs: list[tuple[int, int]]) -> list[Cell]:
        if not pairs:
            return []
        i = np.array([p[0] for p in pairs])
        j = np.array([p[1] for p in pairs])
        both = self.a.has_english[i] & self.b.has_english[j]
        if self.english is None:
            both[:] = False
        elif self.cross is None and not both.all():
            raise ValueError("sentences without English need cross-lingual vectors")
        measures = {}
        if self.cross is not None:
            measures["cross"] = self.cross.cells(i, j)
        if self.english is not None:
            en = [np.zeros(len(pairs)) for _ in range(4)] + [[None] * len(pairs)]
            if both.any():
                sub = self.english.cells(i[both], j[both])
                for target, values in zip(en[:4], sub[:4]):
                    target[both] = values
                for c, best in zip(np.flatnonzero(both), sub[4]):
                    en[4][c] = best
            measures["english"] = tuple(en)
        w = self.weight if "cross" in measures else 0.0
        if "english" in measures:
            en_cos, _, en_whole, en_part, en_best = measures["english"]
        if "cross" in measures:
            xl_cos, _, xl_whole, xl_part, xl_best = measures["cross"]
        if "english" in measures and "cross" in measures:
            whole = np.where(both, (1 - w) * en_whole + w * xl_whole, xl_whole)
            part = np.where(both, (1 - w) * en_part + w * xl_part, xl_part)
        elif "english" in measures:
            whole, part = en_whole, en_part
        else:
            whole, part = xl_whole, xl_part
        cosine = en_cos if self.english_everywhere else xl_cos
        out = []
        for c in range(len(pairs)):
            use_en = "english" in measures and bool(both[c])
            sp, best = (self.english, en_best[c]) if use_en else (self.cross, xl_best[c])
            ua, ub = best
            part_a = None if ua == sp.a_starts[sp.local_a[i[c]]] else sp.a.spans[ua]
            part_b = None if ub == sp.b_starts[sp.local_b[j[c]]] else sp.b.spans[ub]
            score = max(float(whole[c]), float(part[c]) - self.part_penalty)
            out.append(
                Cell(int(i[c]), int(j[c]), score, float(whole[c]), float(part[c]), float(cosine[c]),
                     part_a, part_b, "english" if use_en else "multilingual", bool(sp.mutual(ua, ub)))
            )
        return out

    def whole_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """Whole-sentence vectors of the space the cosines are reported in (for 1-2/2-1 merges)."""
        if self._whole is None:
            sp = self.english if self.english_everywhere else self.cross
            self._whole = (sp.a.whole(), sp.b.whole())
        return self._whole
