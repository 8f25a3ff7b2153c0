"""The values that travel between stages, and the result a run produces.

Public surface: :data:`SCHEMA_VERSION`, the kinds (:data:`LinkKind`, :data:`GlossaryStatus`,
:data:`EmbeddingSpace`, :data:`PartsIn`), :class:`Article`, :class:`Dropped`, :class:`GlossaryHit`,
:class:`Sentence`, :class:`ArticleResult`, :class:`Member`, :class:`Evidence`,
:class:`Link`, :class:`Group`, :class:`SentenceRef`, :class:`ReviewDecision`, :class:`Review`,
:class:`Result`, and the discrepancies between linked sentences (:data:`Severity`,
:data:`DiscrepancyKind`, :class:`Figure`, :class:`Difference`, :class:`Discrepancy`).

This module imports no stage: every stage imports it.  The JSON form of a
:class:`Result` lives in :mod:`aligner.result`.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Literal

# 2: links have a kind and matched parts; groups (one per fact across N articles)
SCHEMA_VERSION = 2
LinkKind = Literal["same-fact", "partial"]
LINK_KINDS: tuple[LinkKind, ...] = ("same-fact", "partial")
GlossaryStatus = Literal["ok", "post-edited", "violation", "untranslated"]
EmbeddingSpace = Literal["english", "multilingual", "english+multilingual"]
PartsIn = Literal["english", "source"]
ReviewVerdict = Literal["accepted", "rejected", "manual"]
REVIEW_VERDICTS: tuple[ReviewVerdict, ...] = ("accepted", "rejected", "manual")


@dataclass(frozen=True)
class Dropped:
    """A span of the decoded file that is not part of the article."""

    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class Article:
    """One decoded, normalised article."""

    path: str
    lang: str
    text: str  # NFC, hard-wrapped lines joined (HTML: the extracted text); boilerplate still present (spans in ``dropped``)
    dropped: tuple[Dropped, ...]
    lang_detected: bool
    sha256: str
    # offsets[i] = offset in the decoded file of text[i]; one extra entry for len(text)
    offsets: tuple[int, ...] = field(repr=False, compare=False, default=())

    def original_offset(self, i: int) -> int:
        return self.offsets[i] if self.offsets else i

    def kept_ranges(self) -> list[tuple[int, int]]:
        """Ranges of ``text`` (NFC offsets) that are article body."""
        dropped = sorted((self._nfc_offset(d.start), self._nfc_offset(d.end)) for d in self.dropped)
        ranges, pos = [], 0
        for s, e in dropped:
            if s > pos:
                ranges.append((pos, s))
            pos = max(pos, e)
        if pos < len(self.text):
            ranges.append((pos, len(self.text)))
        return ranges

    def _nfc_offset(self, original: int) -> int:
        if not self.offsets:
            return original
        return bisect.bisect_left(self.offsets, original)


@dataclass(frozen=True)
class GlossaryHit:
    """One concept found in one source sentence, and what happened to its English."""

    concept: str  # canonical English term
    variant: str  # the source text that matched
    status: GlossaryStatus
    changed: tuple[str, ...] = ()  # "avoided -> canonical" edits made


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int  # code-point offsets in the decoded input file
    end: int
    text: str
    english: str | None
    # "original" (an English article), "memory", "argos:<package>@<version>", "ct2:<model>@<hash>" or "none"
    english_source: str
    glossary: tuple[GlossaryHit, ...] = ()


@dataclass(frozen=True)
class ArticleResult:
    path: str
    lang: str
    lang_detected: bool
    sha256: str
    dropped: tuple[Dropped, ...]
    sentences: tuple[Sentence, ...]
    # where the file is, as written in a saved result: relative to the result's folder, and absolute
    relative: str = ""
    absolute: str = ""


@dataclass(frozen=True)
class Member:
    article: int
    sentences: tuple[int, ...]
    # the part of the (single) sentence that matched, as (start, end) in its English or
    # source text (``Evidence.parts_in``); None: the whole sentence
    part: tuple[int, int] | None = None


@dataclass(frozen=True)
class Evidence:
    space: EmbeddingSpace  # the embedding space(s) the score came from
    cosine: float
    margin: float
    numbers: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    parts_in: PartsIn = "english"  # the text that Member.part spans index
    words: tuple[str, ...] = ()  # shared content words of the English (as written), rarest first


@dataclass(frozen=True)
class Link:
    """Sentences of two articles that state the same fact (``same-fact``), or where
    one states part of the other's facts (``partial``)."""

    members: tuple[Member, ...]
    score: float
    evidence: Evidence
    kind: LinkKind = "same-fact"


