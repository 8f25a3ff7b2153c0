"""rich's layout of a Text, redone for the case that is nearly all of a view: same lines, faster.

Public surface: :func:`text_lines`, :class:`Styles`, :func:`breaks`, :func:`single_cell`.

``aligner view`` of a whole-file result lays out ~2,000 grid rows.  rich's Table sends
every cell through Padding, ``render_lines``, ``Text.wrap`` (a Python loop over every
word, measuring each) and several re-splittings of the segments; that was most of the
view's CPU time.  :func:`text_lines` computes the lines a Text renders to in one pass:
the line breaks of rich's ``divide_line`` (for a line of one-cell characters, found with
one bisect per line over the words' ends; else by ``divide_line`` itself), each line's
styles by rich's rule for spans (``Text.divide``, ``right_crop``, ``Text.join``,
``Text.render``), and the segments emitted once.

The segments are the ones rich gives, except that unstyled text may be split
differently, which no output can show.  The uncommon cases give None and the caller lets
rich lay the text out: a control character (a tab), a Text with its own justify,
overflow, no_wrap or end, an overflow other than fold, a line that would be cropped in
the middle of a wide character, or one whose segments rich would measure differently
than the whole line (a grapheme cut by a style).
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from itertools import accumulate

import rich.cells
from rich._wrap import divide_line
from rich.cells import cell_len, get_character_cell_size, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

_WORDS = re.compile(r"(\S+)")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
# characters that may be one cell wide (each is checked with rich's own table before use)
_RANGES = ((0x20, 0x7E), (0xA0, 0x2FF), (0x370, 0x482), (0x1E00, 0x1EFF), (0x2010, 0x2027),
           (0x2030, 0x205E), (0x20A0, 0x20C0), (0x2100, 0x22FF), (0x2500, 0x26FF),
           (0x2800, 0x28FF))


@functools.cache
def _single_cells() -> frozenset[str]:
    """The characters of :data:`_RANGES` that rich measures as one cell, and the line break."""
    known = getattr(rich.cells, "_SINGLE_CELLS", frozenset())  # rich's own (measured as one)
    chars = (chr(c) for lo, hi in _RANGES for c in range(lo, hi + 1))
    return known | {c for c in chars if c not in known and get_character_cell_size(c) == 1} | {"\n"}


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
    # the runs of spaces and of non-spaces, alternately: where each word's non-spaces start and end
    bounds = list(accumulate(map(len, _WORDS.split(line))))
    starts, ends = bounds[0:-1:2], bounds[1::2]
    if not ends:
        return []
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
               overflow: str | None = None,
               no_wrap: bool | None = None) -> list[list[Segment]] | None:
    """The lines ``text`` renders to at ``width`` under these options, as rich renders them.

    ``justify``, ``overflow`` and ``no_wrap`` are the options' (a Table column's or the
    console's); "left" pads every line to ``width``.  None in the uncommon cases (see the
    module's docstring).
    """
    plain = text.plain
    if (text.justify or text.overflow or text.no_wrap is not None or text.end != "\n"
            or width < 1 or (justify or "default") not in ("default", "left")
            or (not no_wrap and (overflow or "fold") != "fold")):
        return None
    simple = single_cell(plain)
    if not simple and _CONTROL.search(plain):
        return None
    lines = []  # (start, end, cells, one-cell characters only) of each line in ``plain``
    start, whole = 0, "\n" not in plain  # whole: one line, not cut
    for line in plain.split("\n"):
        end = start + len(line)
        one = simple or single_cell(line)
        if no_wrap:
            cells = len(line) if one else cell_len(line)
            if cells > width:
                return None  # cropped with an ellipsis
            lines.append((start, end, cells, one))
        elif one and end - start <= width:
            lines.append((start, end, end - start, True))
        elif one:  # rstrip_end then truncate leave exactly ``width`` of a longer line
            cuts = breaks(line, width)
            whole = whole and not cuts
            a = start
            for b in [*cuts, end - start]:
                n = min(start + b - a, width)
                lines.append((a, a + n, n, True))
                a = start + b
        else:
            cuts = [start + c for c in divide_line(line, width)]
            whole = whole and not cuts
            for a, b in zip([start, *cuts], [*cuts, end]):
                fitted = _fit(plain, a, b, width)
                if fitted is None:
                    return None
                lines.append(fitted)
        start = end + 1
    pad = justify == "left"
    base = text.style
    if whole:  # its spans as they are (rich's Text.split and divide copy them)
        a, b, cells, one = lines[0]
        spans = text.spans if b == len(plain) else [(s, min(e, b), st) for s, e, st in text.spans
                                                     if s < b]
        laid = [_whole(plain, b, width - cells if pad else 0, base, spans, styles)]
    else:
        bounds, runs = _runs(text.spans, base, styles)
        plain_style = styles.combine((base,)) if base else None
        laid = [_line(plain, a, b, width - cells if pad else 0, bounds, runs, plain_style)
                for a, b, cells, _ in lines]
    if not simple:
        for line, (_, _, cells, one) in zip(laid, lines):
            if not one and sum(cell_len(s.text) for s in line) != (width if pad else cells):
                return None  # rich measures the pieces, and a piece may cut a grapheme
    return laid


def _fit(plain: str, a: int, b: int, width: int):
    """(a, b, cells, False) of the line ``plain[a:b]`` (not all one-cell characters) made to fit
    ``width``, as rich's ``rstrip_end`` (trailing spaces beyond the width, counted in
    characters) then ``truncate`` (in cells) make it; None when the cut would fall inside a
    character.  (Of one-cell characters, a line longer than ``width`` keeps ``width`` of them.)"""
    if b - a > width:
        kept = len(plain[a:b].rstrip())
        b -= min(b - a - kept, b - a - width)
    cells = cell_len(plain[a:b])
    if cells > width:
        cropped = set_cell_size(plain[a:b], width)
        if not plain.startswith(cropped, a):
            return None
        b, cells = a + len(cropped), cell_len(cropped)
    return a, b, cells, False


def _runs(spans, base, styles) -> tuple[list[int], list]:
    """Where the styles change in a text cut into lines: the positions where a span (not
    empty) starts or ends, and from each: the style (the text's own, then the spans' over
    the run, combined in the spans' order as rich combines them; None: unstyled) and
    whether any span is there (rich cuts the line's padding off only then)."""
    bounds, names, end = [], [], 0
    for s, e, style in spans:  # the usual text: spans one after the other
        if s < e:
            if s < end:
                bounds, names = _overlapping(spans)
                break
            if bounds and bounds[-1] == s:
                names[-1] = (style,)
            else:
                bounds.append(s)
                names.append((style,))
            bounds.append(e)
            names.append(())
            end = e
    if base:
        return bounds, [(styles.combine((base, *n)), bool(n)) for n in names]
    return bounds, [(styles.combine(n), True) if n else (None, False) for n in names]


def _overlapping(spans) -> tuple[list[int], list[tuple]]:
    """:func:`_runs` for spans in any order, overlapping: the styles' names of each run."""
    events: dict[int, list[int]] = {}
    for k, (s, e, _) in enumerate(spans):
        if s < e:
            events.setdefault(s, []).append(k)
            events.setdefault(e, []).append(~k)
    bounds = sorted(events)
    names, active = [], set()
    for p in bounds:
        for k in events[p]:
            if k >= 0:
                active.add(k)
            else:
                active.discard(~k)
        names.append(tuple(spans[k].style for k in sorted(active)))
    return bounds, names


def _line(plain, a, b, pad, bounds, runs, plain_style) -> list[Segment]:
    """The segments of the line ``plain[a:b]`` and ``pad`` spaces of a text cut into lines
    (``runs``: from each of ``bounds``, the style and whether a span is there;
    ``plain_style``: the text's own style, if any)."""
    j = bisect_right(bounds, a)
    style, spanned = runs[j - 1] if j else (plain_style, False)
    segments, p, n = [], a, len(bounds)
    while j < n and bounds[j] < b:
        q = bounds[j]
        segments.append(Segment(plain[p:q], style))
        p, (style, spanned) = q, runs[j]
        j += 1
    if spanned:  # a span reaches the line's end: the padding is a piece of its own
        if b > p:
            segments.append(Segment(plain[p:b], style))
        if pad:
            segments.append(Segment(" " * pad, plain_style))
    elif b > p or pad:
        segments.append(Segment(plain[p:b] + " " * pad, plain_style))
    return segments


def _whole(plain: str, b: int, pad: int, base, spans, styles) -> list[Segment]:
    """The segments of a text of one line, ``plain[:b]`` and ``pad`` spaces: every span's
    ends cut it, even an empty span's (Text.render)."""
    shown = plain[:b] + " " * pad
    end = b + pad
    if base:
        spans = [(0, end, base), *spans]
    if not spans:
        return [Segment(shown)] if shown else []
    cuts = sorted({0, end, *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    segments = []
    for p, q in zip(cuts, cuts[1:]):
        names = tuple(st for s, e, st in spans if s <= p < e)
        piece = shown[p:q]
        segments.append(Segment(piece, styles.combine(names)) if names else Segment(piece))
    return segments
