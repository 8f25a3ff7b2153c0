"""``aligner review``: the Textual app.  The only module of aligner that imports Textual.

Public surface: :class:`ReviewApp`.

The app reads and changes model values (a :class:`~aligner.model.Result`); it
writes no result file: ``q`` ends it with the reviewed result as its return
value, and the command saves it.  A glossary edit is written at once, through
the glossary's own editing code (:mod:`aligner.review.concepts`), and re-applied
to the result (post-edit and audit only).
"""

from __future__ import annotations

import bisect
from dataclasses import replace

from rich.segment import Segment
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Region, Size
from textual.screen import ModalScreen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from aligner.errors import AlignerError
from aligner.model import Result
from aligner.render.content import evidence_line, short_path
from aligner.render.safe import one_line, visible
from aligner.review import decisions
from aligner.review.concepts import ConceptDraft, draft_for, save_concept
from aligner.review.keys import KEYS, footer_items
from aligner.review.rows import DISAGREEMENT, ONE_SIDED, SHARED, Row, build_rows, counts, row_status

VERDICT_STYLE = {"accepted": "green", "rejected": "red", "manual": "cyan"}
MARK = {"accepted": "✓", "rejected": "✗", "manual": "+", "mixed": "±", None: " "}
SECTION_TITLES = {SHARED: "Shared facts", ONE_SIDED: "Reported by one article only", DISAGREEMENT: "Where the articles disagree"}
PREVIEW = 110  # characters of a sentence in the link picker


def _bindings() -> list[Binding]:
    return [Binding(key, k.action, k.description, show=False, priority=key == "ctrl+c") for k in KEYS for key in k.keys.split(",")]


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

    def __init__(self, owner: "ReviewApp", **kw):
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


class DetailsScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,enter,q", "close", "close")]
    DEFAULT_CSS = """
    DetailsScreen { align: center middle; }
    DetailsScreen > VerticalScroll { width: 90%; height: 80%; border: round $accent; background: $surface; padding: 0 1; }
    """

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text(self.text), id="details")

    def action_close(self) -> None:
        self.dismiss(None)


class PickerScreen(ModalScreen["tuple[int, int] | None"]):
    """Pick a sentence of another article; ``/`` searches."""

    BINDINGS = [Binding("escape", "cancel", "cancel"), Binding("slash", "search", "search")]
    DEFAULT_CSS = """
    PickerScreen { align: center middle; }
    PickerScreen > Vertical { width: 90%; height: 80%; border: round $accent; background: $surface; }
    PickerScreen Input { display: none; }
    PickerScreen Input.-searching { display: block; }
    """

    def __init__(self, title: str, choices: list[tuple[tuple[int, int], str]]):
        super().__init__()
        self.title_text = title
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text))
            yield Input(placeholder="search", id="search")
            yield OptionList(*self._options(""), id="choices")

    def _options(self, query: str) -> list[Option]:
        q = query.casefold()
        return [Option(Text(label), id=f"{a}:{s}") for (a, s), label in self.choices if q in label.casefold()]

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def action_search(self) -> None:
        box = self.query_one(Input)
        box.add_class("-searching")
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self._options(event.value))
        if options.option_count:
            options.highlighted = 0

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        a, s = event.option.id.split(":")
        self.dismiss((int(a), int(s)))

    def action_cancel(self) -> None:
        self.dismiss(None)


