"""The view's fast layout (aligner/render/textlines.py, no rich Table) gives the bytes rich gives.

Each view is rendered twice in the same process, by the fast layout and by rich alone
(``SummaryView(..., fast=False)``: one rich Table per row, as before), and the outputs,
escape codes included, must be equal: at widths from 12 (where rich narrows the columns)
to 200, in colour, without colour and with NO_COLOR, with and without --show-source, on
results whose sentences hold wide (CJK) characters, zero-width and combining characters,
emoji, words longer than any column, runs of spaces, tabs and empty cells.
"""

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich._wrap import divide_line
from rich.console import Console
from rich.style import Style
from rich.text import Span, Text

from aligner.render.terminal import SummaryView, _Page
from aligner.render.termlayout import GridRow, Layout
from aligner.render.textlines import Styles, breaks, single_cell, text_lines
from aligner.result import read_json
from aligner.summary import summarise
from tests.test_view import NO_ENGLISH, RESULT

# put before the English (or the text) of sentences of each article, in turn
VARIANTS = [
    "中国外交部发言人表示，双方将继续保持沟通。China said 中美 talks go on",
    "https://www.example.org/a/very/long/path/that/fits/in/no/column/at/all?x=1 and words",
    "zero\u200bwidth spaces\u200b and combining e\u0301 marks ne\u0301e",
    "leaders 👍🏽 met; family 👨‍👩‍👧 photo ✔️ done",
    "   leading spaces and    many   inner   spaces    ",
    "a\ttab",
    "「引用」と“quotes” — dashes … ellipsis · ⚑ ░█",
    "Ünïcödé Latin: Đà Nẵng, Hà Nội, Thành phố Hồ Chí Minh; ΑΒΓ абв",
]
WIDTHS = (12, 30, 41, 60, 61, 80, 97, 140, 200)


def varied(tmp_path, source=RESULT, field="english"):
    """``source`` with the variants written into the sentences (the English is kept after them)."""
    data = json.loads(source.read_text(encoding="utf-8"))
    k = 0
    for article in data["articles"]:
        for sentence in article["sentences"]:
            if sentence.get(field) is not None and sentence["index"] % 2 == 0:
                sentence[field] = VARIANTS[k % len(VARIANTS)] + " " + sentence[field]
                k += 1
    path = tmp_path / f"{field}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def console(width: int, mode: str) -> Console:
    kinds = {"colour": dict(color_system="truecolor", force_terminal=True),
             "plain": dict(color_system=None, force_terminal=False),
             "no_color": dict(color_system="truecolor", force_terminal=True, no_color=True)}
    return Console(file=io.StringIO(), width=width, highlight=False, **kinds[mode])


def output(summary, width: int, mode: str, fast: bool, show_source: bool = False) -> str:
    c = console(width, mode)
    c.print(SummaryView(summary, show_source=show_source, fast=fast))
    return c.file.getvalue()


@pytest.mark.parametrize("mode", ["colour", "plain", "no_color"])
@pytest.mark.parametrize("which", ["example", "english variants", "source variants", "no English"])
def test_the_fast_layout_prints_the_same_bytes_as_rich_tables(tmp_path, which, mode):
    path = {"example": lambda: RESULT, "english variants": lambda: varied(tmp_path),
            "source variants": lambda: varied(tmp_path, field="text"),
            "no English": lambda: varied(tmp_path, NO_ENGLISH, "text")}[which]()
    summary = summarise(read_json(path))
    for width in WIDTHS:
        for show_source in (False, True):
            fast = output(summary, width, mode, True, show_source)
            assert fast == output(summary, width, mode, False, show_source), (width, show_source)
            assert fast.count("\n") > 40


def test_a_height_cuts_the_view_as_rich_cuts_it():
    summary = summarise(read_json(RESULT))
    cut = []
    for fast in (True, False):
        c = console(80, "colour")
        c.print(SummaryView(summary, fast=fast), height=15)
        cut.append(c.file.getvalue())
    assert cut[0] == cut[1]
    assert cut[0].count("\n") == 15


