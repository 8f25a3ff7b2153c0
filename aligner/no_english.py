"""The one warning of a run whose sentences lack English: how many, which languages, and the
command that installs a model for each.

Public surface: :func:`no_english_warning` (re-exported by :mod:`aligner.pipeline`).
"""

from __future__ import annotations

from typing import Sequence

from aligner.config import AlignConfig
from aligner.model import Article


def _default_warn(message: str) -> None:
    import warnings

    from aligner.errors import AlignerWarning

    warnings.warn(message, AlignerWarning, stacklevel=3)


def no_english_warning(docs: Sequence[Article], sentences, config: AlignConfig) -> str | None:
    """One line saying how many sentences have no English and how to get it (None when all have)."""
    total = sum(len(ss) for ss in sentences)
    langs = sorted({d.lang for d, ss in zip(docs, sentences) for s in ss if s.english is None})
    if not langs:
        return None
    missing = sum(1 for ss in sentences for s in ss if s.english is None)
    memory = "no translation memory entry" if config.memory else "no translation memory"
    commands = "; ".join(f"aligner models install {lang}" for lang in langs)
    return (
        f"{missing} of {total} sentence{'' if total == 1 else 's'} {'has' if missing == 1 else 'have'} no English "
        f"({memory}, no translation model for {', '.join(langs)}); they are shown as written and aligned in the "
        f"cross-lingual space. For English, run: {commands} (or give a translation memory)."
    )
