"""The signature of a run: everything that moves the scores of a result, stored beside them.

Public surface: :func:`signature` (re-exported by :mod:`aligner.pipeline`, where it was first).
Split out of the pipeline so that the batch resume check and ``eval`` read what names a run
without the order of the stages.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, replace
from pathlib import Path

from aligner import __version__
from aligner.config import AlignConfig
from aligner.errors import AlignerError
from aligner.model import EmbedderStamp, FileStamp, ModelStamp, Signature
from aligner.segment import SEGMENTATION_VERSION


def _file_sha(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def signature(config: AlignConfig, sentences, embed_info: dict, used: dict | None = None) -> Signature:
    """Everything that moves the scores of a result (as sacrebleu prints beside its figures).

    ``embed_info``: the embedders used, ``{"embedder": ..., "cross_lingual": ...}`` (each
    ``{"name", "id", "version"}`` or None; any other key is kept in ``Signature.extra``).
    ``used``: the memory's and glossary's ``{"path", "sha256"}`` taken from the bytes the run
    read (else they are hashed here); the translation models installed (name, version, hash
    of their files) are named when the translator may use them.
    """
    used = used or {}
    memory = _stamp(used.get("memory"), config.memory)
    glossary = _stamp(used.get("glossary"), config.glossary)
    if glossary and config.glossary_found_in:
        glossary = replace(glossary, found_in=config.glossary_found_in)
    models = _models(config)
    return Signature(
        aligner=__version__,
        segmentation=SEGMENTATION_VERSION,
        translator=config.translator,
        protect_terms=config.protect_terms,
        english_sources=tuple(sorted({s.english_source for ss in sentences for s in ss})),
        memory=memory,
        glossary=glossary,
        models=None if models is None else tuple(ModelStamp.from_dict(m) for m in models),
        embedder=_embedder(embed_info.get("embedder")),
        cross_lingual=_embedder(embed_info.get("cross_lingual")),
        cross_lingual_weight=config.cross_lingual_weight,
        align=asdict(config.params),
        extra={k: v for k, v in embed_info.items() if k not in ("embedder", "cross_lingual")},
    )


def _stamp(used: dict | None, path: str | None) -> FileStamp | None:
    """A file's stamp from the bytes the run read (``used``), else hashed now; None without a file."""
    if used:
        return FileStamp(used["path"], used["sha256"])
    return FileStamp(path, _file_sha(path)) if path else None


def _embedder(info: dict | None) -> EmbedderStamp | None:
    return None if info is None else EmbedderStamp.from_dict(info)


def _models(config: AlignConfig) -> list[dict] | None:
    """The installed translation models (None when the translator uses none)."""
    if config.translator not in ("auto", "argos"):
        return None
    from aligner.translate.installed import models_signature
    from aligner.translate.packages import argos_settings

    try:
        return models_signature(Path(config.packages_dir) if config.packages_dir else argos_settings().packages_dir)
    except (AlignerError, OSError):  # an unreadable registry is reported when a model is needed
        return []