def test_the_variants_reach_the_screen(tmp_path):
    text = output(summarise(read_json(varied(tmp_path))), 200, "plain", True)
    for variant in ("中国外交部发言人表示", "zero\u200bwidth", "👨‍👩‍👧", "「引用」と“quotes”", "Đà Nẵng"):
        assert variant in text


def laid_out_cells(summary, width: int, mode: str):
    """Per cell of every grid row: whether text_lines laid it out (else rich did)."""
    c = console(width, mode)
    page = _Page(summary, False, width, mode != "colour")
    styles = Layout(c, c.options).styles
    found = []
    for part in page.parts():
        if isinstance(part, GridRow):
            for k, (cell, width_k) in enumerate(zip(part.cells, part.widths)):
                gutter = k == 0 and part.gutter
                overflow = "ellipsis" if gutter else "fold"
                lines = text_lines(cell, width_k, styles, "left", overflow, gutter)
                found.append((cell.plain, lines is not None))
    return found


def test_rich_lays_out_only_the_cells_it_must(tmp_path):
    """Text of one-cell characters, wide characters and zero-width ones all take the fast
    layout; a tab (rich expands it) does not."""
    cells = laid_out_cells(summarise(read_json(varied(tmp_path))), 80, "colour")
    slow = [plain for plain, fast in cells if not fast]
    assert slow and all("\t" in plain for plain in slow)
    assert any("中国" in plain for plain, fast in cells if fast)
    assert any("\u200b" in plain for plain, fast in cells if fast)
    assert len(cells) > 20


# ------------------------------------------------------------------ text_lines against rich

STYLES = ["bold", "dim", "red", "italic", "bold yellow", Style(underline=True), "not a style"]
PIECES = ["a", "bc", "word", " ", "  ", "\n", "字", "中文", "\u200b", "e\u0301", "\u00a0", "👍",
          "👨‍👩‍👧", "x" * 15, "·", "\t"]


@st.composite
def texts(draw):
    plain = "".join(draw(st.lists(st.sampled_from(PIECES), max_size=30)))
    text = Text(plain, style=draw(st.sampled_from(["", "green", "dim"])))
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, len(plain)))
        end = draw(st.integers(start, len(plain)))
        text.spans.append(Span(start, end, draw(st.sampled_from(STYLES))))
    return text


def rendered(lines) -> list[str]:
    return ["".join(s.style.render(s.text) if s.style else s.text for s in line) for line in lines]


@settings(max_examples=1000, deadline=None)
@given(texts(), st.integers(1, 24), st.sampled_from(["cell", "gutter", "text"]))
def test_text_lines_are_richs_lines(text, width, kind):
    c = Console(file=io.StringIO(), width=200, color_system="truecolor", force_terminal=True)
    if kind == "text":  # a line of the view: rich's default justify, no padding
        options, justify, overflow, no_wrap = c.options.update(width=width), None, None, None
    else:  # a Table cell: left-justified, padded; the gutter does not wrap
        justify, no_wrap = "left", kind == "gutter"
        overflow = "ellipsis" if no_wrap else "fold"
        options = c.options.update(width=width, justify=justify, overflow=overflow, no_wrap=no_wrap)
    ours = text_lines(text, width, Styles(c), justify, overflow, no_wrap)
    theirs = c.render_lines(text, options, pad=kind != "text")
    if ours is not None:
        assert rendered(ours) == rendered(theirs)
    if kind != "gutter" and "\t" not in text.plain and single_cell(text.plain):
        assert ours is not None


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab c\u00a0-", max_size=60), st.integers(1, 20))
def test_breaks_are_richs_divide_line(line, width):
    assert breaks(line, width) == divide_line(line, width, fold=True)


def test_a_long_word_is_cut_into_pieces_of_the_width_its_spaces_with_it():
    assert breaks("ab cdefghijkl   mn", 5) == [3, 8, 13]
    assert divide_line("ab cdefghijkl   mn", 5) == [3, 8, 13]
