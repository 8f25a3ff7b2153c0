"""``aligner review``: the Textual app.  The only module of aligner that imports Textual.

Public surface: :class:`ReviewApp`.

The app reads and changes model values (a :class:`~aligner.model.Result`); it
writes no result file: ``q`` ends it with the reviewed result as its return
value, and the command saves it.  A glossary edit is written at once, through
the glossary's own editing code (:mod:`aligner.review.concepts`), and re-applied
to the result (post-edit and audit only).
"""

from __future__ import annotations

from dataclasses import replace

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
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


class RowView(Static):
    """One row: a mark, then one column per article."""

    DEFAULT_CSS = """
    RowView { padding: 0 0; height: auto; }
    RowView.-selected { background: $accent 30%; }
    RowView.-rejected { color: $text-muted; text-style: strike; }
    """


class RowList(VerticalScroll, can_focus=False):
    """The rows; not focusable, so its own arrow keys (scrolling) never shadow the app's (selecting)."""


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
    .section { color: $text-accent; text-style: bold; margin-top: 1; }
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
        self.views: list[RowView] = []  # one per row
        self.ended: str | None = None  # "saved" or "abandoned" once the app is left
        self._build()

    # -- model

    def _build(self) -> None:
        self.shown = decisions.apply_review(self.result, keep_rejected=True)
        self.summary, self.rows = build_rows(self.shown)

    def _place(self, row: Row) -> list[tuple[int, int]]:
        return [(a, i) for a, cell in enumerate(row.cells) for i in cell]

    # -- drawing

    def compose(self) -> ComposeResult:
        yield Static(id="top")
        yield RowList(id="rows")
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

    def _cell(self, a: int, indices: tuple[int, ...], row: Row) -> Text:
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

    def _render_row(self, row: Row, selected: bool = False) -> Table:
        verdict = row_status(self.shown, row)
        grid = Table.grid(expand=True, padding=(0, 1))
        grid.add_column(width=7, no_wrap=True)  # selection, verdict, score
        for _ in self.shown.articles:
            grid.add_column(ratio=1)
        score = f"{row.score:.2f}" if row.score is not None else ""
        gutter = Text(f"{'›' if selected else ' '}{MARK[verdict]} {score}".rstrip(), style={"accepted": "green", "rejected": "red", "manual": "cyan"}.get(verdict, ""))
        cells = [self._cell(a, cell, row) for a, cell in enumerate(row.cells)]
        grid.add_row(gutter, *cells)
        if row.note:
            grid.add_row(Text(""), Text(visible(row.note), style="red"), *[Text("")] * (len(cells) - 1))
        return grid

    def _row_classes(self, n: int) -> str:
        classes = ["-selected"] if n == self.selected else []
        if row_status(self.shown, self.rows[n]) == "rejected":
            classes.append("-rejected")
        return " ".join(classes)

    def _draw_all(self) -> None:
        box = self.query_one("#rows", RowList)
        box.remove_children()
        widgets, kind, self.views = [], None, []
        for n, row in enumerate(self.rows):
            if row.kind != kind:
                kind = row.kind
                total = sum(r.kind == kind for r in self.rows)
                widgets.append(Static(f"{SECTION_TITLES[kind]} ({total})", classes="section"))
            self.views.append(RowView(self._render_row(row, n == self.selected), classes=self._row_classes(n)))
            widgets.append(self.views[-1])
        if not self.rows:
            widgets.append(Static("Nothing to review: the result has no sentences."))
        box.mount_all(widgets)
        self.selected = min(self.selected, max(len(self.rows) - 1, 0))
        self.query_one("#top", Static).update(self._top())
        self.call_after_refresh(self._scroll)

    def _redraw(self, indices) -> None:
        """Re-render the rows whose status may have changed, and the header."""
        for n in indices:
            view = self.views[n]
            view.update(self._render_row(self.rows[n], n == self.selected))
            view.set_classes(self._row_classes(n))
        self.query_one("#top", Static).update(self._top())

    def _scroll(self) -> None:
        if self.rows:
            self.views[self.selected].scroll_visible(animate=False)

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
        old, self.selected = self.selected, to
        self._redraw({old, to}) if old != to else None
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
        before = self.shown.links
        self.result = result
        shown = decisions.apply_review(result, keep_rejected=True)
        if shown.links == before and shown.articles is self.shown.articles:
            self.shown = shown
            self._redraw(range(len(self.rows)))
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
        self._redraw(range(len(self.rows)))

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
