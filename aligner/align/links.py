"""Link the sentences of comparable articles that state the same facts.

Public surface: :class:`AlignParams`, :class:`PairLink`, :func:`link_pair`,
:func:`link_articles`.

Comparable articles are not parallel: most sentences may have no partner, the
order differs, one article states only part of another's sentence or packs
two facts into one.  So there is no monotonic path and no bare cosine cut-off:

1. *Margin, whole and in parts* (:mod:`aligner.align.score`): each sentence
   pair scores the better of its whole-sentence margin and its best-part
   margin (clause runs against clause runs) less ``part_penalty``.
2. *Evidence.*  A shared number (500, 1.000 = 1,000, 2030) raises the score by
   ``number_bonus`` for each shared value, up to two; shared rare content words
   of the two sentences' English (:mod:`aligner.align.lexical`) raise it by up
   to ``word_bonus``; best parts that are each other's
   nearest unit (mutual nearest neighbours) raise it by ``mutual_bonus``.
3. *Competitive linking, with merged sentences.*  Pairs are taken best first
   while the score is at least ``threshold``: two unlinked sentences are
   linked; a linked sentence may take a second partner (``max_partners``) when
   a different part of it -- a clause run that does not overlap the part its
   first link matched -- is what matches that partner (a sentence that packs
   two facts).  One pass, so a strong second partner is not lost to a weaker
   first link of the partner.
4. *1-2 and 2-1.*  A linked sentence absorbs an unlinked neighbour of its
   partner when the two together match it clearly better (``merge_gain``) and
   the neighbour on its own is related to it (``merge_threshold``).

A link is ``partial`` when its score came from a part of a sentence rather
than the whole, ``same-fact`` otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from aligner.align.lexical import WordOverlap
from aligner.align.quantity_evidence import differing_evidence, sentence_figures
from aligner.align.params import (  # noqa: F401  (re-exported: the defaults are part of this module's surface)
    DEFAULT_MAX_PARTNERS, DEFAULT_MERGE_GAIN, DEFAULT_MERGE_THRESHOLD, DEFAULT_NUMBER_BONUS, DEFAULT_PART_PENALTY,
    DEFAULT_THRESHOLD, DEFAULT_WORD_BONUS, AlignParams,
)
from aligner.align.score import ArticleVectors, Cell, PairScorer
from aligner.facts import names
from aligner.model import Evidence, Link, Member, Sentence

MAX_NUMBER_EVIDENCE = 2
MAX_WORD_EVIDENCE = 6  # shared words listed in a link's evidence


@dataclass(frozen=True)
class PairLink:
    a: tuple[int, ...]  # sentence indices in article A (1 or 2, adjacent)
    b: tuple[int, ...]  # sentence indices in article B
    score: float  # margin incl. number evidence
    cosine: float
    margin: float
    shared_numbers: tuple[str, ...]
    kind: str  # "same-fact" | "partial"
    part_a: tuple[int, int] | None  # matched part of a[0] (None: the whole sentence)
    part_b: tuple[int, int] | None
    part_space: str  # "english" or "multilingual": which text the part spans index


def shared_numbers(nums_a: tuple[str, ...], nums_b: tuple[str, ...]) -> tuple[str, ...]:
    sb = set(nums_b)
    return tuple(dict.fromkeys(n for n in nums_a if n in sb))


def _overlaps(x: tuple[int, int] | None, y: tuple[int, int] | None) -> bool:
    """Do two parts of one sentence overlap?  The whole sentence (None) overlaps everything."""
    return x is None or y is None or (x[0] < y[1] and y[0] < x[1])


def link_pair(
    scorer: PairScorer,
    numbers_a: list[tuple[str, ...]],
    numbers_b: list[tuple[str, ...]],
    params: AlignParams = AlignParams(),
    words: WordOverlap | None = None,
    quantities: tuple[list, list] | None = None,
) -> list[PairLink]:
    """Links between articles A (rows) and B (columns) of ``scorer``; ``words``: the
    content-word overlap of their English (None: no lexical evidence); ``quantities``: per
    article, each sentence's figures (:mod:`aligner.align.quantity_evidence`; None: not used)."""
    cells = scorer.cells(scorer.candidates())
    scored = []
    for c in cells:
        shared = shared_numbers(numbers_a[c.i], numbers_b[c.j])
        # parts that are each other's nearest unit are evidence; whole sentences are not
        # rewarded twice for standing out (the margin already says so)
        mutual_part = c.mutual and (c.part_a is not None or c.part_b is not None)
        evidence = len(shared)
        if quantities is not None and evidence < MAX_NUMBER_EVIDENCE:  # the same quantity, another value
            evidence += differing_evidence(quantities[0][c.i], quantities[1][c.j])
        total = c.score + params.number_bonus * min(evidence, MAX_NUMBER_EVIDENCE) + params.mutual_bonus * mutual_part
        if words is not None and params.word_bonus:
            total += params.word_bonus * words.strength(c.i, c.j)
        if total >= params.threshold:
            scored.append((total, c, shared))
    scored.sort(key=lambda t: (-t[0], t[1].i, t[1].j))

    chosen: list[tuple[float, Cell, tuple[str, ...]]] = []
    used_a: dict[int, list] = {}
    used_b: dict[int, list] = {}
    # best first, in one pass: a pair of unlinked sentences is linked; a linked
    # sentence takes a second partner (a merged sentence) for a part of it that
    # does not overlap the part its first link matched.  One pass, so a strong
    # second partner is not lost to a weaker first link of its sentence.
    for item in scored:
        c = item[1]
        linked_a, linked_b = c.i in used_a, c.j in used_b
        if not linked_a and not linked_b:
            chosen.append(item)
            used_a[c.i], used_b[c.j] = [c.part_a], [c.part_b]
            continue
        if linked_a and linked_b:
            continue
        parts, part = (used_a[c.i], c.part_a) if linked_a else (used_b[c.j], c.part_b)
        if len(parts) >= params.max_partners or any(_overlaps(p, part) for p in parts):
            continue
        chosen.append(item)
        parts.append(part)
        (used_b if linked_a else used_a)[c.j if linked_a else c.i] = [c.part_b if linked_a else c.part_a]

    links = []
    for total, c, shared in sorted(chosen, key=lambda t: (t[1].i, t[1].j)):
        a, b = _merge(c, used_a, used_b, scorer, params)
        more = tuple(x for ia in a for jb in b for x in shared_numbers(numbers_a[ia], numbers_b[jb]))
        partial = (c.part_a is not None or c.part_b is not None) and c.part - params.part_penalty > c.whole
        # a sentence with two partners shows, in each link, the part that partner matched
        merged_a, merged_b = len(used_a[c.i]) > 1, len(used_b[c.j]) > 1
        links.append(
            PairLink(
                a=a,
                b=b,
                score=round(float(total), 4),
                cosine=round(c.cosine, 4),
                margin=round(c.score, 4),
                shared_numbers=tuple(dict.fromkeys(shared + more)),
                kind="partial" if partial or merged_a or merged_b else "same-fact",
                part_a=c.part_a if partial or merged_a else None,
                part_b=c.part_b if partial or merged_b else None,
                part_space=c.space,
            )
        )
    return links


