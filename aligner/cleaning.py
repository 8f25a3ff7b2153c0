"""Clean the two forms of article text that are not one paragraph per line: an HTML page
(to one line per block element) and hard-wrapped text (the lines of a paragraph joined,
with offsets that still point into the file).

Public surface: :func:`is_html`, :func:`html_to_text`, :func:`hard_wrap_breaks`,
:func:`join_lines`, :func:`unwrap` (all re-exported by :mod:`aligner.ingest`, which calls
them while reading an article).  Imports no other part of aligner.
"""

from __future__ import annotations

import re
from pathlib import Path

# HTML: a file with one of these names, or whose text starts like a page, is read as HTML.
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
HTML_SNIFF_CHARS = 4096
_HTML_START = re.compile(r"\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL)

# Hard-wrapped text: decided over the lines that are not the last of their paragraph.
WRAP_MAX_WIDTH = 100  # wider lines are paragraphs, not wrapped lines
WRAP_MIN_LINES = 3  # fewer wrapped-looking lines decide nothing
WRAP_OPEN_SHARE = 0.6  # at least this share ends without sentence punctuation
WRAP_FULL = 0.6  # a line this share of the widest one or wider is "full"
WRAP_FULL_SHARE = 0.7  # at least this share of the lines is full
SENTENCE_END = tuple(".!?…:;\"'”’»)")
_BULLET = re.compile(r"\s*([-*•–—]|\d{1,3}[.)])\s")


def is_html(text: str, path: str = "") -> bool:
    """True for an HTML page: by its name, or by how its text starts."""
    return Path(path).suffix.lower() in HTML_SUFFIXES or bool(_HTML_START.match(text[:HTML_SNIFF_CHARS]))


# Elements whose content is never article text.
SKIPPED_ELEMENTS = frozenset(
    "head script style noscript template svg math iframe object canvas audio video nav form button select textarea".split()
)
# Elements that start a new line of text.
BLOCK_ELEMENTS = frozenset(
    "address article aside blockquote body caption dd details dialog div dl dt fieldset figcaption figure footer "
    "h1 h2 h3 h4 h5 h6 header hgroup hr li main ol p pre section summary table tbody td tfoot th thead tr ul".split()
)


def html_to_text(page: str) -> str:
    """The text of an HTML page: one line per block element (paragraph, heading, list
    item, ...), white space inside a block collapsed, scripts, styles, the head,
    navigation and forms dropped, character references decoded."""
    from html.parser import HTMLParser

    class Extractor(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.lines: list[str] = []
            self.words: list[str] = []
            self.skipping: list[str] = []  # open elements whose content is dropped

        def handle_starttag(self, tag, attrs):
            if tag == "body" and "head" in self.skipping:  # an unclosed <head> ends at <body>
                del self.skipping[self.skipping.index("head") :]
            if tag in SKIPPED_ELEMENTS:
                self.skipping.append(tag)
            elif tag == "br" or tag in BLOCK_ELEMENTS:
                self.end_line()

        def handle_startendtag(self, tag, attrs):  # <br/>, <script/>: nothing to skip inside
            if tag == "br" or tag in BLOCK_ELEMENTS:
                self.end_line()

        def handle_endtag(self, tag):
            if tag in self.skipping:
                del self.skipping[len(self.skipping) - 1 - self.skipping[::-1].index(tag) :]
            elif tag in BLOCK_ELEMENTS:
                self.end_line()

        def handle_data(self, data):
            if not self.skipping:
                self.words.append(data)

        def end_line(self):
            line = " ".join("".join(self.words).split())
            if line:
                self.lines.append(line)
            self.words = []

    extractor = Extractor()
    extractor.feed(page)
    extractor.close()
    extractor.end_line()
    return "\n".join(extractor.lines) + "\n" if extractor.lines else ""


def _paragraph_lines(text: str, ranges: list[tuple[int, int]]) -> list[list[tuple[int, str]]]:
    """Per paragraph (lines between blank lines, within ``ranges``), its (offset, line) pairs."""
    paragraphs: list[list[tuple[int, str]]] = []
    for start, end in ranges:
        current: list[tuple[int, str]] = []
        pos = start
        for line in text[start:end].splitlines(keepends=True):
            if line.strip():
                current.append((pos, line))
            elif current:
                paragraphs.append(current)
                current = []
            pos += len(line)
        if current:
            paragraphs.append(current)
    return paragraphs


def hard_wrap_breaks(text: str, ranges: list[tuple[int, int]] | None = None) -> list[tuple[int, int, int]]:
    """The line breaks to join when ``text`` is hard-wrapped (none when it is not).

    Text is hard-wrapped when, over the lines that are not the last of their
    paragraph, most end without sentence punctuation and most are nearly as wide
    as the widest, which is at most :data:`WRAP_MAX_WIDTH`.  Then every break
    inside a paragraph is joined, except before a bullet or after a short line
    (a deliberate break).  Only ``ranges`` (default: all of ``text``) are looked
    at.  Each break is ``(start, end, newline)``: the white space around it and
    the offset of the line-break character itself.
    """
    paragraphs = _paragraph_lines(text, [(0, len(text))] if ranges is None else ranges)
    inner = [line.rstrip() for para in paragraphs for _, line in para[:-1]]
    if len(inner) < WRAP_MIN_LINES:
        return []
    widest = max(len(line) for line in inner)
    open_share = sum(1 for line in inner if not line.endswith(SENTENCE_END)) / len(inner)
    full_share = sum(1 for line in inner if len(line) >= WRAP_FULL * widest) / len(inner)
    if widest > WRAP_MAX_WIDTH or open_share < WRAP_OPEN_SHARE or full_share < WRAP_FULL_SHARE:
        return []
    breaks = []
    for para in paragraphs:
        for (pos, line), (following_pos, following) in zip(para, para[1:]):
            if len(line.rstrip()) < WRAP_FULL * widest or _BULLET.match(following):
                continue
            newline = pos + len(line.rstrip("\r\n"))
            breaks.append((pos + len(line.rstrip()), following_pos + len(following) - len(following.lstrip()), newline))
    return breaks


def join_lines(text: str, offsets, breaks: list[tuple[int, int, int]]) -> tuple[str, tuple[int, ...]]:
    """``text`` with each break's white space replaced by one space, and the offsets
    (``offsets[i]``: where ``text[i]`` comes from) carried over; the space takes the
    line break's offset."""
    parts: list[str] = []
    mapped: list[int] = []
    pos = 0
    for start, end, newline in breaks:
        parts += [text[pos:start], " "]
        mapped += [*offsets[pos:start], offsets[newline]]
        pos = end
    parts.append(text[pos:])
    mapped += offsets[pos:]  # with the extra entry for len(text)
    return "".join(parts), tuple(mapped)


def unwrap(text: str) -> str:
    """``text`` with the lines of each paragraph joined when it is hard-wrapped (see :func:`hard_wrap_breaks`)."""
    return join_lines(text, range(len(text) + 1), hard_wrap_breaks(text))[0]
