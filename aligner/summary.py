"""Parallel English summaries computed from a result (no models needed).

Public surface: :class:`Summary`, :class:`SharedFact`, :class:`Side`,
:class:`Conflict`, :func:`summarise`, :func:`summary_record`, :func:`discrepancies`,
:func:`pair_discrepancy`,
:func:`provenance`, :func:`provenance_lines`, :data:`DEFAULT_CENTRAL`.

* shared facts -- one per group (a fact across N articles), best first, with
  the English of each article's sentences and the parts that matched;
* one-sided facts -- per article, in article order, the sentences in no link;
* discrepancies -- linked sentence pairs whose figures disagree (:mod:`aligner.quantities`):
  the same counted thing with another value (hard), compatible values with other
  qualifiers (soft), dates that exclude each other, different named sources in the
  English (soft, :mod:`aligner.sources`); one entry per pair, hard first;
* central sentences -- per article, the sentences most similar to the rest of
  the article (bag-of-words cosine on the English, or the source without it);
* provenance -- how the result was made, from its signature.

Every step is linear in the number of sentences and links.  ``align`` stores
the conflicts and central sentences in the result (:func:`summary_record`), so
``view`` and ``report`` read them instead of recomputing.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from aligner.model import (DISCREPANCY_KINDS, Difference, Discrepancy, Figure, Group, Link, Member, Result, Sentence,
                           StoredConflict, SummaryRecord)
from aligner.quantities import link_differences, sentence_quantities

DEFAULT_CENTRAL = 3
_STOP = frozenset(
    "the a an of to in on at and or but is are was were be been has have had that this it its for with as by from "
    "will would not no said says say their they them he she his her which who also than more".split()
)


@dataclass(frozen=True)
class Side:
    article: int
    sentences: tuple[Sentence, ...]
    parts: tuple[tuple[int, int] | None, ...] = ()  # per sentence: the part that matched (None: whole)

    @property
    def english(self) -> str:
        return " ".join(s.english or "" for s in self.sentences).strip()

    @property
    def source(self) -> str:
        return " ".join(s.text for s in self.sentences)


@dataclass(frozen=True)
class SharedFact:
    """One group: the sentences of every article that report one fact."""

    group: Group
    links: tuple[Link, ...]
    sides: tuple[Side, ...]

    @property
    def link(self) -> Link:
        """The group's best link (its score and evidence stand for the group)."""
        return max(self.links, key=lambda l: l.score)

    @property
    def score(self) -> float:
        return self.link.score

    @property
    def kind(self) -> str:
        return "partial" if any(l.kind == "partial" for l in self.links) else "same-fact"

    @property
    def parts_in(self) -> str:
        return self.link.evidence.parts_in


@dataclass(frozen=True)
class Conflict:
    """One difference of a discrepancy, seen from its shared fact."""

    fact: SharedFact
    kind: str  # "number" | "quantity" | "time" | "source"
    values: tuple[tuple[str, ...], ...]  # per side of the fact, the value it states (empty: not in this pair)
    severity: str = "hard"  # "hard" | "soft"
    discrepancy: Discrepancy | None = None


@dataclass(frozen=True)
class Summary:
    result: Result
    shared: tuple[SharedFact, ...]
    only: tuple[tuple[Sentence, ...], ...]  # per article
    conflicts: tuple[Conflict, ...]  # the differences of the discrepancies, hard pairs first
    central: tuple[tuple[Sentence, ...], ...]  # per article
    provenance: dict
    discrepancies: tuple[Discrepancy, ...] = ()  # one per linked sentence pair that disagrees, hard first


def _groups(result: Result) -> tuple[Group, ...]:
    """The result's groups (a hand-built result may carry links only)."""
    if result.groups or not result.links:
        return result.groups
    from aligner.align.groups import group_links

    return group_links(result.links)


def _fact(result: Result, group: Group) -> SharedFact:
    links = tuple(result.links[n] for n in group.links)
    parts: dict[tuple[int, int], tuple[int, int] | None] = {}
    for link in links:
        for m in link.members:
            for s in m.sentences:
                # a sentence matched by its whole anywhere is shown whole
                if (m.article, s) in parts and parts[(m.article, s)] is None:
                    continue
                parts[(m.article, s)] = m.part if len(m.sentences) == 1 else None
    sides = tuple(
        Side(m.article, tuple(result.articles[m.article].sentences[i] for i in m.sentences), tuple(parts[(m.article, i)] for i in m.sentences))
        for m in group.members
    )
    return SharedFact(group, links, sides)


