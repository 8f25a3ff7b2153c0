"""The translation memory: hand-made English for source sentences, matched exactly.

Public surface: :class:`TranslationMemory`, :func:`normalise`, :data:`MEMORY_HEADER`.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from pathlib import Path

from aligner.errors import InputError
from aligner.files import read_utf8

MEMORY_HEADER = ["lang", "source", "english"]
MAX_FIELD_CHARS = 128 * 1024  # csv's own field limit: a longer cell is refused with one line


def normalise(text: str) -> str:
    """The form translation-memory lookups compare: NFC, white space collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


class TranslationMemory:
    """Exact-match translation memory read from a CSV with header ``lang,source,english``."""

    def __init__(self, entries: dict[tuple[str, str], str], path: str, sha256: str | None = None):
        self.entries = entries
        self.path = path
        self.sha256 = sha256

    def signature(self) -> dict:
        """What a result records of this memory: its path and the SHA-256 of the bytes that were read."""
        return {"path": self.path, "sha256": self.sha256}

    @classmethod
    def load(cls, path: str | Path) -> "TranslationMemory":
        """Read the file once; its hash is taken from those bytes (an edit during a run cannot make it lie)."""
        name = str(path)
        raw: list[bytes] = []
        text = read_utf8(path, InputError, "translation memory file", keep_bom=True, keep_bytes=raw)
        text = text.removeprefix("\ufeff")
        rows = csv.reader(text.splitlines())
        entries = {}
        line = 1
        try:
            header = next(rows, None)
            if header != MEMORY_HEADER:
                raise InputError(f"{name}: header must be {','.join(MEMORY_HEADER)}, found {','.join(header or [])!r}")
            for line, row in enumerate(rows, start=2):
                if not row:
                    continue
                if len(row) != 3 or not all(cell.strip() for cell in row):
                    raise InputError(f"{name}:{line}: expected 3 non-empty cells (lang,source,english)")
                lang, source, english = row
                entries[(lang.strip().lower(), normalise(source))] = english.strip()
        except csv.Error as e:
            if "field larger than field limit" in str(e):
                raise InputError(f"{name}:{line + 1}: a cell over {MAX_FIELD_CHARS // 1024} KiB (the limit of a memory cell)") from None
            raise InputError(f"{name}:{line + 1}: {e}") from None
        return cls(entries, name, hashlib.sha256(raw[0]).hexdigest())

    def lookup(self, lang: str, source: str) -> str | None:
        return self.entries.get((lang, normalise(source)))
