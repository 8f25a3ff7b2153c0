"""The rows of the review app, drawn line by line (:class:`RowsView`), and the key bar.
Split out of :mod:`aligner.review.app`, which re-exports these names; the view reads the app
it belongs to (its rows, marks, selection and cell texts) and changes nothing in it.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.text import Text
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from aligner.render.safe import visible
from aligner.review.keys import footer_items
from aligner.review.rows import DISAGREEMENT, ONE_SIDED, SHARED, Row, row_status

if TYPE_CHECKING:  # the app imports this module
    from aligner.review.app import ReviewApp

VERDICT_STYLE = {"accepted": "green", "rejected": "red", "manual": "cyan"}
MARK = {"accepted": "✓", "rejected": "✗", "manual": "+", "mixed": "±", None: " "}
SECTION_TITLES = {SHARED: "Shared facts", ONE_SIDED: "Reported by one article only", DISAGREEMENT: "Where the articles disagree"}


class KeyBar(Static):
    """The keys of :data:`aligner.review.keys.KEYS`, packed into as many lines as the width needs."""

    DEFAULT_CSS = "KeyBar { height: auto; background: $panel; }"

    def render(self) -> Text:
        width = max(self.size.width, 20)
        text, used = Text(), 0
        for key, label in footer_items():
            item = len(key) + 1 + len(label)
            if used and used + 2 + item > width:
                text.append("\n")
                used = 0
            elif used:
                text.append("  ")
                used += 2
            text.append(key, style="bold reverse")
            text.append(" " + label)
            used += item
        return text


def _wrapped(text: str, width: int) -> int:
    """How many lines a greedy word wrap of ``text`` at ``width`` cells takes (long words folded)."""
    from rich.cells import cell_len

    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0
        for word in paragraph.split():
            w = cell_len(word)
            if used and used + 1 + w <= width:
                used += 1 + w
                continue
            if used:
                lines += 1
            lines += (w - 1) // width if w > width else 0
            used = w % width or (width if w else 0)
    return lines


class RowsView(ScrollView, can_focus=False):
    """Every row, drawn line by line (Textual's line API): a row is laid out when it changes or the
    width does, so moving, deciding and scrolling cost the same with 20 rows or 2,000.

    Not focusable, so its own keys (scrolling) never shadow the app's (selecting)."""

    DEFAULT_CSS = """
    RowsView { height: 1fr; scrollbar-gutter: stable; }
    RowsView > .rowsview--selected { background: $accent 30%; }
    RowsView > .rowsview--title { color: $text-accent; text-style: bold; }
    """
    COMPONENT_CLASSES = {"rowsview--selected", "rowsview--title"}
    GUTTER = 8  # selection mark, verdict mark, score, a space

    def __init__(self, owner: ReviewApp, **kw):
        super().__init__(**kw)
        self.owner = owner
        self._items: list[tuple[str, object]] = []  # ("title", Text) or ("row", row index)
        self._strips: dict[int, list[Strip]] = {}  # row index -> its lines (without the gutter)
        self._starts: list[int] = []  # first line of each item
        self._row_item: dict[int, int] = {}
        self._estimates: dict[int, int] = {}  # row index -> its height, estimated until it is laid out
        self._width = 0

    def rebuild(self) -> None:
        """Lay out every row again (new rows, English/source toggled, a new width)."""
        self._items, self._row_item, kind = [], {}, None
        rows = self.owner.rows
        for n, row in enumerate(rows):
            if row.kind != kind:
                kind = row.kind
                total = sum(r.kind == kind for r in rows)
                self._items.append(("title", Text(f"{SECTION_TITLES[kind]} ({total})")))
            self._row_item[n] = len(self._items)
            self._items.append(("row", n))
        if not rows:
            self._items.append(("title", Text("Nothing to review: the result has no sentences.")))
        self._strips, self._estimates = {}, {}
        self._width = self._content_width()
        if self._width:  # before the first layout the width is unknown: on_resize lays out
            self._relayout()

    def update_rows(self, indices) -> None:
        """Lay out these rows again (their verdict changed)."""
        for n in indices:
            self._strips.pop(n, None)
            self._estimates.pop(n, None)
        self._relayout()

    def _lines_of(self, n: int) -> list[Strip]:
        if n not in self._strips:
            self._strips[n] = self._layout(n)
            if len(self._strips[n]) != self._estimates.get(n):
                self._estimates[n] = len(self._strips[n])
                self.call_after_refresh(self._relayout)  # the rows below move
        return self._strips[n]

    def _height(self, n: int) -> int:
        """A row's height: exact once laid out; until then counted by a plain word wrap (laying out
        every row of a long result at start would cost seconds; only the rows on screen are)."""
        if n in self._strips:
            return len(self._strips[n])
        if n not in self._estimates:
            row = self.owner.rows[n]
            width, column = self._columns(row)
            height = max(_wrapped(self.owner.cell_text(a, cell, row).plain, column) for a, cell in enumerate(row.cells))
            self._estimates[n] = max(height, 1) + (_wrapped(visible(row.note), width) if row.note else 0)
        return self._estimates[n]

    def _columns(self, row: Row) -> tuple[int, int]:
        width = max(self._width - self.GUTTER, 20)
        columns = len(row.cells)
        return width, max(8, (width - 2 * (columns - 1)) // columns)

    def _layout(self, n: int) -> list[Strip]:
        owner = self.owner
        row = owner.rows[n]
        width, column = self._columns(row)
        gap = 2
        console = self.app.console
        rejected = row_status(owner.marks, row) == "rejected"
        cells = []
        for a, cell in enumerate(row.cells):
            text = owner.cell_text(a, cell, row)
            if rejected:
                text.stylize("dim strike")
            cells.append(text.wrap(console, column))
        height = max(len(c) for c in cells) or 1
        strips = []
        for y in range(height):
            segments = []
            for a, lines in enumerate(cells):
                line = lines[y] if y < len(lines) else Text("")
                line = line.copy()
                line.truncate(column, pad=True)
                if a:
                    segments.append(Segment(" " * gap))
                segments.extend(line.render(console))
            strips.append(Strip(segments))
        if row.note:
            note = Text(visible(row.note), style="red")
            strips.extend(Strip(list(line.render(console))) for line in note.wrap(console, width))
        return strips

    def _relayout(self) -> None:
        starts, y = [], 0
        for kind, value in self._items:
            starts.append(y)
            y += (2 if starts[:-1] else 1) if kind == "title" else self._height(value)
        self._starts = starts
        self.virtual_size = Size(self._width, y)
        self.refresh()

    def on_resize(self, event) -> None:
        if self._content_width() != self._width:
            self.rebuild()
            self.show_selected()

    def _content_width(self) -> int:
        """The width rows are laid out in: the widget's, less the vertical scroll bar's."""
        return self.scrollable_content_region.width

    def show_selected(self) -> None:
        n = self.owner.selected
        if n not in self._row_item:
            return
        item = self._row_item[n]
        top = self._starts[item]
        height = self._height(n)
        if item > 0 and self._items[item - 1][0] == "title":  # show the section's title with its first row
            top, height = self._starts[item - 1], height + (top - self._starts[item - 1])
        self.scroll_to_region(Region(0, top, 1, height), animate=False, force=True)

    def render_line(self, y: int) -> Strip:
        width = self._width or self._content_width()
        base = self.rich_style
        line = y + self.scroll_offset.y
        if not self._starts or line >= self.virtual_size.height:
            return Strip.blank(width, base)
        item = bisect.bisect_right(self._starts, line) - 1
        kind, value = self._items[item]
        offset = line - self._starts[item]
        if kind == "title":
            if offset == 0 and item > 0:
                return Strip.blank(width, base)
            style = self.get_component_rich_style("rowsview--title")
            return Strip(list(value.render(self.app.console)), value.cell_len).apply_style(style).adjust_cell_length(width, base)
        n = value
        strips = self._lines_of(n)
        body = strips[offset] if offset < len(strips) else Strip.blank(0)
        gutter = Text(" " * self.GUTTER)
        if offset == 0:
            row = self.owner.rows[n]
            verdict = row_status(self.owner.marks, row)
            score = f"{row.score:.2f}" if row.score is not None else ""
            gutter = Text(f"{'›' if n == self.owner.selected else ' '}{MARK[verdict]} {score}".ljust(self.GUTTER)[: self.GUTTER],
                          style=VERDICT_STYLE.get(verdict, ""))
        strip = Strip.join([Strip(list(gutter.render(self.app.console)), self.GUTTER), body]).adjust_cell_length(width)
        strip = strip.apply_style(base)
        if n == self.owner.selected:
            strip = strip.apply_style(self.get_component_rich_style("rowsview--selected"))
        return strip
