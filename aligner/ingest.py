"""Read an article: decode, extract text from HTML, normalise to NFC, drop
boilerplate, join hard-wrapped lines, detect language.

Public surface: :func:`read_article`, :class:`Article`, :func:`html_to_text`,
:func:`hard_wrap_breaks`, :func:`join_lines`, :func:`unwrap` (these four from :mod:`aligner.cleaning`), :data:`MAX_BYTES`.

Input expected: plain text in UTF-8 (or UTF-16 with a BOM), one paragraph per
line or paragraphs separated by blank lines.  Two other forms are cleaned:

* an HTML page (a ``.html``/``.htm`` name, or content starting with
  ``<!doctype html`` or ``<html``): scripts, styles, the head, navigation and
  forms are dropped, every block element (paragraph, heading, list item, ...)
  becomes one line, and the usual boilerplate removal follows ("More Stories"
  lists, "Advertisement" lines);
* hard-wrapped text (most lines of a paragraph end without sentence
  punctuation and are of similar width, at most :data:`WRAP_MAX_WIDTH`): the
  lines of a paragraph are joined, blank-line paragraphs are kept.

Offsets.  ``Article.text`` is the NFC form of the decoded file (for HTML: of
the text extracted from it).  Vietnamese text arrives both composed and
decomposed, so NFC can shorten the text; ``Article.original_offset`` maps an
offset in ``text`` back to the offset in the decoded file (code points), which
is what every span in a result uses.  For an HTML page the spans index the
extracted text instead, as the page's markup is not part of any sentence.
Joining hard-wrapped lines turns each line break (with the white space around
it) into one space that maps to the line break's offset, so spans still point
into the original file.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from pathlib import Path

from aligner.errors import InputError
from aligner.cleaning import (  # noqa: F401  (re-exported: split out of this module)
    BLOCK_ELEMENTS,
    HTML_SNIFF_CHARS,
    HTML_SUFFIXES,
    SENTENCE_END,
    SKIPPED_ELEMENTS,
    WRAP_FULL,
    WRAP_FULL_SHARE,
    WRAP_MAX_WIDTH,
    WRAP_MIN_LINES,
    WRAP_OPEN_SHARE,
    hard_wrap_breaks,
    html_to_text,
    is_html,
    join_lines,
    unwrap,
)
from aligner.langid_model import LANGID_CACHE_NAME, identifier as _identifier  # noqa: F401  (split out of this module)
from aligner.model import Article, Dropped

MAX_BYTES = 5 * 1024 * 1024
# The most characters of article text aligned in one run: about 60 pages of news, 2,000-3,000
# sentences.  Longer texts are refused up front (the README's "Limits" section gives the measured time and memory).
MAX_TEXT_CHARS = 200_000

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



# The codes py3langid's bundled model knows, so that checking a --lang code does not
# load the model (tests/test_ingest.py checks the list against the model).
LANGID_LANGUAGES = frozenset(
    """
    ace af am an ar ary arz as az ba bcl be bg bn br bs ca crh cs cy da de dz el en eo es et eu ext
    fa fi fo fr fuv fy ga gcf gcr gd gl gom grc gu gug guw ha hbo he hi hr ht hu hy id ig is it ja
    jv ka kab kik kk km kn ko ku ky la lb lg lij ln lo lt ltg lv mg mk ml mn mr ms mt my ne nl nn
    no nso oc om or pa pcm pl ps pt qu ro ru rw sa sdh se si sk sl sn so sq sr sr st sv sw ta te tg
    th tk tl tr tt ug uk ur uz uz uzs vec vi vo wa wuu xh yo yue zh zu zxx
    """.split()
)


def known_languages() -> frozenset[str]:
    """Language codes the bundled identifier knows (ISO 639-1)."""
    return LANGID_LANGUAGES


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
    composition never crosses a starter for the scripts this tool reads.  Lines
    already in NFC are copied as they are (the usual case: one line of the
    NTREX dev file in Vietnamese is not) when they hold no combining mark (with one, the
    mark maps to its cluster's start); the others go cluster by cluster.
    """
    if unicodedata.is_normalized("NFC", text):
        return text, tuple(range(len(text) + 1))
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    for part in _cluster_aligned_lines(text):
        if not any(map(unicodedata.combining, part)) and unicodedata.is_normalized("NFC", part):
            out.append(part)  # one cluster per character, each its own NFC form
            offsets.extend(range(pos, pos + len(part)))
        else:
            _nfc_clusters(part, pos, out, offsets)
        pos += len(part)
    offsets.append(len(text))
    return "".join(out), tuple(offsets)


