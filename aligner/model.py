"""The values that travel between stages, and the result a run produces.

Public surface: :data:`SCHEMA_VERSION`, :class:`Dropped`, :class:`GlossaryHit`,
:class:`Sentence`, :class:`ArticleResult`, :class:`Member`, :class:`Evidence`,
:class:`Link`, :class:`Result`.

This module imports no stage: every stage imports it.  The JSON form of a
:class:`Result` lives in :mod:`aligner.result`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SCHEMA_VERSION = 1


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


@dataclass(frozen=True)
class Evidence:
    space: str  # "english", "multilingual" or "english+multilingual"
    cosine: float
    margin: float
    numbers: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Link:
    members: tuple[Member, ...]
    score: float
    evidence: Evidence


@dataclass(frozen=True)
class Result:
    articles: tuple[ArticleResult, ...]
    links: tuple[Link, ...]
    signature: dict = field(default_factory=dict)
    glossary_audit: tuple[dict, ...] = ()
    schema_version: int = SCHEMA_VERSION

    def linked(self) -> list[set[int]]:
        """Per article, the indices of its sentences that take part in a link."""
        out = [set() for _ in self.articles]
        for link in self.links:
            for m in link.members:
                out[m.article].update(m.sentences)
        return out
