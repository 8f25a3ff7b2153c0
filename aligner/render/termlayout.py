"""The terminal view's lines, laid out without rich's Table: same bytes, a fraction of the time.

Public surface: :class:`Layout`, :class:`GridRow`.

The view (aligner/render/terminal.py) is a column of parts: rules, lines of text, padded
text, and grid rows.  rich renders a grid row as a one-row Table of fixed-width columns;
:meth:`GridRow.lines` gives the same lines from
:func:`~aligner.render.textlines.text_lines`, cell by cell, and :meth:`Layout.lines` does
the same for text and padded text.  A cell or part that ``text_lines`` leaves to rich is
rendered by rich as the Table would render it; a row wider than the console (where the
Table would narrow its columns) is rendered by the Table itself.
"""

from __future__ import annotations

from typing import Callable

from rich.console import Console, ConsoleOptions, RenderResult
from rich.padding import Padding
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from aligner.render.textlines import Styles, text_lines


class Layout:
    """The lines of a view's parts on one console.  Each part ends its last line, so the
    lines are those of the parts rendered as one group."""

    def __init__(self, console: Console, options: ConsoleOptions):
        self.console = console
        self.options = options
        self.styles = Styles(console)

    def lines(self, parts):
        options = self.options
        width, justify, overflow, no_wrap = (options.max_width, options.justify, options.overflow,
                                             options.no_wrap)
        for part in parts:
            lines = None
            if isinstance(part, GridRow):
                lines = part.lines(self)
            elif isinstance(part, Text):
                lines = text_lines(part, width, self.styles, justify, overflow, no_wrap)
            elif isinstance(part, Padding) and isinstance(part.renderable, Text) and part.expand \
                    and not (part.top or part.right or part.bottom) \
                    and not self.console.get_style(part.style):
                lines = text_lines(part.renderable, width - part.left, self.styles, justify,
                                   overflow, no_wrap)
                if lines is not None and part.left:
                    lines = [[Segment(" " * part.left), *line] for line in lines]
            if lines is None:
                lines = self.console.render_lines(part, options, pad=False)
            yield from lines

    def cell(self, text, left: int, width: int, right: int, no_wrap: bool, overflow: str):
        """The lines of one cell of a grid row, its padding included, as rich's Table renders
        them: left-justified, padded to the column's width."""
        lines = None
        if isinstance(text, Text):
            lines = text_lines(text, width, self.styles, "left", overflow, no_wrap)
        if lines is None:
            options = self.options.update(width=left + width + right, justify="left",
                                          no_wrap=no_wrap, overflow=overflow, height=None,
                                          highlight=False)
            return self.console.render_lines(Padding(text, (0, right, 0, left)), options)
        if left:
            before = Segment(" " * left)
            for line in lines:
                line.insert(0, before)
        if right:
            after = Segment(" " * right)
            for line in lines:
                line.append(after)
        return lines


class GridRow:
    """One row of a grid of fixed-width columns, one space between them, none at the edges:
    the first column a gutter (``no_wrap``, cut with an ellipsis) when ``gutter``, the
    others folding their text.  ``table()`` gives the empty rich Table of these columns."""

    def __init__(self, cells: list, widths: list[int], gutter: bool, table: Callable[[], Table]):
        self.cells = cells
        self.widths = widths
        self.gutter = gutter
        self.table = table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = self.table()
        table.add_row(*self.cells)
        yield table

    def lines(self, layout: Layout):
        """The row's lines; None where rich's Table would narrow the columns to fit."""
        last = len(self.widths) - 1
        columns = [(int(k > 0), w, int(k < last)) for k, w in enumerate(self.widths)]
        if sum(map(sum, columns)) > layout.options.max_width:
            return None
        laid = []
        for k, ((left, width, right), cell) in enumerate(zip(columns, self.cells)):
            gutter = k == 0 and self.gutter
            overflow = "ellipsis" if gutter else "fold"
            laid.append(layout.cell(cell, left, width, right, gutter, overflow))
        height = max(map(len, laid))
        if height == 1:
            return [[s for lines in laid for s in lines[0]]]
        for lines, column in zip(laid, columns):
            if len(lines) < height:  # the Table's blank lines under a shorter cell
                lines.extend([[Segment(" " * sum(column))]] * (height - len(lines)))
        return [[s for lines in laid for s in lines[i]] for i in range(height)]