def _cluster_aligned_lines(text: str) -> list[str]:
    """``text`` in lines, a line that starts with a combining mark kept with the one before
    (so that every part starts a cluster of :func:`nfc_with_offsets`)."""
    parts: list[str] = []
    for line in text.splitlines(keepends=True):
        if parts and unicodedata.combining(line[0]):
            parts[-1] += line
        else:
            parts.append(line)
    return parts


def _nfc_clusters(text: str, base: int, out: list[str], offsets: list[int]) -> None:
    """Append the NFC form of ``text`` cluster by cluster, with offsets from ``base``."""
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = unicodedata.normalize("NFC", text[i:j])
        out.append(cluster)
        offsets.extend([base + i] * len(cluster))
        i = j


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


def detect_language(text: str, cache_dir: str | Path | None = None, cache=None) -> str:
    """The language the bundled identifier gives ``text`` (kept in ``cache``, a
    :class:`~aligner.cache.Cache`, when one is given)."""
    def classify() -> str:
        return str(_identifier(cache_dir).classify(text)[0])

    return _remembered(cache, "classify", text, classify, lambda value: value in LANGID_LANGUAGES)


# The identifier's answers kept in the run's cache (a fully cached run then never loads the
# identifier: 0.04 s of CPU for the NTREX dev pair's check), keyed by the identifier's package
# version and model file (aligner.langid_model.model_stamp), the question and the text.
LANGUAGE_NAMESPACE = "language"


def _remembered(cache, question: str, text: str, compute, sound) -> str:
    """``compute()`` (a string), from ``cache`` when it holds a ``sound`` answer, else computed
    and stored there.  Without a cache, computed."""
    if cache is None:
        return compute()
    from aligner.cache import key
    from aligner.langid_model import model_stamp

    k = key(model_stamp(), question, text)
    found = cache.get_many(LANGUAGE_NAMESPACE, [k]).get(k)
    try:
        if found is not None and sound(found.decode("utf-8")):
            return found.decode("utf-8")
    except (UnicodeDecodeError, ValueError):
        pass  # not written by this code: asked again
    value = compute()
    cache.put_many(LANGUAGE_NAMESPACE, {k: value.encode("utf-8")})
    return value


CONFIDENT = 0.99  # the identifier's probability above which a disagreement with a given code is reported
CLOSE_LANGUAGES = (frozenset({"id", "ms"}),)  # pairs the identifier confuses on real text: never reported


def confident_language(text: str, cache_dir: str | Path | None = None,
                       cache=None) -> tuple[str, float] | None:
    """The language of ``text`` and its probability, when the identifier is at least
    :data:`CONFIDENT` sure (its answer kept in ``cache``, a :class:`~aligner.cache.Cache`)."""

    def likeliest() -> str:
        import math

        ranked = _identifier(cache_dir).rank(text)
        top = max(score for _, score in ranked)
        total = sum(math.exp(score - top) for _, score in ranked)
        lang, score = max(ranked, key=lambda x: x[1])
        return f"{lang}\t{math.exp(score - top) / total!r}"  # repr: the float exactly

    def sound(value: str) -> bool:
        lang, p = value.split("\t")
        return lang in LANGID_LANGUAGES and 0.0 <= float(p) <= 1.0

    lang, p = _remembered(cache, "likeliest", text, likeliest, sound).split("\t")
    p = float(p)
    # "zxx" and "und": no linguistic content / undetermined, which is not a language to suggest
    return (lang, p) if p >= CONFIDENT and lang not in ("zxx", "und") else None


