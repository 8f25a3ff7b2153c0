"""The values that travel between stages, and the result a run produces.

Public surface: :data:`SCHEMA_VERSION`, :class:`Dropped`, :class:`GlossaryHit`,
:class:`Sentence`, :class:`ArticleResult`, :class:`Member`, :class:`Evidence`,
:class:`Link`, :class:`Group`, :class:`Result`.

This module imports no stage: every stage imports it.  The JSON form of a
:class:`Result` lives in :mod:`aligner.result`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# 2: links have a kind and matched parts; groups (one per fact across N articles)
SCHEMA_VERSION = 2
LINK_KINDS = ("same-fact", "partial")


@dataclass(frozen=True)
class Dropped:
    """A span of the decoded file that is not part of the article."""

    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class GlossaryHit:
    """One concept found in one source sentence, and what happened to its English."""

    concept: str  # canonical English term
    variant: str  # the source text that matched
    status: str  # "ok" | "post-edited" | "violation" | "untranslated"
    changed: tuple[str, ...] = ()  # "avoided -> canonical" edits made


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int  # code-point offsets in the decoded input file
    end: int
    text: str
    english: str | None
    english_source: str  # "original" | "memory" | "argos:<package>@<version>" | "none"
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
    space: str  # "english", "multilingual" or "english+multilingual"
    cosine: float
    margin: float
    numbers: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    parts_in: str = "english"  # the text that Member.part spans index: "english" or "source"
    words: tuple[str, ...] = ()  # shared content words of the English (stemmed), rarest first


@dataclass(frozen=True)
class Link:
    """Sentences of two articles that state the same fact (``same-fact``), or where
    one states part of the other's facts (``partial``)."""

    members: tuple[Member, ...]
    score: float
    evidence: Evidence
    kind: str = "same-fact"


@dataclass(frozen=True)
class Group:
    """One fact across N articles: every sentence joined by links, per article, and the links."""

    members: tuple[Member, ...]
    links: tuple[int, ...]  # indices into Result.links


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

    def linked(self) -> list[set[int]]:
        """Per article, the indices of its sentences that take part in a link."""
        out = [set() for _ in self.articles]
        for link in self.links:
            for m in link.members:
                out[m.article].update(m.sentences)
        return out