def summarise(result: Result, central: int = DEFAULT_CENTRAL) -> Summary:
    """The summary of ``result``; central sentences are read from it when stored.

    Discrepancies are computed from the links and sentences (linear, no models), as
    groups are: a stored list is for readers of the JSON, and the conflicts an older
    result stored were judged by older rules."""
    groups = _groups(result)
    facts = [_fact(result, g) for g in groups]
    stored = result.summary
    found = discrepancies(result, groups)
    if stored is not None and central == DEFAULT_CENTRAL:
        centrals = tuple(tuple(result.articles[a].sentences[i] for i in idx) for a, idx in enumerate(stored.central))
    else:
        centrals = tuple(_central(a.sentences, central) for a in result.articles)
    order = sorted(range(len(facts)), key=lambda n: (-facts[n].score, n))
    linked = result.linked()
    only = tuple(tuple(s for s in a.sentences if s.index not in linked[i]) for i, a in enumerate(result.articles))
    rank = {n: r for r, n in enumerate(order)}
    # hard pairs first, then by the rank of their fact
    found = tuple(sorted(found, key=lambda d: (d.severity != "hard", rank[d.group])))
    conflicts = tuple(c for d in found for c in _conflicts_of(d, facts[d.group]))
    return Summary(
        result=result,
        shared=tuple(facts[n] for n in order),
        only=only,
        conflicts=conflicts,
        central=centrals,
        provenance=provenance(result),
        discrepancies=found,
    )


def summary_record(result: Result, central: int = DEFAULT_CENTRAL) -> SummaryRecord:
    """What ``align`` stores of the summary: discrepancies (one per sentence pair), the same as
    conflicts by group (as older aligners read them), and central sentences (by index)."""
    groups = _groups(result)
    facts = [_fact(result, g) for g in groups]
    found = discrepancies(result, groups)
    return SummaryRecord(
        discrepancies=found,
        conflicts=tuple(StoredConflict(d.group, c.kind, tuple(tuple(v) for v in c.values)) for d in found for c in _conflicts_of(d, facts[d.group])),
        central=tuple(tuple(s.index for s in _central(a.sentences, central)) for a in result.articles),
    )


def provenance(result: Result) -> dict:
    """How the result was made, as JSON values (what :func:`provenance_lines` shows): per article its
    path, language and English sources; the signature's tools, files, embedders and parameters."""
    sig = result.signature

    def plain(stamp):
        return None if stamp is None else stamp.to_dict()

    out = {
        "articles": [
            {
                "path": a.path,
                "lang": a.lang + (" (detected)" if a.lang_detected else ""),
                "english": ", ".join(sorted(Counter(s.english_source for s in a.sentences))),
            }
            for a in result.articles
        ],
    }
    shown = {"aligner": sig.aligner, "segmentation": sig.segmentation, "translator": sig.translator,
             "memory": plain(sig.memory), "glossary": plain(sig.glossary), "embedder": plain(sig.embedder),
             "cross_lingual": plain(sig.cross_lingual), "cross_lingual_weight": sig.cross_lingual_weight, "align": sig.align}
    out.update((k, v) for k, v in shown.items() if v is not None)
    return out


def provenance_lines(p: dict) -> list[str]:
    """The provenance as plain lines, shared by the viewer and the report."""
    lines = []
    if p.get("memory"):
        lines.append(f"translation memory: {p['memory']['path']} (hand-made, sha256 {p['memory']['sha256'][:12]})")
    if p.get("embedder"):
        lines.append(f"embedder: {p['embedder']['id']} [{p['embedder']['version']}]")
    if p.get("cross_lingual"):
        lines.append(f"cross-lingual embedder: {p['cross_lingual']['id']} [{p['cross_lingual']['version']}]")
    if p.get("glossary"):
        found_in = p["glossary"].get("found_in")
        where = f", found in the {found_in}" if found_in in ("current folder", "user config folder") else ""
        lines.append(f"glossary: {p['glossary']['path']}{where} (sha256 {p['glossary']['sha256'][:12]})")
    if p.get("align"):
        lines.append("alignment: " + ", ".join(f"{k}={v}" for k, v in p["align"].items()))
    lines.append(f"aligner {p.get('aligner', '?')}, segmentation rules {p.get('segmentation', '?')}, translator {p.get('translator', '?')}")
    return lines


