"""Parallel English summaries computed from a result (no models needed).

Public surface: :class:`Summary`, :class:`SharedFact`, :class:`Conflict`,
:func:`summarise`, :data:`DEFAULT_CENTRAL`.

* shared facts -- every link, with the English of each side;
* one-sided facts -- per article, in article order, the sentences in no link;
* conflicts -- linked sentences whose numbers, quantities or times disagree;
* central sentences -- per article, the sentences most similar to the rest of
  the article (bag-of-words cosine on the English, or the source without it);
* provenance -- how the result was made, from its signature.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from aligner.facts import numbers, time_expressions
from aligner.model import Link, Result, Sentence

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

    @property
    def english(self) -> str:
        return " ".join(s.english or "" for s in self.sentences).strip()

    @property
    def source(self) -> str:
        return " ".join(s.text for s in self.sentences)


@dataclass(frozen=True)
class SharedFact:
    link: Link
    sides: tuple[Side, ...]


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


def summarise(result: Result, central: int = DEFAULT_CENTRAL) -> Summary:
    shared = tuple(
        SharedFact(
            link,
            tuple(Side(m.article, tuple(result.articles[m.article].sentences[i] for i in m.sentences)) for m in link.members),
        )
        for link in sorted(result.links, key=lambda l: -l.score)
    )
    linked = result.linked()
    only = tuple(tuple(s for s in a.sentences if s.index not in linked[i]) for i, a in enumerate(result.articles))
    conflicts = tuple(c for fact in shared for c in _conflicts(fact, result))
    return Summary(
        result=result,
        shared=shared,
        only=only,
        conflicts=conflicts,
        central=tuple(_central(a.sentences, central) for a in result.articles),
        provenance=provenance(result),
    )


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
    for k in ("aligner", "translator", "memory", "glossary", "embedder", "cross_lingual", "cross_lingual_weight", "align"):
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
    lines.append(f"aligner {p.get('aligner', '?')}, translator {p.get('translator', '?')}")
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
    for value in set.intersection(*[set(q) for q in qualified]) if all(qualified) else ():
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
    if count <= 0 or not sentences:
        return ()
    bags = [Counter(w for w in re.findall(r"\w+", (s.english or s.text).lower()) if w not in _STOP) for s in sentences]
    norms = [math.sqrt(sum(v * v for v in b.values())) or 1.0 for b in bags]

    def cos(i, j):
        return sum(bags[i][w] * bags[j].get(w, 0) for w in bags[i]) / (norms[i] * norms[j])

    n = len(sentences)
    scores = [sum(cos(i, j) for j in range(n) if j != i) / max(n - 1, 1) for i in range(n)]
    top = sorted(range(n), key=lambda i: (-scores[i], i))[:count]
    return tuple(sentences[i] for i in sorted(top))
