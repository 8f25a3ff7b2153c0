"""A batch's stories and what became of each: the values the manifest reader, the runner and
the resume check share.

Public surface: :class:`Story`, :class:`StoryOutcome`, :data:`DONE`, :data:`SKIPPED`, :data:`FAILED`
(all re-exported by :mod:`aligner.batch.manifest`, where they were first).  Below both
:mod:`aligner.batch.manifest` and :mod:`aligner.batch.resume`, so neither imports the other for them.
"""

from __future__ import annotations

from dataclasses import dataclass

DONE, SKIPPED, FAILED = "done", "skipped", "failed"


@dataclass(frozen=True)
class Story:
    """One set of articles to align together."""

    id: str
    paths: tuple[str, ...]  # absolute
    names: tuple[str, ...]  # as written in the manifest: what viewers show
    langs: tuple[str | None, ...]
    line: int  # where the story starts in the manifest
    output: str  # file name of its result in the output folder


@dataclass(frozen=True)
class StoryOutcome:
    story: str
    status: str  # DONE | SKIPPED | FAILED
    output: str
    links: int = 0
    reason: str | None = None  # one line, for FAILED
    warnings: tuple[str, ...] = ()  # one line each, what the run worked around