def _side_quantities(result: Result, member: Member):
    """Per sentence of ``member``: its figures (read in its English, else its source) and its English."""
    article = result.articles[member.article]
    out = []
    for i in member.sentences:
        s = article.sentences[i]
        out.append(sentence_quantities(s.text, s.english, article.lang))
    return out, [article.sentences[i].english for i in member.sentences]


def pair_discrepancy(result: Result, group: int, a: Member, b: Member, parts_in: str = "english"
                     ) -> Discrepancy | None:
    """How the sentences of ``a`` and ``b`` (two articles, one link whose parts span the text
    ``parts_in`` names) disagree; None: they do not."""
    qa, ea = _side_quantities(result, a)
    qb, eb = _side_quantities(result, b)
    found = link_differences(qa, qb, ea, eb, a.part, b.part, parts_in == "english")
    if not found:
        return None

    def figure(member: Member, k: int, span) -> Figure:
        start, end, written, in_english = span
        return Figure(member.article, member.sentences[k], written, start, end, "english" if in_english else "source")

    diffs = tuple(
        Difference(m.kind, m.severity, (figure(a, m.a_index, m.a), figure(b, m.b_index, m.b)))
        for m in sorted(found, key=lambda m: (m.severity != "hard", DISCREPANCY_KINDS.index(m.kind)))
    )
    return Discrepancy(group, (Member(a.article, a.sentences), Member(b.article, b.sentences)), diffs)


def discrepancies(result: Result, groups: tuple[Group, ...] | None = None) -> tuple[Discrepancy, ...]:
    """Every linked sentence pair that disagrees, once, with all its differences; hard first."""
    groups = _groups(result) if groups is None else groups
    out = []
    for n, g in enumerate(groups):
        for k in g.links:
            link = result.links[k]
            for a, b in zip(link.members, link.members[1:]):
                d = pair_discrepancy(result, n, a, b, link.evidence.parts_in)
                if d is not None:
                    out.append(d)
    return tuple(sorted(out, key=lambda d: d.severity != "hard"))


def _conflicts_of(d: Discrepancy, fact: SharedFact) -> list[Conflict]:
    """A discrepancy as the conflicts of its fact (per difference, each side's value)."""
    out = []
    for diff in d.differences:
        by_article = {f.article: f.value for f in diff.sides}
        values = tuple((by_article[side.article],) if side.article in by_article else () for side in fact.sides)
        out.append(Conflict(fact, diff.kind, values, diff.severity, d))
    return out


def _central(sentences: tuple[Sentence, ...], count: int) -> tuple[Sentence, ...]:
    """The ``count`` sentences with the highest mean bag-of-words cosine to the others.

    Linear: with unit vectors u_i, the sum of cosines of i with every other
    sentence is u_i . (sum_j u_j) - 1, so one pass builds the sum and one scores.
    """
    if count <= 0 or not sentences:
        return ()
    units = []
    for s in sentences:
        bag = Counter(w for w in re.findall(r"\w+", (s.english or s.text).lower()) if w not in _STOP)
        norm = math.sqrt(sum(v * v for v in bag.values())) or 1.0
        units.append({w: v / norm for w, v in bag.items()})
    total: dict[str, float] = {}  # the sum of the unit vectors, added in the same order as Counter.update would
    get = total.get
    for u in units:
        for w, v in u.items():
            total[w] = v + get(w, 0)
    n = len(sentences)
    scores = [(sum(v * total[w] for w, v in u.items()) - sum(v * v for v in u.values())) / max(n - 1, 1) for u in units]
    top = sorted(range(n), key=lambda i: (-round(scores[i], 9), i))[:count]
    return tuple(sentences[i] for i in sorted(top))