# The most characters of a text the check of a given language code reads (news articles are shorter:
# the check reads them whole).
LANGUAGE_SAMPLE_CHARS = 20_000


def language_sample(text: str) -> str:
    """``text`` when it has at most :data:`LANGUAGE_SAMPLE_CHARS` characters; else lines spread evenly
    over it (every k-th non-blank line, from the first), joined by line breaks and cut to that length."""
    if len(text) <= LANGUAGE_SAMPLE_CHARS:
        return text
    lines = [line for line in text.splitlines() if line.strip()]
    stride = -(-len(text) // LANGUAGE_SAMPLE_CHARS)  # ceiling
    return "\n".join(lines[::stride])[:LANGUAGE_SAMPLE_CHARS]


def _check_given_language(name: str, lang: str, body: str, cache_dir: str | Path | None = None,
                           cache=None) -> None:
    """Warn when the code given for a file disagrees with a confident detection (on a sample of a long text)."""
    found = confident_language(language_sample(body), cache_dir, cache)
    if found is None or found[0] == lang or frozenset({lang, found[0]}) in CLOSE_LANGUAGES:
        return
    import warnings

    from aligner.errors import AlignerWarning

    warnings.warn(
        f"{name}: given as '{lang}' but its text reads as '{found[0]}' (detector {found[1]:.2f} sure); "
        f"it is aligned as '{lang}'. If it is '{found[0]}', give '{found[0]}' for this file, "
        "or no code to let the detector decide",
        AlignerWarning,
        stacklevel=3,
    )


def read_article(path: str | Path, lang: str | None = None, cache_dir: str | Path | None = None,
                 cache=None) -> Article:
    """Read one article file.

    ``lang`` is an ISO 639-1 code; when None the bundled identifier decides.
    ``cache_dir``: the run's cache folder, where the identifier keeps its model uncompressed;
    ``cache``: the run's :class:`~aligner.cache.Cache`, where the identifier's answers are kept.
    Raises :class:`InputError` with a one-line message naming the file.
    """
    from aligner.files import resolve

    resolve(path, InputError)  # a symlink loop or a NUL byte: one line
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
    if is_html(decoded, name):
        decoded = html_to_text(decoded)  # from here on, spans index the extracted text
        if not decoded.strip():
            raise InputError(f"{name}: no text found in this HTML page")
    if len(decoded) > MAX_TEXT_CHARS:
        raise InputError(
            f"{name}: {len(decoded):,} characters of text, over the limit of {MAX_TEXT_CHARS:,} characters an article may have"
        )
    text, offsets = nfc_with_offsets(decoded)
    spans = find_boilerplate(text)
    dropped = tuple(Dropped(offsets[s], offsets[e], reason) for s, e, reason in spans)
    body = _body(text, spans)
    if not re.search(r"\w", body):
        raise InputError(f"{name}: no text left after removing boilerplate")
    if lang is None:
        lang, detected = detect_language(body, cache_dir, cache), True
    else:
        lang = lang.strip().lower()
        if lang not in known_languages():
            raise InputError(f"{name}: unknown language code '{lang}'")
        detected = False
        _check_given_language(name, lang, body, cache_dir, cache)
    text, offsets = join_lines(text, offsets, hard_wrap_breaks(text, _kept(text, spans)))
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


def _kept(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """The ranges of ``text`` outside the boilerplate ``spans``."""
    ranges, pos = [], 0
    for s, e, _ in sorted(spans):
        if s > pos:
            ranges.append((pos, s))
        pos = max(pos, e)
    if pos < len(text):
        ranges.append((pos, len(text)))
    return ranges


def _body(text: str, spans: list[tuple[int, int, str]]) -> str:
    parts, pos = [], 0
    for s, e, _ in sorted(spans):
        parts.append(text[pos:s])
        pos = max(pos, e)
    parts.append(text[pos:])
    return "".join(parts)
