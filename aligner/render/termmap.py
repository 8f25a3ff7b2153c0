"""The alignment map for a terminal: sentence numbers in columns, braille lines between linked ones.

Public surface: :func:`map_text`.

One row per sentence position, one column of numbers per article, and between
two neighbouring articles a strip of braille cells (2 x 4 dots each) where every
link is drawn as a straight line from one sentence to the other, so facts told
in a different order show as crossing lines.  A mark beside each number gives
the kind of its most telling link (the HTML map's colours, as characters).
Links between articles that are not neighbours are listed under the map.
Plain text: the viewer styles it or prints it as it is.
"""

from __future__ import annotations

from aligner.render.html import KINDS, MapLink, map_links, sentence_kinds
from aligner.render.safe import one_line
from aligner.summary import Summary

MARKS = {"same-fact": "●", "partial": "◐", "discrepancy": "✗"}
NO_LINK = "·"
MAX_GAP = 24  # the widest strip between two columns, in characters
_BRAILLE = 0x2800
_DOT = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))  # bit of dot (row, column) in a cell


def map_text(summary: Summary, width: int) -> list[str]:
    """The map as lines no wider than ``width``; at the least, the columns of numbers with one-character strips."""
    result = summary.result
    counts = [len(a.sentences) for a in result.articles]
    n, rows = len(counts), max(counts + [1])
    links = map_links(summary)
    marks = _marks(counts, links)
    digits = len(str(rows))
    cell_widths = [digits + (2 if a in (0, n - 1) else 4) for a in range(n)]
    gap = max(1, min(MAX_GAP, (width - sum(cell_widths)) // max(n - 1, 1)))
    strips = [_strip(gap, rows, [l for l in links if _spans(l, a)], a) for a in range(n - 1)]
    lines = [_header(cell_widths, gap)]
    for i in range(rows):
        parts = []
        for a in range(n):
            parts.append(_cell(a, n, i, counts[a], marks[a], digits))
            if a < n - 1:
                parts.append(strips[a][i])
        lines.append("".join(parts).rstrip())
    lines += _footer(summary, links, width)
    return lines


def _marks(counts: list[int], links: list[MapLink]) -> list[list[str]]:
    """Per article and sentence: the mark of its most telling link, or the no-link dot."""
    kinds = sentence_kinds(links)
    return [[MARKS[kinds[(a, i)]] if (a, i) in kinds else NO_LINK for i in range(c)] for a, c in enumerate(counts)]


def _spans(link: MapLink, left: int) -> bool:
    """Whether ``link`` joins article ``left`` to its right-hand neighbour."""
    articles = [a for a, _ in link.ends]
    return any(a == left and b == left + 1 for a, b in zip(articles, articles[1:]))


def _cell(a: int, n: int, i: int, count: int, marks: list[str], digits: int) -> str:
    if i >= count:
        return " " * (digits + (2 if a in (0, n - 1) else 4))
    if a == 0:
        return f"{i + 1:>{digits}} {marks[i]}"
    if a == n - 1:
        return f"{marks[i]} {i + 1:<{digits}}"
    return f"{marks[i]} {i + 1:>{digits}} {marks[i]}"


def _strip(gap: int, rows: int, links: list[MapLink], left: int) -> list[str]:
    """The braille strip between article ``left`` and the next: one straight line per link."""
    dots = [[0] * gap for _ in range(rows)]
    height, span = 4 * rows, 2 * gap - 1
    for link in links:
        ends = dict(link.ends)
        y0, y1 = (round(4 * sum(ends[a]) / len(ends[a]) + 1.5) for a in (left, left + 1))
        steps = max(span, abs(y1 - y0), 1)
        for t in range(steps + 1):
            x, y = round(span * t / steps), min(height - 1, round(y0 + (y1 - y0) * t / steps))
            dots[y // 4][x // 2] |= _DOT[y % 4][x % 2]
    return ["".join(chr(_BRAILLE + d) if d else " " for d in row) for row in dots]


def _header(cell_widths: list[int], gap: int) -> str:
    heads = []
    for a, w in enumerate(cell_widths):
        label = f"[{a + 1}]"
        heads.append(label.rjust(w) if a == 0 else label.ljust(w))
    return (" " * gap).join(heads).rstrip()


def _footer(summary: Summary, links: list[MapLink], width: int) -> list[str]:
    """The articles' names, the links the strips cannot draw, and the key; each line cut to ``width``."""
    lines = [f"[{a + 1}] {article.lang} {article.path}" for a, article in enumerate(summary.result.articles)]
    for link in links:
        articles = [a for a, _ in link.ends]
        if any(b != a + 1 for a, b in zip(articles, articles[1:])):
            ends = " ─ ".join(f"[{a + 1}] " + "+".join(f"#{i + 1}" for i in idx) for a, idx in link.ends)
            lines.append(f"{MARKS[link.kind]} {ends} ({link.kind.replace('-', ' ')})")
    key = [f"{MARKS[k]} {k.replace('-', ' ')}" for k in KINDS] + [f"{NO_LINK} in no link"]
    lines += _wrap(key, width)
    return [_fit(one_line(line), width) for line in lines]


def _wrap(items: list[str], width: int) -> list[str]:
    lines = [""]
    for item in items:
        if lines[-1] and len(lines[-1]) + 2 + len(item) > width:
            lines.append("")
        lines[-1] += ("  " if lines[-1] else "") + item
    return lines


def _fit(line: str, width: int) -> str:
    return line if len(line) <= width else line[: max(width - 1, 0)] + "…"