class GlossaryScreen(ModalScreen["object | None"]):
    """Add or edit one concept; ``ctrl+s`` or enter in the last field saves, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "cancel"), Binding("ctrl+s", "save", "save")]
    DEFAULT_CSS = """
    GlossaryScreen { align: center middle; }
    GlossaryScreen > Vertical { width: 90%; height: auto; border: round $accent; background: $surface; padding: 0 1; }
    GlossaryScreen Input { margin: 0 0; }
    GlossaryScreen #problem { color: $error; }
    """

    def __init__(self, draft: ConceptDraft, path: str, save):
        super().__init__()
        self.draft = draft
        self.path = path
        self.save = save  # ConceptDraft -> None; raises AlignerError when refused

    def compose(self) -> ComposeResult:
        d = self.draft
        with Vertical():
            yield Label(Text(f"{'Edit' if d.existing else 'New'} concept in {one_line(self.path)}"))
            yield Label("English (canonical first, then accepted forms, | between)")
            yield Input(d.en, id="en")
            for lang, value in d.variants.items():
                yield Label(f"{lang} variants (| between)")
                yield Input(value, id=f"lang-{lang}")
            yield Label("avoid (English renderings to replace, | between)")
            yield Input(d.avoid, id="avoid")
            yield Label("", id="problem")
            with Horizontal():
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#en", Input).focus()

    def current(self) -> ConceptDraft:
        variants = {lang: self.query_one(f"#lang-{lang}", Input).value for lang in self.draft.variants}
        return ConceptDraft(self.draft.existing, self.query_one("#en", Input).value, variants, self.query_one("#avoid", Input).value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "avoid":
            self.action_save()
        else:
            self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save() if event.button.id == "save" else self.action_cancel()

    def action_save(self) -> None:
        try:
            written = self.save(self.current())
        except AlignerError as e:
            self.query_one("#problem", Label).update(Text(one_line(str(e))))
            return
        self.dismiss(written)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReviewApp(App):
    """Review one result: move through its rows, accept, reject and add links, edit the glossary."""

    TITLE = "aligner review"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = _bindings()
    CSS = """
    #top { height: auto; background: $panel; }
    #rows { height: 1fr; }
    #message { height: 1; color: $warning; }
    """

    def __init__(self, result: Result, name: str = "", glossary: str | None = None, by: str = ""):
        super().__init__()
        self.original = result
        self.result = result
        self.file_name = name
        self.glossary_path = glossary
        self.by = by
        self.source = False
        self.history: list[tuple[object, Result]] = []  # (review before, result before) per decision
        self.selected = 0
        self.abandon_armed = False
        self.glossary_edits = 0
        self.ended: str | None = None  # "saved" or "abandoned" once the app is left
        self._build()

    # -- model

    def _build(self) -> None:
        self.shown = decisions.apply_review(self.result, keep_rejected=True)
        self.marks = decisions.review_marks(self.shown)
        self.summary, self.rows = build_rows(self.shown)
        self.rows_of_link: dict[int, list[int]] = {}
        for n, row in enumerate(self.rows):
            for k in row.links:
                self.rows_of_link.setdefault(k, []).append(n)

    def _place(self, row: Row) -> list[tuple[int, int]]:
        return [(a, i) for a, cell in enumerate(row.cells) for i in cell]

    # -- drawing

    def compose(self) -> ComposeResult:
        yield Static(id="top")
        yield RowsView(self, id="rows")
        yield Static("", id="message")
        yield KeyBar()

    def on_mount(self) -> None:
        self._draw_all()

    def _top(self) -> Text:
        c = counts(self.shown)
        text = Text()
        text.append(f"{one_line(self.file_name) or 'result'}", style="bold")
        text.append(f"  accepted {c['accepted']}, rejected {c['rejected']}, manual {c['manual']}")
        if self.glossary_edits:
            text.append(f", glossary edits {self.glossary_edits}")
        text.append("  showing " + ("source" if self.source else "English") + "\n")
        n = len(self.shown.articles)
        room = max(10, (self.size.width or 80) // n - 8)
        text.append("   ".join(f"[{a + 1}] {art.lang} {short_path(visible(art.path), room)}" for a, art in enumerate(self.shown.articles)))
        return text

    def cell_text(self, a: int, indices: tuple[int, ...], row: Row) -> Text:
        """What one article's column of a row shows: its sentences in English (or as written), matched parts marked."""
        text = Text()
        art = self.shown.articles[a]
        for n, i in enumerate(indices):
            s = art.sentences[i]
            if n:
                text.append(" ")
            source = self.source or s.english is None
            body = visible(s.text if source else s.english)
            piece = Text(f"[{art.lang}] " if source and not self.source else "", style="dim")
            start = len(piece)
            piece.append(body)
            part = next((p for (pa, ps, p) in row.parts if (pa, ps) == (a, i)), None)
            if part is not None and (row.parts_in == "source") == source and part[1] <= len(body):
                piece.stylize("bold yellow", start + part[0], start + part[1])
            text.append_text(piece)
        return text

    def row_text(self, n: int) -> str:
        """Row ``n`` as plain text on one line: its marks, then each article's column, `` | `` between."""
        row = self.rows[n]
        verdict = row_status(self.marks, row)
        score = f"{row.score:.2f}" if row.score is not None else ""
        head = f"{'›' if n == self.selected else ' '}{MARK[verdict]} {score}".rstrip()
        return head + " " + " | ".join(self.cell_text(a, cell, row).plain for a, cell in enumerate(row.cells))

    def _draw_all(self) -> None:
        self.selected = min(self.selected, max(len(self.rows) - 1, 0))
        view = self.query_one(RowsView)
        view.rebuild()
        self.query_one("#top", Static).update(self._top())
        self.call_after_refresh(view.show_selected)

    def _redraw(self, indices) -> None:
        """Lay out again the rows whose verdict changed; the header."""
        self.query_one(RowsView).update_rows(indices)
        self.query_one("#top", Static).update(self._top())

    def _scroll(self) -> None:
        view = self.query_one(RowsView)
        view.refresh()
        view.show_selected()

    def _say(self, message: str) -> None:
        self.query_one("#message", Static).update(Text(one_line(message)))

    # -- moving

    def check_action(self, action: str, parameters) -> bool | None:
        # with a dialog open, only its own keys (and quitting) work
        if len(self.screen_stack) > 1 and action not in ("abandon",):
            return False
        return True

    def _move(self, to: int) -> None:
        if not self.rows:
            return
        to = max(0, min(to, len(self.rows) - 1))
        self.selected = to
        self._scroll()

    async def run_action(self, action, default_namespace=None, namespaces=None) -> bool:
        if "abandon" not in str(action):
            self.abandon_armed = False  # escape twice means twice in a row
        return await super().run_action(action, default_namespace, namespaces)

    def action_next(self) -> None:
        self._move(self.selected + 1)

    def action_previous(self) -> None:
        self._move(self.selected - 1)

    # -- decisions

    def _current(self) -> Row | None:
        return self.rows[self.selected] if self.rows else None

    def _change(self, result: Result, message: str) -> None:
        """Take ``result`` as the new state (kept for undo); redraw what changed."""
        self.history.append((self.result.review, self.result))
        self._apply(result)
        self._say(message)

    def _apply(self, result: Result) -> None:
        before, marks = self.shown.links, self.marks
        self.result = result
        shown = decisions.apply_review(result, keep_rejected=True)
        if shown.links == before and shown.articles is self.shown.articles:
            self.shown = shown
            self.marks = decisions.review_marks(shown)
            changed = {k for k in set(marks) | set(self.marks) if marks.get(k) != self.marks.get(k)}
            self._redraw({r for k in changed for r in self.rows_of_link.get(k, ())})
        else:
            self._build()
            self._draw_all()

    def _decide(self, verdict: str) -> None:
        row = self._current()
        if row is None or not row.links:
            self._say("a one-sided sentence has no link to decide on: l links it to a sentence of another article")
            return
        result = self.result
        for n in row.links:
            result = decisions.decide_refs(result, decisions.refs_of(self.shown, self.shown.links[n]), verdict, self.by)
        self._change(result, f"{verdict} {len(row.links)} link{'s' if len(row.links) > 1 else ''}")
        self._move(self.selected + 1)

    def action_accept(self) -> None:
        self._decide("accepted")

    def action_reject(self) -> None:
        self._decide("rejected")

    def action_undo(self) -> None:
        if not self.history:
            self._say("nothing to undo")
            return
        _, before = self.history.pop()
        self._apply(replace(self.result, review=before.review))
        self._say("undone")

    def action_toggle_source(self) -> None:
        self.source = not self.source
        self._draw_all()

    def details_text(self, row: Row) -> str:
        lines = [f"{row.kind}" + (f", score {row.score:.3f}" if row.score is not None else "")]
        for n in row.links:
            link = self.shown.links[n]
            ev = link.evidence
            verdict = decisions.status(self.shown, link) or "not reviewed"
            lines.append(f"link {n}: {link.kind}, score {link.score:.3f}, cosine {ev.cosine:.3f}, margin {ev.margin:.3f}, "
                         f"space {ev.space}; {verdict}")
            text = " ".join(self.shown.articles[m.article].sentences[i].english or self.shown.articles[m.article].sentences[i].text
                            for m in link.members for i in m.sentences)
            if (line := evidence_line(ev, text)):
                lines.append("  " + line)
            if ev.names:
                lines.append("  names " + ", ".join(ev.names))
            for m in link.members:
                if m.part is not None:
                    s = self.shown.articles[m.article].sentences[m.sentences[0]]
                    body = (s.english or "") if ev.parts_in == "english" else s.text
                    lines.append(f"  part of [{m.article + 1}] #{m.sentences[0]} ({ev.parts_in}): {body[m.part[0]:m.part[1]]}")
        if row.note:
            lines.append("differs: " + row.note)
        for a, i in self._place(row):
            art = self.shown.articles[a]
            s = art.sentences[i]
            lines.append("")
            lines.append(f"[{a + 1}] {art.lang} sentence {i} (characters {s.start}-{s.end}, English: {s.english_source})")
            lines.append("  " + s.text)
            if s.english is not None and s.english != s.text:
                lines.append("  " + s.english)
            for h in s.glossary:
                lines.append(f"  glossary: {h.concept} ({h.variant}) {h.status}" + (f": {', '.join(h.changed)}" if h.changed else ""))
        return visible("\n".join(lines))

    def action_details(self) -> None:
        row = self._current()
        if row is not None:
            self.push_screen(DetailsScreen(self.details_text(row)))

    def action_link(self) -> None:
        row = self._current()
        if row is None or row.kind != ONE_SIDED:
            self._say("l links a one-sided sentence: select one under 'Reported by one article only'")
            return
        (a, i), = self._place(row)
        choices = []
        for b, art in enumerate(self.shown.articles):
            if b == a:
                continue
            for s in art.sentences:
                body = s.english if s.english is not None else s.text
                choices.append(((b, s.index), one_line(f"[{b + 1}] #{s.index} {body}")[:PREVIEW]))
        s = self.shown.articles[a].sentences[i]
        title = one_line(f"Link [{a + 1}] #{i} {s.english or s.text}")[:PREVIEW]

        def picked(choice) -> None:
            if choice is None:
                return
            result = decisions.add_manual(self.result, (a, i), choice, self.by)
            self._change(result, f"linked [{a + 1}] #{i} to [{choice[0] + 1}] #{choice[1]}")
            self._select_place((a, i))

        self.push_screen(PickerScreen(title, choices), picked)

    def _select_place(self, place: tuple[int, int]) -> None:
        for n, row in enumerate(self.rows):
            if place in self._place(row):
                self._move(n)
                return

    def action_glossary(self) -> None:
        row = self._current()
        if row is None:
            return
        if not self.glossary_path:
            self._say("no glossary file to edit")
            return
        words: tuple[str, ...] = ()
        for n in row.links:
            ev = self.shown.links[n].evidence
            words += ev.names + ev.words
        draft = draft_for(self.shown, self._place(row), self.glossary_path, words)

        def done(glossary) -> None:
            if glossary is None:
                return
            self.glossary_edits += 1
            place = self._place(row)
            self._apply(decisions.reapply_glossary(self.result, glossary))  # written to the file: not undone by u
            self._say(f"glossary saved: {self.glossary_path}")
            if place:
                self._select_place(place[0])

        self.push_screen(GlossaryScreen(draft, self.glossary_path, lambda d: save_concept(self.glossary_path, d)), done)

    # -- leaving

    def action_save_quit(self) -> None:
        self.ended = "saved"
        self.exit(self.result)

    def action_abandon(self) -> None:
        if self.abandon_armed:
            self.ended = "abandoned"
            self.exit(None)
            return
        self.abandon_armed = True
        self._say("press again to quit without saving (q saves and quits)")
