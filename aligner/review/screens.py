"""The modal screens of the review app: a row's details, the link picker (with search), and the
concept editor of the glossary.  Split out of :mod:`aligner.review.app`, which re-exports them.
"""

from __future__ import annotations


from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from aligner.errors import AlignerError
from aligner.render.safe import one_line
from aligner.review.concepts import ConceptDraft

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