def _merge(c: Cell, used_a: dict, used_b: dict, scorer: PairScorer, params: AlignParams):
    """Grow a 1-1 link (i, j) into 2-1 or 1-2 with an unlinked adjacent sentence."""
    i, j = c.i, c.j
    if len(used_a[i]) > 1 or len(used_b[j]) > 1:
        return (i,), (j,)
    va, vb = scorer.whole_vectors()
    base = float(va[i] @ vb[j])
    best = None  # (gain, side, neighbour)
    for side, own, vecs, used, partner in (("a", i, va, used_a, vb[j]), ("b", j, vb, used_b, va[i])):
        for nb in (own - 1, own + 1):
            if nb < 0 or nb >= len(vecs) or nb in used:
                continue
            cell = scorer.cells([(nb, j) if side == "a" else (i, nb)])[0]
            if cell.whole < params.merge_threshold:
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
        used_a[nb] = [None]
        return tuple(sorted((i, nb))), (j,)
    used_b[nb] = [None]
    return (i,), tuple(sorted((j, nb)))


def link_articles(
    sentences: list[tuple[Sentence, ...]],
    numbers: list[list[tuple[str, ...]]],
    vectors: list[ArticleVectors],
    params: AlignParams = AlignParams(),
    cross_lingual_weight: float = 0.5,
    langs: list[str] | None = None,
) -> list[Link]:
    """Align every pair of articles: per article its sentences, their numbers and vectors;
    ``langs``: each article's language, to read its figures' roles (None: numbers only)."""
    figures = None if langs is None else [[sentence_figures(s.text, s.english, lang) for s in ss] for ss, lang in zip(sentences, langs)]
    links = []
    for p, q in combinations(range(len(sentences)), 2):
        scorer = PairScorer(vectors[p], vectors[q], params.k, cross_lingual_weight, params.part_penalty)
        words = WordOverlap([s.english for s in sentences[p]], [s.english for s in sentences[q]])
        quantities = None if figures is None else (figures[p], figures[q])
        for pl in link_pair(scorer, numbers[p], numbers[q], params, words, quantities):
            side_a = [sentences[p][i] for i in pl.a]
            side_b = [sentences[q][j] for j in pl.b]
            links.append(
                Link(
                    members=(Member(p, pl.a, pl.part_a), Member(q, pl.b, pl.part_b)),
                    score=pl.score,
                    kind=pl.kind,
                    evidence=_evidence(pl, scorer.space, side_a, side_b, words),
                )
            )
    links.sort(key=lambda link: tuple((m.article, m.sentences) for m in link.members))
    return links


def _evidence(pl: PairLink, space: str, side_a: list[Sentence], side_b: list[Sentence], words: WordOverlap) -> Evidence:
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
        parts_in="english" if pl.part_space == "english" else "source",
        words=words.shared(pl.a, pl.b)[:MAX_WORD_EVIDENCE],
    )
