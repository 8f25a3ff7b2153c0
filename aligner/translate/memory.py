"""The translation memory: hand-made English for source sentences, matched exactly.

Public surface: :class:`TranslationMemory`, :func:`normalise`, :data:`MEMORY_HEADER`.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

from aligner.errors import InputError
from aligner.files import read_utf8

MEMORY_HEADER = ["lang", "source", "english"]


def normalise(text: str) -> str:
    """The form translation-memory lookups compare: NFC, white space collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


class TranslationMemory:
    """Exact-match translation memory read from a CSV with header ``lang,source,english``."""

    def __init__(self, entries: dict[tuple[str, str], str], path: str):
        self.entries = entries
        self.path = path

    @classmethod
    def load(cls, path: str | Path) -> "TranslationMemory":
        name = str(path)
        text = read_utf8(path, InputError, "translation memory file")
        rows = csv.reader(text.splitlines())
        header = next(rows, None)
        if header != MEMORY_HEADER:
            raise InputError(f"{name}: header must be {','.join(MEMORY_HEADER)}, found {','.join(header or [])!r}")
        entries = {}
        for line, row in enumerate(rows, start=2):
            if not row:
                continue
            if len(row) != 3 or not all(cell.strip() for cell in row):
                raise InputError(f"{name}:{line}: expected 3 non-empty cells (lang,source,english)")
            lang, source, english = row
            entries[(lang.strip().lower(), normalise(source))] = english.strip()
        return cls(entries, name)

    def lookup(self, lang: str, source: str) -> str | None:
        return self.entries.get((lang, normalise(source)))
