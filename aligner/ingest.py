"""Read an article: decode, normalise to NFC, drop boilerplate, detect language.

Public surface: :func:`read_article`, :class:`Article`,
:data:`MAX_BYTES`.

Offsets.  ``Article.text`` is the NFC form of the decoded file.  Vietnamese
text arrives both composed and decomposed, so NFC can shorten the text;
``Article.original_offset`` maps an offset in ``text`` back to the offset in
the decoded file (code points), which is what every span in a result uses.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from aligner.errors import InputError
from aligner.model import Dropped

MAX_BYTES = 5 * 1024 * 1024

# A line that starts a trailing list of links which is not part of the article.
# Everything from such a line to the end of the file is dropped.
TRAILING_LIST_HEADERS = (
    "more stories", "related stories", "related articles", "read more", "see also",
    "recommended", "most read", "you may also like",
    "baca juga", "berita terkait", "artikel terkait", "lihat juga", "berita lainnya",
    "tin liên quan", "xem thêm", "đọc thêm", "bài viết liên quan", "tin khác",
)
# A line that is nothing but one of these is dropped wherever it stands.
NOISE_LINES = ("advertisement", "iklan", "quảng cáo", "scroll to continue", "share", "chia sẻ", "bagikan")


@dataclass(frozen=True)
class Article:
    """One decoded, normalised article."""

    path: str
    lang: str
    text: str  # NFC; boilerplate still present (spans in ``dropped``)
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
        import bisect

        return bisect.bisect_left(self.offsets, original)


@functools.lru_cache(maxsize=1)
def _identifier():
    """The bundled py3langid model (loaded once, on first use)."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(Path(MODEL_DIR) / MODEL_FILE)


def known_languages() -> frozenset[str]:
    """Language codes the bundled identifier knows (ISO 639-1)."""
    return frozenset(_identifier().nb_classes)


def decode(data: bytes, path: str) -> str:
    """Decode UTF-8 (with or without BOM) or UTF-16 (with BOM, or detectable without)."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8):], "utf-8", path)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path)
    if b"\x00" in data:
        # UTF-16 without BOM: ASCII-range text has a NUL in every other byte.
        even, odd = data[0::2].count(0), data[1::2].count(0)
        half = len(data) / 2
        if odd > 0.3 * half and even < 0.05 * half:
            return _strict(data, "utf-16-le", path)
        if even > 0.3 * half and odd < 0.05 * half:
            return _strict(data, "utf-16-be", path)
        raise InputError(f"{path}: binary file (contains NUL bytes), expected UTF-8 or UTF-16 text")
    return _strict(data, "utf-8", path)


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as e:
        raise InputError(
            f"{path}: not valid {encoding.upper()} (byte 0x{data[e.start]:02x} at offset {e.start})"
        ) from None
    if "\x00" in text:
        raise InputError(f"{path}: binary file (contains NUL characters)")
    return text


def nfc_with_offsets(text: str) -> tuple[str, tuple[int, ...]]:
    """NFC-normalise ``text`` and map each output character to its input offset.

    Text is normalised in clusters (a starter plus the combining marks after it);
    composition never crosses a starter for the scripts this tool reads.
    """
    if unicodedata.is_normalized("NFC", text):
        return text, tuple(range(len(text) + 1))
    out: list[str] = []
    offsets: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = unicodedata.normalize("NFC", text[i:j])
        out.append(cluster)
        offsets.extend([i] * len(cluster))
        i = j
    offsets.append(n)
    return "".join(out), tuple(offsets)


def find_boilerplate(text: str) -> list[tuple[int, int, str]]:
    """Spans of ``text`` that are not article body, as (start, end, reason)."""
    spans = []
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip().rstrip(":").strip().lower()
        if stripped in TRAILING_LIST_HEADERS:
            spans.append((pos, len(text), f"trailing list after '{line.strip()}'"))
            break
        if stripped in NOISE_LINES:
            spans.append((pos, pos + len(line), f"noise line '{line.strip()}'"))
        pos += len(line)
    return spans


def detect_language(text: str) -> str:
    lang, _score = _identifier().classify(text)
    return str(lang)


def read_article(path: str | Path, lang: str | None = None) -> Article:
    """Read one article file.

    ``lang`` is an ISO 639-1 code; when None the bundled identifier decides.
    Raises :class:`InputError` with a one-line message naming the file.
    """
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputError(f"{name}: no such file")
    if not p.is_file():
        raise InputError(f"{name}: not a regular file")
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise InputError(f"{name}: file is {size / 1e6:.1f} MB, over the {MAX_BYTES // (1024 * 1024)} MB limit")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputError(f"{name}: cannot read ({e.strerror})") from None
    if not data.strip():
        raise InputError(f"{name}: file is empty")
    decoded = decode(data, name)
    text, offsets = nfc_with_offsets(decoded)
    spans = find_boilerplate(text)
    dropped = tuple(Dropped(offsets[s], offsets[e], reason) for s, e, reason in spans)
    body = _body(text, spans)
    if not re.search(r"\w", body):
        raise InputError(f"{name}: no text left after removing boilerplate")
    if lang is None:
        lang, detected = detect_language(body), True
    else:
        lang = lang.strip().lower()
        if lang not in known_languages():
            raise InputError(f"{name}: unknown language code '{lang}'")
        detected = False
    return Article(
        path=name,
        lang=lang,
        text=text,
        dropped=dropped,
        lang_detected=detected,
        sha256=hashlib.sha256(data).hexdigest(),
        offsets=offsets,
    )


def article_from_text(text: str, lang: str, path: str = "<text>") -> Article:
    """An :class:`Article` from text already in memory (no boilerplate removal)."""
    text, offsets = nfc_with_offsets(text)
    return Article(
        path=path, lang=lang, text=text, dropped=(), lang_detected=False,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), offsets=offsets,
    )


def _body(text: str, spans: list[tuple[int, int, str]]) -> str:
    parts, pos = [], 0
    for s, e, _ in sorted(spans):
        parts.append(text[pos:s])
        pos = max(pos, e)
    parts.append(text[pos:])
    return "".join(parts)