@dataclass(frozen=True)
class Group:
    """One fact across N articles: every sentence joined by links, per article, and the links."""

    members: tuple[Member, ...]
    links: tuple[int, ...]  # indices into Result.links


@dataclass(frozen=True)
class SentenceRef:
    """A sentence named so that it survives a re-run: its article's sha256 and its span
    (code-point offsets in the decoded input file, as :attr:`Sentence.start`/``end``)."""

    sha256: str
    start: int
    end: int


@dataclass(frozen=True)
class ReviewDecision:
    """A reviewer's decision on one link: the sentences it joins (two or more articles), who, when."""

    sentences: tuple[SentenceRef, ...]
    by: str = ""
    at: str = ""  # ISO 8601, UTC

    def key(self) -> frozenset[SentenceRef]:
        """What the decision is about, independent of order, reviewer and time."""
        return frozenset(self.sentences)


@dataclass(frozen=True)
class Review:
    """Link decisions kept in a result: ``accepted`` and ``rejected`` links the aligner made,
    ``manual`` links a reviewer added."""

    accepted: tuple[ReviewDecision, ...] = ()
    rejected: tuple[ReviewDecision, ...] = ()
    manual: tuple[ReviewDecision, ...] = ()


@dataclass(frozen=True)
class Result:
    articles: tuple[ArticleResult, ...]
    links: tuple[Link, ...]
    signature: dict = field(default_factory=dict)
    glossary_audit: tuple[dict, ...] = ()
    schema_version: int = SCHEMA_VERSION
    groups: tuple[Group, ...] = ()
    # conflicts and central sentences as computed by ``align`` (aligner.summary.summary_record),
    # so viewers need not recompute them; None: compute on demand
    summary: dict | None = None
    # link decisions from ``aligner review``; None: never reviewed
    review: Review | None = None

    def linked(self) -> list[set[int]]:
        """Per article, the indices of its sentences that take part in a link."""
        out = [set() for _ in self.articles]
        for link in self.links:
            for m in link.members:
                out[m.article].update(m.sentences)
        return out


Severity = Literal["hard", "soft"]
SEVERITIES: tuple[Severity, ...] = ("hard", "soft")
DiscrepancyKind = Literal["number", "quantity", "time"]
DISCREPANCY_KINDS: tuple[DiscrepancyKind, ...] = ("number", "quantity", "time")


@dataclass(frozen=True)
class Figure:
    """What one side of a discrepancy states: the value as written and where, in one sentence."""

    article: int
    sentence: int  # its index in the article
    value: str  # as written: "about 500", "63"
    start: int  # the span of ``value`` in the sentence's English or source text (``span_in``)
    end: int
    span_in: PartsIn = "english"


@dataclass(frozen=True)
class Difference:
    """One way two sentences disagree: ``number`` (hard: the same counted thing, another value),
    ``quantity`` (soft: compatible values, different qualifiers) or ``time`` (exclusive dates)."""

    kind: DiscrepancyKind
    severity: Severity
    sides: tuple[Figure, Figure]


@dataclass(frozen=True)
class Discrepancy:
    """One pair of linked sentences (of one shared fact, ``group``) and every way they disagree."""

    group: int  # index into Result.groups
    members: tuple[Member, Member]  # the sentences of each article
    differences: tuple[Difference, ...]

    @property
    def severity(self) -> Severity:
        return "hard" if any(d.severity == "hard" for d in self.differences) else "soft"
