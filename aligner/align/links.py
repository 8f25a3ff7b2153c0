"""Link the sentences of two comparable articles that state the same facts.

Public surface: :class:`AlignParams`, :class:`PairLink`, :func:`align_pair`,
:func:`link_articles`.

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
from itertools import combinations

import numpy as np

from aligner.align.score import DEFAULT_K, ArticleVectors, pair_scores
from aligner.facts import names
from aligner.model import Evidence, Link, Member, Sentence

DEFAULT_THRESHOLD = 0.6
DEFAULT_NUMBER_BONUS = 0.25
DEFAULT_MERGE_GAIN = 0.03
DEFAULT_MERGE_THRESHOLD = 0.5


@dataclass(frozen=True)
class AlignParams:
    k: int = DEFAULT_K
    threshold: float = DEFAULT_THRESHOLD
    number_bonus: float = DEFAULT_NUMBER_BONUS
    merge_gain: float = DEFAULT_MERGE_GAIN
    merge_threshold: float = DEFAULT_MERGE_THRESHOLD

    def __post_init__(self):
        import math

        from aligner.errors import InputError

        if self.k < 1:
            raise InputError(f"k = {self.k}: the number of neighbours must be at least 1")
        for name in ("threshold", "number_bonus", "merge_gain", "merge_threshold"):
            if not math.isfinite(getattr(self, name)):
                raise InputError(f"{name} = {getattr(self, name)} is not a finite number")


@dataclass(frozen=True)
class PairLink:
    a: tuple[int, ...]  # sentence indices in article A (1 or 2, adjacent)
    b: tuple[int, ...]  # sentence indices in article B
    score: float  # margin score incl. evidence bonus
    cosine: float
    margin: float
    shared_numbers: tuple[str, ...]


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


def link_articles(
    sentences: list[tuple[Sentence, ...]],
    numbers: list[list[tuple[str, ...]]],
    vectors: list[ArticleVectors],
    params: AlignParams = AlignParams(),
    cross_lingual_weight: float = 0.5,
) -> list[Link]:
    """Align every pair of articles: per article its sentences, their numbers and vectors."""
    links = []
    for p, q in combinations(range(len(sentences)), 2):
        scores = pair_scores(vectors[p], vectors[q], params.k, cross_lingual_weight)
        for pl in align_pair(scores.sim, scores.margin, numbers[p], numbers[q], params, scores.vectors):
            links.append(
                Link(
                    members=(Member(p, pl.a), Member(q, pl.b)),
                    score=pl.score,
                    evidence=_evidence(pl, scores.space, [sentences[p][i] for i in pl.a], [sentences[q][j] for j in pl.b]),
                )
            )
    links.sort(key=lambda link: tuple((m.article, m.sentences) for m in link.members))
    return links


def _evidence(pl: PairLink, space: str, side_a: list[Sentence], side_b: list[Sentence]) -> Evidence:
    en_a = " ".join(s.english or "" for s in side_a)
    en_b = " ".join(s.english or "" for s in side_b)
    terms_a = {h.concept for s in side_a for h in s.glossary}
    terms_b = {h.concept for s in side_b for h in s.glossary}
    return Evidence(
        space=space,
        cosine=pl.cosine,
        margin=pl.margin,
        numbers=pl.shared_numbers,
        names=tuple(sorted(names(en_a) & names(en_b))),
        terms=tuple(sorted(terms_a & terms_b)),
    )
