"""Resume: whether a story's result in the output folder is still this run's result.

Public surface: :func:`expected_signature`, :func:`finished`.

A result is kept (the story skipped) when it reads back valid, names the same
article files with the same content, and its signature matches what this run
would record: the same settings, memory and glossary (by the hash of their
bytes) and the same installed translation models (name, version, hash of
their files), so a model installed or replaced since makes the story run again.
With a folder of reviewed results, the story's decisions file must be the one
the result was made with (by its sha256): a changed review re-runs the story.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from aligner.batch.stories import SKIPPED, Story, StoryOutcome
from aligner.errors import InputError, ResultError
from aligner.files import matches_sha256
from aligner.model import Signature


def expected_signature(template) -> Signature:
    """What a result made with ``template`` must carry in its signature.

    The embedders are known only by name here (a story may use one of them or
    both); everything else that the config decides must be equal.
    """
    from aligner.cache import Cache
    from aligner.pipeline import build_components, signature

    components = build_components(template, Cache(None))  # builds nothing heavy: models load on first use
    _check_glossary(template)
    info = {"embedder": _identity(components.english), "cross_lingual": _identity(components.cross_lingual)}
    return signature(template, [], info)


def _identity(embedder) -> dict | None:
    if embedder is None:
        return None
    return {"name": getattr(embedder, "name", embedder.id), "id": embedder.id, "version": embedder.version}


def _check_glossary(template) -> None:
    """A broken glossary fails the batch once, not every story."""
    if template.glossary:
        from aligner import glossary as gl

        problems = gl.check(gl.load(template.glossary))
        if problems:
            raise InputError(problems[0].message)


def finished(path: Path, story: Story, expected: Signature, decisions: str | None = None) -> StoryOutcome | None:
    """A SKIPPED outcome if ``path`` holds this story's result for ``expected``; else None.

    ``decisions``: when not None, the sha256 of the story's decisions file (``""``
    for none) that the result must have been made with
    (:mod:`aligner.batch.reviewed`); None: decisions are not compared.
    """
    from aligner.result import read_json

    if not path.is_file():
        return None
    try:
        result = read_json(path)
    except ResultError:
        return None
    if not (_same_articles(result, story) and _same_settings(result.signature, expected) and _current_schema(result)):
        return None
    if decisions is not None:
        from aligner.batch.reviewed import decisions_sha256

        if decisions_sha256(result.signature) != decisions:
            return None
    return StoryOutcome(story.id, SKIPPED, story.output, links=len(result.links))


def _current_schema(result) -> bool:
    from aligner.model import SCHEMA_VERSION

    return result.schema_version == SCHEMA_VERSION


def _same_articles(result, story: Story) -> bool:
    if len(result.articles) != len(story.paths):
        return False
    for a, name, path, lang in zip(result.articles, story.names, story.paths, story.langs):
        if a.path != name or a.absolute != path or (lang is not None and a.lang != lang):
            return False
        if not matches_sha256(path, a.sha256, _max_bytes()):
            return False
    return True


def _max_bytes() -> int:
    from aligner.ingest import MAX_BYTES

    return MAX_BYTES


def _same_settings(found: Signature, expected: Signature) -> bool:
    """The same settings, files and models; of what the data decides (the English sources, the
    embedders used), only an embedder the result names must be the one this run would use.
    The decisions file is compared by :func:`finished`, keys this version does not name not at all."""
    for used, would in ((found.embedder, expected.embedder), (found.cross_lingual, expected.cross_lingual)):
        if used not in (None, would):
            return False
    data_dependent = {"english_sources": None, "embedder": None, "cross_lingual": None, "decisions": None, "extra": {}}
    return replace(found, **data_dependent) == replace(expected, **data_dependent)
