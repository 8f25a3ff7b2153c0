"""``aligner review``: the Textual app.  With :mod:`aligner.review.screens` (its modal screens)
and :mod:`aligner.review.rows_view` (its rows and key bar), the only modules of aligner that
import Textual.

Public surface: :class:`ReviewApp`.

The app reads and changes model values (a :class:`~aligner.model.Result`); it
writes no result file: ``q`` ends it with the reviewed result as its return
value, and the command saves it.  A glossary edit is written at once, through
the glossary's own editing code (:mod:`aligner.review.concepts`), and re-applied
to the result (post-edit and audit only).
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from aligner.model import Result
from aligner.render.content import evidence_line, short_path
from aligner.render.safe import one_line, visible
from aligner.review import decisions
from aligner.review.concepts import draft_for, save_concept
from aligner.review.keys import KEYS
from aligner.review.rows_view import MARK, SECTION_TITLES, VERDICT_STYLE, KeyBar, RowsView, _wrapped  # noqa: F401  (re-exported)
from aligner.review.screens import DetailsScreen, GlossaryScreen, PickerScreen  # noqa: F401  (re-exported)
from aligner.review.rows import ONE_SIDED, Row, build_rows, counts, row_status

PREVIEW = 110  # characters of a sentence in the link picker


def _bindings() -> list[Binding]:
    return [Binding(key, k.action, k.description, show=False, priority=key == "ctrl+c") for k in KEYS for key in k.keys.split(",")]


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
            lines.append(f"link {n}: {link.kind}, score {link.score:.3f}, cosine {ev.cosine:.3f}, margin {ev.similarity:.3f}, "
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
