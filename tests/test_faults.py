"""Issue 12, hostile text: nothing from an article, a file name or a result reaches
the terminal or a report raw (escape codes shown, rich markup and HTML escaped)."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys

import pytest
from click.testing import CliRunner
from rich.console import Console

from aligner.cli import cli
from aligner.render import safe
from aligner.render.markdown import render_markdown
from aligner.render.terminal import SummaryView, show
from aligner.result import read_json
from aligner.summary import summarise
from tests.conftest import FIXTURE, ID, MEMORY, VI

TITLE = "\x1b]0;pwned\x07"  # OSC 0: set the terminal's title, ended by BEL
CLEAR = "\x1b[2J"  # CSI 2J: clear the screen
SHOWN_TITLE = "␛]0;pwned␇"
SHOWN_CLEAR = "␛[2J"


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def result_with(tmp_path, edit, name="r.json"):
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def hostile(data):
    first = data["articles"][0]["sentences"][0]
    first["english"] = f"Title {TITLE} then {CLEAR} cleared."
    first["text"] = f"Nguồn {TITLE} {CLEAR} \u202eevil\u202c."
    data["articles"][1]["path"] = f"id{CLEAR}.txt"


# ------------------------------------------------------------------ the one function


@pytest.mark.parametrize(
    "raw,shown",
    [
        (TITLE, SHOWN_TITLE),
        (CLEAR, SHOWN_CLEAR),
        ("a\x00b\x08c\x7fd", "a␀b␈c␡d"),
        ("csi\x9b2J", "csi⟨U+009B⟩2J"),  # C1 CSI, a one-byte ESC [
        ("\u202eevil\u202c \u2066x\u2069", "⟨U+202E⟩evil⟨U+202C⟩ ⟨U+2066⟩x⟨U+2069⟩"),
        ("over\rwrite", "over␍write"),
        ("line\r\nnext\ttab", "line\nnext\ttab"),
        ("Tiếng Việt, 1.000 đầu đạn", "Tiếng Việt, 1.000 đầu đạn"),
    ],
    ids=["osc-title", "csi-clear", "c0-del", "c1", "bidi", "lone-cr", "crlf-tab-kept", "plain"],
)
def test_visible_shows_control_characters(raw, shown):
    assert safe.visible(raw) == shown


def test_one_line_also_shows_line_breaks():
    assert safe.one_line("a\nb\r\nc\td") == "a␊b␍␊c␉d"


def test_markup_and_markdown_escape_what_they_must():
    assert safe.markup("news [draft].txt") == "news \\[draft].txt"
    assert safe.markdown("<script>a & b</script>\x07") == "&lt;script&gt;a &amp; b&lt;/script&gt;␇"


# ------------------------------------------------------------------ the viewer


def test_view_of_a_hostile_result_shows_escape_codes_instead_of_obeying_them(tmp_path):
    path = result_with(tmp_path, hostile)
    result = invoke("view", path, "--show-source", "--no-pager")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout and "\u202e" not in result.stdout
    assert SHOWN_TITLE in result.stdout and SHOWN_CLEAR in result.stdout and "⟨U+202E⟩evil" in result.stdout


def test_view_in_colour_still_obeys_no_escape_code_from_the_text(tmp_path):
    summary = summarise(read_json(result_with(tmp_path, hostile)))
    console = Console(force_terminal=True, width=120, file=open(os.devnull, "w"))
    with console.capture() as captured:
        console.print(SummaryView(summary, show_source=True))
    text = captured.get()
    assert "\x1b[1m" in text  # styles are there, as escape codes of our own
    assert "\x1b]" not in text and CLEAR not in text and "\x07" not in text
    assert SHOWN_TITLE in text


def test_notes_and_errors_show_escape_codes_in_file_names(tmp_path):
    path = result_with(tmp_path, lambda d: d["articles"][0].update(path=f"gone{TITLE}.txt", relative=f"gone{TITLE}.txt", absolute=""))
    result = invoke("view", path, "--no-pager")
    assert result.exit_code == 0
    assert f"note: gone{SHOWN_TITLE}.txt (relative to {path}) no longer exists" in result.stderr
    assert "\x1b" not in result.stderr

    missing = tmp_path / f"missing{CLEAR}\n.txt"
    result = invoke("align", VI, missing, "--json", "-", "--no-view", "-q")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path}/missing{SHOWN_CLEAR}␊.txt: no such file\n"  # one line


def test_rich_markup_in_a_result_path_is_shown_literally(tmp_path):
    path = result_with(tmp_path, lambda d: d["articles"][0].update(path="news [draft].txt") or d["articles"][1].update(path="x[/y].txt"))
    result = invoke("view", path, "--no-pager")
    assert result.exit_code == 0, result.output
    assert "[1] news [draft].txt" in result.stdout
    assert "[2] x[/y].txt" in result.stdout


def test_align_with_markup_and_escape_codes_in_names_and_text(tmp_path, monkeypatch):
    """`news [draft].txt` shown as is; `x[/y].txt` neither crashes align nor the view of its result."""
    monkeypatch.chdir(tmp_path)
    line = f"Tin mới {TITLE} và {CLEAR} kết thúc."
    draft = tmp_path / "news [draft].txt"
    draft.write_text(VI.read_text(encoding="utf-8").rstrip("\n") + "\n" + line + "\n", encoding="utf-8")
    (tmp_path / "x[").mkdir()
    shutil.copy(ID, tmp_path / "x[" / "y].txt")
    memory = tmp_path / "tm.csv"
    memory.write_text(MEMORY.read_text(encoding="utf-8") + f'vi,{line},"News {TITLE} and {CLEAR} end."\n', encoding="utf-8")
    result = invoke("align", "news [draft].txt", "x[/y].txt", "--memory", memory, "--json", "r.json",
                    "--markdown", "r.md", "--show-source", "--no-pager", "--no-glossary", "-q")
    assert result.exit_code == 0, result.output
    assert "[1] news [draft].txt" in result.stdout and "[2] x[/y].txt" in result.stdout
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert f"News {SHOWN_TITLE} and {SHOWN_CLEAR} end." in " ".join(result.stdout.split())
    view = invoke("view", "r.json", "--no-pager")
    assert view.exit_code == 0, view.output
    assert "[2] x[/y].txt" in view.stdout
    report = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "\x1b" not in report and "\x07" not in report and "`news [draft].txt`" in report


# ------------------------------------------------------------------ the markdown report


def test_report_escapes_html_and_control_bytes(tmp_path):
    def edit(data):
        sentences = data["articles"][0]["sentences"]
        sentences[0]["english"] = "<script>alert(1)</script> & more"
        sentences[1]["english"] = f"<img src=x onerror=alert(1)> {CLEAR}\x07"
        sentences[1]["text"] = "<b>bold</b>"
        data["articles"][1]["path"] = "a`b<i>.txt"
        data["articles"][1]["lang"] = "<u>id</u>"

    md = render_markdown(summarise(read_json(result_with(tmp_path, edit))), show_source=True)
    assert "<script" not in md and "<img" not in md and "<b>" not in md and "<u>" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in md
    assert f"&lt;img src=x onerror=alert(1)&gt; {SHOWN_CLEAR}␇" in md
    assert "\x1b" not in md and "\x07" not in md
    assert "``a`b<i>.txt``" in md  # a code span shows its content literally
    assert "[2] &lt;u&gt;id&lt;/u&gt;" in md


def test_report_command_escapes_html(tmp_path):
    path = result_with(tmp_path, lambda d: d["articles"][0]["sentences"][0].update(english="<script>x</script>"))
    out = tmp_path / "r.md"
    result = invoke("report", path, "-o", out)
    assert result.exit_code == 0, result.output
    assert "&lt;script&gt;x&lt;/script&gt;" in out.read_text(encoding="utf-8")


# ------------------------------------------------------------------ the pager


def fake_pager(tmp_path, name="pager"):
    """A pager that records its arguments, $LESS and what it was given."""
    script = tmp_path / name
    script.write_text(
        "#!/bin/sh\n"
        f'printf "%s\\n" "$0 $*" > "{tmp_path}/argv"\n'
        f'printf "%s\\n" "$LESS" > "{tmp_path}/less-env"\n'
        f'cat > "{tmp_path}/paged"\n'
    )
    script.chmod(0o755)
    return script


def page_the_fixture(tmp_path):
    console = Console(force_terminal=True, width=100, height=20, file=open(os.devnull, "w"))
    show(SummaryView(summarise(read_json(FIXTURE))), console, pager=True)
    return (tmp_path / "paged").read_text(encoding="utf-8")


def test_less_is_the_default_pager_and_gets_R(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_pager(tmp_path, "bin/less")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("PAGER", raising=False)
    monkeypatch.delenv("LESS", raising=False)
    paged = page_the_fixture(tmp_path)
    assert (tmp_path / "argv").read_text().split()[0].endswith("/bin/less")
    assert (tmp_path / "less-env").read_text().strip() == "-FRX"
    assert "\x1b[1m" in paged  # colours, as escape codes for less -R
    assert re.sub(r"\x1b\[[0-9;]*m", "", paged).count("Shared facts (2)") == 1  # rendered once


def test_the_users_LESS_keeps_its_flags_and_gains_R(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGER", f"{fake_pager(tmp_path)} --extra")
    monkeypatch.setenv("LESS", "-i -S")
    page_the_fixture(tmp_path)
    assert (tmp_path / "less-env").read_text().strip() == "-i -S -R"
    assert (tmp_path / "argv").read_text().split()[1:] == ["--extra"]


def test_no_pager_when_the_output_is_not_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGER", str(fake_pager(tmp_path)))
    console = Console(force_terminal=False, width=100, height=20, file=open(os.devnull, "w"))
    show(SummaryView(summarise(read_json(FIXTURE))), console, pager=True)
    assert not (tmp_path / "paged").exists()


if sys.platform == "win32":  # pragma: no cover
    pytestmark = pytest.mark.skip("POSIX pagers and file names")
