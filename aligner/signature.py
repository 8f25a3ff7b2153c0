"""The signature of a run: everything that moves the scores of a result, stored beside them.

Public surface: :func:`signature` (re-exported by :mod:`aligner.pipeline`, where it was first).
Split out of the pipeline so that the batch resume check and ``eval`` read what names a run
without the order of the stages.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from pathlib import Path

from aligner import __version__
from aligner.config import AlignConfig
from aligner.errors import AlignerError
from aligner.segment import SEGMENTATION_VERSION


def _file_sha(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def signature(config: AlignConfig, sentences, embed_info: dict, used: dict | None = None) -> dict:
    """Everything that moves the scores of a result (as sacrebleu prints beside its figures).

    ``used``: the memory's and glossary's signatures taken from the bytes the run
    read (else they are hashed here); the translation models installed (name,
    version, hash of their files) are named when the translator may use them.
    """
    used = used or {}
    memory = used.get("memory") or ({"path": config.memory, "sha256": _file_sha(config.memory)} if config.memory else None)
    glossary = used.get("glossary") or (
        {"path": config.glossary, "sha256": _file_sha(config.glossary)} if config.glossary else None
    )
    if glossary and config.glossary_found_in:
        glossary = {**glossary, "found_in": config.glossary_found_in}
    return {
        "aligner": __version__,
        "segmentation": SEGMENTATION_VERSION,
        "translator": config.translator,
        "protect_terms": config.protect_terms,
        "english_sources": sorted({s.english_source for ss in sentences for s in ss}),
        "memory": memory,
        "glossary": glossary,
        "models": _models(config),
        **embed_info,
        "cross_lingual_weight": config.cross_lingual_weight,
        "align": asdict(config.params),
    }


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
