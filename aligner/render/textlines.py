"""rich's layout of a Text, redone for the case that is nearly all of a view: same lines, faster.

Public surface: :func:`text_lines`, :class:`Styles`, :func:`breaks`, :func:`single_cell`.

``aligner view`` of a whole-file result lays out ~2,000 grid rows.  rich's Table sends
every cell through Padding, ``render_lines``, ``Text.wrap`` (a Python loop over every
word, measuring each) and several re-splittings of the segments; that was most of the
view's CPU time.  :func:`text_lines` computes the lines a Text renders to in one pass:
the line breaks of rich's ``divide_line`` found with one bisect per line over the words'
ends, each line's styles by rich's rule for spans (``Text.divide``, ``right_crop``,
``Text.join`` and ``Text.render``), and the segments emitted once.

The segments are the ones rich gives, except that unstyled text may be split
differently, which no output can show.  Only text whose every character is one cell wide
(and a grapheme of its own) is laid out here; a tab, a wide or zero-width character, a
Text with its own justify, overflow, no_wrap or end, or an overflow other than fold gives
None, and the caller lets rich lay it out.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right

from rich.cells import get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

_NONSPACE = re.compile(r"\S+")
# characters that may be one cell wide (each is checked with rich's own table before use)
_RANGES = ((0x20, 0x7E), (0xA0, 0x2FF), (0x370, 0x482), (0x1E00, 0x1EFF), (0x2010, 0x2027),
           (0x2030, 0x205E), (0x20A0, 0x20C0), (0x2100, 0x22FF), (0x2500, 0x26FF),
           (0x2800, 0x28FF))


@functools.cache
def _single_cells() -> frozenset[str]:
    """The characters of :data:`_RANGES` that rich measures as one cell, and the line break."""
    chars = (chr(c) for lo, hi in _RANGES for c in range(lo, hi + 1))
    return frozenset([c for c in chars if get_character_cell_size(c) == 1] + ["\n"])


def single_cell(plain: str) -> bool:
    """Whether every character of ``plain`` (line breaks aside) is one cell wide."""
    return _single_cells().issuperset(plain)


def breaks(line: str, width: int) -> list[int]:
    """rich's ``divide_line(line, width, fold=True)`` for a line of one-cell characters.

    A word is its non-space run with the spaces after it (the first also with those
    before).  Words that end within ``width`` of the line's start share the line; a word
    longer than ``width`` is cut into pieces of ``width``, its trailing spaces included,
    and the line goes on from its last piece.
    """
    if len(line) <= width:
        return []
    spans = [m.span() for m in _NONSPACE.finditer(line)]
    if not spans:
        return []
    starts, ends = [s for s, _ in spans], [e for _, e in spans]
    starts[0] = 0
    n, offsets, line_start, i = len(ends), [], 0, 0
    while True:
        i = bisect_right(ends, line_start + width, i)  # the words before i fit
        if i >= n:
            return offsets
        start = starts[i]
        if ends[i] - start > width:  # cut into pieces
            end = starts[i + 1] if i + 1 < n else len(line)
            last = start + (end - start - 1) // width * width
            if start:
                offsets.append(start)
            offsets.extend(range(start + width, last + 1, width))
            line_start = last
        else:
            offsets.append(start)
            line_start = start
        i += 1


class Styles:
    """A console's styles by name, and combinations of them, parsed once (for one rendering)."""

    def __init__(self, console):
        self._get = functools.partial(console.get_style, default=Style.null())
        self._named: dict = {}
        self._combined: dict = {}

    def style(self, name) -> Style:
        if isinstance(name, Style):
            return name
        style = self._named.get(name)
        if style is None:
            style = self._named[name] = self._get(name)
        return style

    def combine(self, names: tuple) -> Style:
        """rich's Text.render: the styles of the spans over a piece, in the spans' order."""
        style = self._combined.get(names)
        if style is None:
            style = self._combined[names] = Style.combine([self.style(n) for n in names])
        return style


def text_lines(text: Text, width: int, styles: Styles, justify: str | None = None,
               overflow: str | None = None, no_wrap: bool | None = None) -> list[list[Segment]] | None:
    """The lines ``text`` renders to at ``width`` under these options, as rich renders them.

    ``justify``, ``overflow`` and ``no_wrap`` are the options' (a Table column's or the
    console's); None when this is not the common case (see the module's docstring).
    """
    plain = text.plain
    if (text.justify or text.overflow or text.no_wrap is not None or text.end != "\n"
            or width < 1 or not single_cell(plain)):
        return None
    justify = justify or "default"
    if justify not in ("default", "left"):
        return None
    if not no_wrap and (overflow or "fold") != "fold":
        return None
    pad = justify == "left"
    # rich's Text.split("\n"), then divide_line: (start, end) of each line in ``plain``
    ranges, start = [], 0
    for line in plain.split("\n"):
        end = start + len(line)
        if no_wrap:
            if len(line) > width:
                return None  # cropped with an ellipsis: left to rich
            ranges.append((start, end))
        else:
            cuts = [start + b for b in breaks(line, width)]
            ranges.extend(zip([start, *cuts], [*cuts, end]))
        start = end + 1
    if len(ranges) == 1 and ranges[0] == (0, len(plain)):  # one line: its spans kept as they are
        a, b = _fit(plain, 0, len(plain), width, no_wrap)
        spans = text.spans if b == len(plain) else [(s, min(e, b), st) for s, e, st in text.spans
                                                     if s < b]
        return [_segments(plain, a, b, width - b if justify == "left" else 0, text.style, spans,
                          styles)]
    # several lines: each line's spans cut to it (rich's Text.divide; empty pieces dropped)
    spans = text.spans
    order = sorted(range(len(spans)), key=lambda k: spans[k].start)
    taken, active, out = 0, [], []  # active: spans (by index) started before the line's end
    for a, b in ranges:
        a, b = _fit(plain, a, b, width, no_wrap)
        while taken < len(order) and spans[order[taken]].start < b:
            active.append(order[taken])
            taken += 1
        active = [k for k in active if spans[k].end > a]
        local = []
        for k in sorted(active):
            s, e, st = spans[k]
            s, e = max(s, a), min(e, b)
            if s < e:
                local.append((s, e, st))
        pad = width - (b - a) if justify == "left" else 0
        out.append(_segments(plain, a, b, pad, text.style, local, styles))
    return out


def _fit(plain: str, a: int, b: int, width: int, no_wrap: bool | None) -> tuple[int, int]:
    """The line ``plain[a:b]`` without its trailing spaces beyond ``width`` (rich's rstrip_end)."""
    if b - a > width and not no_wrap:
        kept = len(plain[a:b].rstrip())
        b -= min(b - a - kept, b - a - width)
        b = min(b, a + width)  # truncate: never needed for words of one-cell characters
    return a, b


def _segments(plain: str, a: int, b: int, pad: int, base, spans, styles) -> list[Segment]:
    """The segments of ``plain[a:b]`` and ``pad`` spaces, as Text.render cuts and styles them."""
    shown = plain[a:b] + " " * pad if pad else plain[a:b]
    end = b + pad
    if base:
        spans = [(a, end, base), *spans]
    if not spans:
        return [Segment(shown)] if shown else []
    cuts = sorted({a, end, *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    segments = []
    for p, q in zip(cuts, cuts[1:]):
        names = tuple(st for s, e, st in spans if s <= p < e)
        piece = shown[p - a:q - a]
        segments.append(Segment(piece, styles.combine(names)) if names else Segment(piece))
    return segments
