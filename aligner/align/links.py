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

import heapq
from dataclasses import dataclass, replace
from itertools import combinations

import numpy as np

from aligner.align.lexical import WordOverlap
from aligner.align.quantity_evidence import differing_evidence, restatement, sentence_figures
# the defaults are re-exported: they are part of this module's surface
from aligner.align.params import (  # noqa: F401
    DEFAULT_MAX_PARTNERS,
    DEFAULT_MERGE_GAIN,
    DEFAULT_MERGE_THRESHOLD,
    DEFAULT_NUMBER_BONUS,
    DEFAULT_PART_PENALTY,
    DEFAULT_THRESHOLD,
    DEFAULT_WORD_BONUS,
    AlignParams,
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
    score: float  # the score with number, word and mutual evidence
    cosine: float
    similarity: float  # the score from the vectors alone (Evidence.similarity)
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


@dataclass(frozen=True)
class _Scored:
    """A candidate pair whose score with its evidence reaches the threshold."""

    total: float  # the score with number, word and mutual evidence
    cell: Cell
    shared: tuple[str, ...]  # numbers both sentences state


@dataclass(frozen=True)
class Merge:
    """The merge rule's decision for one link: absorb ``neighbour`` on ``side`` ("a" or "b")."""

    side: str
    neighbour: int
    gain: float  # how much closer the two sentences together are to the partner than the one


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
    scored = _score(scorer, numbers_a, numbers_b, params, words, quantities)
    restates = None if quantities is None else restatement(quantities)
    chosen, parts_a, parts_b = _choose(scored, params, scorer, restates)
    chosen.sort(key=lambda s: (s.cell.i, s.cell.j))
    options = _merge_options(chosen, parts_a, parts_b, scorer)
    links = []
    for s in chosen:
        c = s.cell
        a, b = (c.i,), (c.j,)
        merge = _merge_decision(c, parts_a, parts_b, options.get((c.i, c.j), ()), params)
        if merge is not None and merge.side == "a":
            parts_a[merge.neighbour] = [None]
            a = tuple(sorted((c.i, merge.neighbour)))
        elif merge is not None:
            parts_b[merge.neighbour] = [None]
            b = tuple(sorted((c.j, merge.neighbour)))
        more = tuple(
            x for ia in a for jb in b for x in shared_numbers(numbers_a[ia], numbers_b[jb])
        )
        partial = _is_partial(c, params.part_penalty)
        # a sentence with two partners shows, in each link, the part that partner matched
        merged_a, merged_b = len(parts_a[c.i]) > 1, len(parts_b[c.j]) > 1
        links.append(
            PairLink(
                a=a,
                b=b,
                score=round(float(s.total), 4),
                cosine=round(c.cosine, 4),
                similarity=round(c.score, 4),
                shared_numbers=tuple(dict.fromkeys(s.shared + more)),
                kind="partial" if partial or merged_a or merged_b else "same-fact",
                part_a=c.part_a if partial or merged_a else None,
                part_b=c.part_b if partial or merged_b else None,
                part_space=c.space,
            )
        )
    return links


def _is_partial(c: Cell, part_penalty: float) -> bool:
    """A link is partial when its score came from a part of a sentence, not the whole."""
    return (c.part_a is not None or c.part_b is not None) and c.part - part_penalty > c.whole


def _score(
    scorer: PairScorer, numbers_a, numbers_b, params: AlignParams, words, quantities=None
) -> list[_Scored]:
    """The candidates whose score plus evidence reaches the threshold, best first.

    Evidence is looked at only where it could lift the score to the threshold.  A figure of
    the same counted thing with another value counts as number evidence (within the same cap
    of :data:`MAX_NUMBER_EVIDENCE`, so the bound ``most`` holds for it too).
    """
    table = scorer.candidate_table()
    most = (
        max(params.number_bonus, 0.0) * MAX_NUMBER_EVIDENCE
        + max(params.mutual_bonus, 0.0)
        + (max(params.word_bonus, 0.0) if words is not None else 0.0)
    )
    lowest = params.threshold - max(params.source_only_discount, 0.0)
    reach = np.flatnonzero(table.score + most >= lowest - 1e-9)
    scored = []
    for c in scorer.cells_of(table, reach.tolist()):
        shared = shared_numbers(numbers_a[c.i], numbers_b[c.j])
        # parts that are each other's nearest unit are evidence; whole sentences are not
        # rewarded twice for standing out (the margin already says so)
        mutual_part = c.mutual and (c.part_a is not None or c.part_b is not None)
        evidence = len(shared)
        if quantities is not None and evidence < MAX_NUMBER_EVIDENCE:  # same quantity, other value
            evidence += differing_evidence(quantities[0][c.i], quantities[1][c.j])
        total = (
            c.score
            + params.number_bonus * min(evidence, MAX_NUMBER_EVIDENCE)
            + params.mutual_bonus * mutual_part
        )
        if words is not None and params.word_bonus:
            total += params.word_bonus * words.strength(c.i, c.j)
        if total >= _threshold(c, params):
            scored.append(_Scored(total, c, shared))
    scored.sort(key=lambda s: (-s.total, s.cell.i, s.cell.j))
    return scored


def _threshold(c: Cell, params: AlignParams) -> float:
    """The score a pair must reach: ``threshold``, less ``source_only_discount`` where the pair
    is compared in the cross-lingual space only (a sentence without English)."""
    return params.threshold - (params.source_only_discount if c.space != "english" else 0.0)


def _choose(scored: list[_Scored], params: AlignParams, scorer: PairScorer | None = None,
            restates=None) -> tuple[list[_Scored], dict, dict]:
    """The partner rule: best first, in one pass, a pair of unlinked sentences is linked; a
    linked sentence takes another partner (a merged sentence) for a part of it that does not
    overlap the parts its links matched, up to ``max_partners``.  One pass, so a strong second
    partner is not lost to a weaker first link of its sentence.

    When the pair's best part overlaps what the sentence's link matched (often its whole: a
    one-clause sentence restating the other clause of a two-clause one), the pair's best part
    that avoids it (``scorer.part_avoiding``) competes again at its own, lower, score.

    A pair that restates a taken fact with another figure (``restates``: a headline's 834 dead
    against a clause whose 832 the article's lede, its partner, states too) is linked anyway,
    once per linked sentence, when its margin alone (no evidence, no discount) reaches
    ``threshold``: that disagreement is what the reader must see.

    Returns the chosen pairs and, per linked sentence of A and of B, the parts its links matched.
    """
    chosen: list[_Scored] = []
    parts_a: dict[int, list] = {}
    parts_b: dict[int, list] = {}
    queue = [(-s.total, s.cell.i, s.cell.j, n, s) for n, s in enumerate(scored)]
    heapq.heapify(queue)
    retried = set()
    partners: dict[tuple[str, int], list[int]] = {}  # per linked sentence, its partners (as parts)
    restated = set()  # linked sentences that took a partner restating a fact with another figure
    while queue:
        s = heapq.heappop(queue)[-1]
        c = s.cell
        linked_a, linked_b = c.i in parts_a, c.j in parts_b
        if linked_a and linked_b:
            continue
        if not linked_a and not linked_b:
            chosen.append(s)
            parts_a[c.i], parts_b[c.j] = [c.part_a], [c.part_b]
            partners["a", c.i], partners["b", c.j] = [c.j], [c.i]
            continue  # a fresh link: nothing more to decide
        side = "a" if linked_a else "b"
        parts, part = (parts_a[c.i], c.part_a) if linked_a else (parts_b[c.j], c.part_b)
        taken = len(parts) >= params.max_partners or any(_overlaps(p, part) for p in parts)
        linked = (side, c.i if linked_a else c.j)
        # a restatement is linked on similarity alone: its margin reaches the threshold
        if (taken and linked not in restated and restates is not None
                and c.score >= params.threshold):
            with_part = [k for p, k in zip(parts, partners[linked]) if _overlaps(p, part)]
            if restates(c, side, with_part):
                restated.add(linked)
                taken = False
        if taken and len(parts) >= params.max_partners:
            continue  # no partner beyond max_partners
        if taken:
            other = _avoiding(s, side, parts, params, scorer) if (c.i, c.j) not in retried else None
            if other is not None:
                retried.add((c.i, c.j))
                heapq.heappush(queue, (-other.total, c.i, c.j, len(scored) + len(retried), other))
            continue
        chosen.append(s)
        parts.append(part)
        partners[linked].append(c.j if linked_a else c.i)
        if linked_a:
            parts_b[c.j], partners["b", c.j] = [c.part_b], [c.i]
        else:
            parts_a[c.i], partners["a", c.i] = [c.part_a], [c.j]
    return chosen, parts_a, parts_b


def _avoiding(s: _Scored, side: str, parts: list, params: AlignParams, scorer: PairScorer | None
              ) -> _Scored | None:
    """Pair ``s`` scored by its best part that avoids ``parts`` of its linked sentence (on
    ``side``), with the same evidence; None when there is none or it falls below the threshold."""
    if scorer is None:
        return None
    free = scorer.part_avoiding(s.cell.i, s.cell.j, side, parts)
    if free is None:
        return None
    score = free.margin - params.part_penalty
    total = s.total - s.cell.score + score
    cell = replace(s.cell, score=score, part=free.margin, part_a=free.part_a, part_b=free.part_b,
                   mutual=False)
    if total < _threshold(cell, params):
        return None
    return _Scored(total, cell, s.shared)


def _merge_options(chosen: list[_Scored], parts_a: dict, parts_b: dict, scorer: PairScorer) -> dict:
    """Per 1-1 link (i, j), its possible merges as (side, neighbour, whole margin of the
    neighbour with the partner, gain), all measured in one batch.  Only unlinked neighbours:
    a linked sentence stays linked (:func:`_merge_decision` skips it too)."""
    va, vb = scorer.whole_vectors()
    options, pairs = [], []
    for s in chosen:
        i, j = s.cell.i, s.cell.j
        if len(parts_a[i]) > 1 or len(parts_b[j]) > 1:
            continue
        for side, own, vecs, linked in (("a", i, va, parts_a), ("b", j, vb, parts_b)):
            for neighbour in (own - 1, own + 1):
                if 0 <= neighbour < len(vecs) and neighbour not in linked:
                    options.append((i, j, side, neighbour))
                    pairs.append((neighbour, j) if side == "a" else (i, neighbour))
    if not options:
        return {}
    whole = scorer.whole_margins(pairs)
    # the gains of all options at once: how much closer the sentence and its neighbour together
    # (the normalised sum of their vectors) are to the partner than the sentence alone
    i, j, neighbour = (np.array(x) for x in zip(*[(o[0], o[1], o[3]) for o in options]))
    on_a = np.array([o[2] == "a" for o in options])[:, None]
    own = np.where(on_a, va[i], vb[j])
    partner = np.where(on_a, vb[j], va[i])
    joint = own + np.where(on_a, va[np.where(on_a[:, 0], neighbour, i)],
                           vb[np.where(on_a[:, 0], j, neighbour)])
    norms = np.linalg.norm(joint, axis=1)
    joint = joint / np.where(norms == 0, 1.0, norms)[:, None]
    gains = np.einsum("nd,nd->n", joint, partner) - np.einsum("nd,nd->n", va[i], vb[j])
    out: dict = {}
    for (a, b, side, n), w, gain in zip(options, whole.tolist(), gains.tolist()):
        out.setdefault((a, b), []).append((side, n, w, gain))
    return out


def _merge_decision(
    c: Cell, parts_a: dict, parts_b: dict, options, params: AlignParams
) -> Merge | None:
    """The merge rule: a 1-1 link (i, j) grows into 2-1 or 1-2 with the unlinked sentence next to
    i or j whose whole margin with the partner is at least ``merge_threshold`` and that brings the
    pair closest, by at least ``merge_gain``; None when no neighbour qualifies (a link of a
    sentence with two partners has no options: :func:`_merge_options` leaves it 1-1)."""
    best = None
    for side, neighbour, whole, gain in options:
        if neighbour in (parts_a if side == "a" else parts_b) or whole < params.merge_threshold:
            continue
        if gain >= params.merge_gain and (best is None or gain > best.gain):
            best = Merge(side, neighbour, gain)
    return best


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
    figures = None
    if langs is not None:
        figures = [
            [sentence_figures(s.text, s.english, lang) for s in ss] for ss, lang in zip(sentences, langs)
        ]
    links = []
    for p, q in combinations(range(len(sentences)), 2):
        scorer = PairScorer(
            vectors[p], vectors[q], params.k, cross_lingual_weight, params.part_penalty
        )
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


def _evidence(
    pl: PairLink, space: str, side_a: list[Sentence], side_b: list[Sentence], words: WordOverlap
) -> Evidence:
    en_a = " ".join(s.english or "" for s in side_a)
    en_b = " ".join(s.english or "" for s in side_b)
    terms_a = {h.concept for s in side_a for h in s.glossary}
    terms_b = {h.concept for s in side_b for h in s.glossary}
    return Evidence(
        space=space,
        cosine=pl.cosine,
        similarity=pl.similarity,
        numbers=pl.shared_numbers,
        names=tuple(sorted(names(en_a) & names(en_b))),
        terms=tuple(sorted(terms_a & terms_b)),
        parts_in="english" if pl.part_space == "english" else "source",
        words=words.shared(pl.a, pl.b)[:MAX_WORD_EVIDENCE],
    )
