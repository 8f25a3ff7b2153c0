"""Parallel English summaries computed from a result (no models needed).

Public surface: :class:`Summary`, :class:`SharedFact`, :class:`Side`,
:class:`Conflict`, :func:`summarise`, :func:`summary_record`,
:func:`provenance`, :func:`provenance_lines`, :data:`DEFAULT_CENTRAL`.

* shared facts -- one per group (a fact across N articles), best first, with
  the English of each article's sentences and the parts that matched;
* one-sided facts -- per article, in article order, the sentences in no link;
* conflicts -- facts whose numbers, quantities or times disagree between articles;
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

from aligner.facts import numbers, time_expressions
from aligner.model import Group, Link, Result, Sentence

DEFAULT_CENTRAL = 3
_QUALIFIED = re.compile(
    r"\b(about|around|approximately|roughly|nearly|almost|some|more than|over|at least|less than|fewer than|under|up to)\s+(\d[\d,.]*)",
    re.IGNORECASE,
)
_COMPARATIVE = re.compile(r"\b(much|far)?\s*(larger|smaller|lower|higher|bigger|more|fewer|less)\b", re.IGNORECASE)
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
    fact: SharedFact
    kind: str  # "number" | "quantity" | "time"
    values: tuple[tuple[str, ...], ...]  # per side, the values that differ


@dataclass(frozen=True)
class Summary:
    result: Result
    shared: tuple[SharedFact, ...]
    only: tuple[tuple[Sentence, ...], ...]  # per article
    conflicts: tuple[Conflict, ...]
    central: tuple[tuple[Sentence, ...], ...]  # per article
    provenance: dict


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
    """The summary of ``result``; conflicts and central sentences are read from it when stored."""
    facts = [_fact(result, g) for g in _groups(result)]
    stored = result.summary
    if stored is not None and central == DEFAULT_CENTRAL:
        conflicts = tuple(Conflict(facts[c["group"]], c["kind"], tuple(tuple(v) for v in c["values"])) for c in stored["conflicts"])
        centrals = tuple(tuple(result.articles[a].sentences[i] for i in idx) for a, idx in enumerate(stored["central"]))
    else:
        conflicts = tuple(c for fact in facts for c in _conflicts(fact, result))
        centrals = tuple(_central(a.sentences, central) for a in result.articles)
    order = sorted(range(len(facts)), key=lambda n: (-facts[n].score, n))
    linked = result.linked()
    only = tuple(tuple(s for s in a.sentences if s.index not in linked[i]) for i, a in enumerate(result.articles))
    rank = {id(facts[n]): r for r, n in enumerate(order)}
    return Summary(
        result=result,
        shared=tuple(facts[n] for n in order),
        only=only,
        conflicts=tuple(sorted(conflicts, key=lambda c: rank[id(c.fact)])),
        central=centrals,
        provenance=provenance(result),
    )


def summary_record(result: Result, central: int = DEFAULT_CENTRAL) -> dict:
    """What ``align`` stores of the summary: conflicts (by group) and central sentences (by index)."""
    facts = [_fact(result, g) for g in _groups(result)]
    return {
        "conflicts": [
            {"group": n, "kind": c.kind, "values": [list(v) for v in c.values]}
            for n, fact in enumerate(facts)
            for c in _conflicts(fact, result)
        ],
        "central": [[s.index for s in _central(a.sentences, central)] for a in result.articles],
    }


def provenance(result: Result) -> dict:
    sig = result.signature
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
    for k in ("aligner", "segmentation", "translator", "memory", "glossary", "embedder", "cross_lingual", "cross_lingual_weight", "align"):
        if sig.get(k) is not None:
            out[k] = sig[k]
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
        lines.append(f"glossary: {p['glossary']['path']} (sha256 {p['glossary']['sha256'][:12]})")
    if p.get("align"):
        lines.append("alignment: " + ", ".join(f"{k}={v}" for k, v in p["align"].items()))
    lines.append(f"aligner {p.get('aligner', '?')}, segmentation rules {p.get('segmentation', '?')}, translator {p.get('translator', '?')}")
    return lines


def _conflicts(fact: SharedFact, result: Result) -> list[Conflict]:
    out = []
    langs = [result.articles[s.article].lang for s in fact.sides]
    nums = [set(numbers(side.source, lang)) for side, lang in zip(fact.sides, langs)]
    if all(nums) and len({frozenset(n) for n in nums}) > 1:
        common = set.intersection(*nums)
        out.append(Conflict(fact, "number", tuple(tuple(sorted(n - common, key=_num_key)) for n in nums)))
    elif any(nums) and not all(nums):
        comps = [_COMPARATIVE.search(side.english or "") for side in fact.sides]
        if any(c and not n for c, n in zip(comps, nums)):
            out.append(
                Conflict(
                    fact,
                    "quantity",
                    tuple(tuple(sorted(n, key=_num_key)) if n else ((c.group(0).strip(),) if c else ()) for n, c in zip(nums, comps)),
                )
            )
    qualified = [_qualifiers(side.english) for side in fact.sides]
    for value in sorted(set.intersection(*[set(q) for q in qualified]), key=_num_key) if all(qualified) else ():
        quals = [q[value] for q in qualified]
        if len(set(quals)) > 1:
            out.append(Conflict(fact, "quantity", tuple((f"{q} {value}",) for q in quals)))
    times = [tuple(dict.fromkeys(time_expressions(side.english))) for side in fact.sides]
    if all(times) and not set.intersection(*[set(t) for t in times]):
        out.append(Conflict(fact, "time", tuple(times)))
    return out


def _qualifiers(english: str) -> dict[str, str]:
    out = {}
    for m in _QUALIFIED.finditer(english or ""):
        value = numbers(m.group(2), "en")
        if value:
            out[value[0]] = m.group(1).lower()
    return out


def _num_key(value: str):
    try:
        return (0, float(value))
    except ValueError:
        return (1, value)


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
    total: Counter = Counter()
    for u in units:
        total.update(u)
    n = len(sentences)
    scores = [(sum(v * total[w] for w, v in u.items()) - sum(v * v for v in u.values())) / max(n - 1, 1) for u in units]
    top = sorted(range(n), key=lambda i: (-round(scores[i], 9), i))[:count]
    return tuple(sentences[i] for i in sorted(top))
