"""Issue 12, the glossary: formula cells neutralised on export, line breaks refused,
`import` linear in the glossary's size, commands quiet when the reader closes the pipe."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from aligner import glossary as gl
from aligner.cli import cli
from tests.conftest import ROOT

RATIO_BOUND = 8.0  # 4x the rows: linear ~4x, quadratic ~16x


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def big_glossary(path, rows: int) -> None:
    lines = ["en,vi,id,avoid,case,note"] + [f"concept {i},khái niệm {i},konsep {i},,," for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("suffix,delimiter", [(".csv", ","), (".tsv", "\t")])
def test_export_neutralises_cells_a_spreadsheet_would_run(tmp_path, suffix, delimiter):
    g = tmp_path / "glossary.csv"
    g.write_text(
        "en,vi,id,avoid,case,note\n"
        '"=HYPERLINK(""http://x"",""click"")",=1+1,,,,\n'
        "+84 dialling code,+84,,,,\n"
        "-5 degrees,-5 độ,,,,\n"
        "@mention,@người dùng,,,,\n"
        "ceasefire,lệnh ngừng bắn,,,,\n",
        encoding="utf-8",
    )
    out = tmp_path / f"pairs{suffix}"
    result = invoke("glossary", "export", "--lang", "vi", "-o", out, "--glossary", g)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8")), delimiter=delimiter))
    assert rows == [
        ["'=1+1", '\'=HYPERLINK("http://x","click")'],
        ["'+84", "'+84 dialling code"],
        ["'-5 độ", "'-5 degrees"],
        ["'@người dùng", "'@mention"],
        ["lệnh ngừng bắn", "ceasefire"],
    ]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


@pytest.mark.parametrize(
    "args",
    [
        ("add", "cease\nfire", "--vi", "lệnh ngừng bắn"),
        ("add", "ceasefire", "--vi", "lệnh\r\nngừng bắn"),
        ("add", "ceasefire", "--vi", "lệnh ngừng bắn", "--note", "two\nlines"),
        ("edit", "White House", "--avoid", "white\nhouse"),
    ],
    ids=["add-en", "add-variant-crlf", "add-note", "edit-avoid"],
)
def test_a_line_break_in_a_cell_is_refused_and_the_file_is_unchanged(tmp_path, args):
    g = tmp_path / "glossary.csv"
    g.write_text("en,vi,id,avoid,case,note\nWhite House,Nhà Trắng,Gedung Putih,,,\n", encoding="utf-8")
    before = g.read_bytes()
    result = invoke("glossary", *args, "--glossary", g)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and "a glossary cell cannot contain a line break" in result.stderr
    assert g.read_bytes() == before
    assert invoke("glossary", "list", "--glossary", g).stdout.count("\n") == 1


def test_an_imported_pair_with_a_line_break_is_refused(tmp_path):
    g = tmp_path / "glossary.csv"
    g.write_text("en,vi,id,avoid,case,note\n", encoding="utf-8")
    pairs = tmp_path / "pairs.csv"
    pairs.write_text('vi,en\n"lệnh\nngừng bắn",ceasefire\n', encoding="utf-8")
    result = invoke("glossary", "import", pairs, "--lang", "vi", "--glossary", g)
    assert result.exit_code == 2 and "a glossary cell cannot contain a line break" in result.stderr
    assert g.read_text(encoding="utf-8") == "en,vi,id,avoid,case,note\n"


def _import_time(tmp_path, rows: int) -> float:
    """Seconds to import 200 pairs (100 new concepts, 100 new variants) into a glossary of ``rows`` rows."""
    folder = tmp_path / str(rows)
    folder.mkdir(parents=True)
    g = folder / "glossary.csv"
    big_glossary(g, rows)
    pairs = folder / "pairs.tsv"
    new = [f"kata baru {i}\tnew concept {i}" for i in range(100)]
    variants = [f"konsep lain {i}\tconcept {i * 97 % rows}" for i in range(100)]
    pairs.write_text("\n".join(new + variants) + "\n", encoding="utf-8")
    start = time.perf_counter()
    result = invoke("glossary", "import", pairs, "--lang", "id", "--glossary", g)
    elapsed = time.perf_counter() - start
    assert result.exit_code == 0, result.output
    assert result.stdout == f"imported {pairs}: 100 new concepts, 100 new variants\n"
    loaded = gl.load(g)
    assert len(loaded.concept_rows()) == rows + 100
    assert gl.show(loaded, "concept 97").variants["id"] == ("konsep 97", "konsep lain 1")
    return elapsed


def test_import_into_a_37000_row_glossary_is_linear(tmp_path):
    """n and 4n rows in one run: linear work takes about 4 times as long, quadratic 16 times
    (the quadratic import took 246 s at 37,000 rows).  No wall-clock bound."""
    small = min(_import_time(tmp_path / "a", 9_250), _import_time(tmp_path / "b", 9_250))
    large = _import_time(tmp_path, 37_000)
    assert large / small < RATIO_BOUND, f"9,250 rows: {small:.2f} s, 37,000 rows: {large:.2f} s"


def read_one_line_then_close(args):
    """Run aligner, read one line of its output, close the pipe as `| head -1` does."""
    proc = subprocess.Popen([sys.executable, "-m", "aligner", *map(str, args)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()
    stderr = proc.stderr.read().decode("utf-8", "replace")
    proc.wait(timeout=60)
    return first, stderr, proc.returncode


def test_glossary_list_into_a_closed_pipe_is_quiet(tmp_path):
    g = tmp_path / "glossary.csv"
    big_glossary(g, 20_000)  # far more than a pipe holds
    first, stderr, code = read_one_line_then_close(["glossary", "list", "--glossary", g])
    assert first.startswith(b"concept 0\t")
    assert stderr == ""
    assert code in (0, 141)


def test_a_closed_pipe_in_a_shell_pipeline(tmp_path):
    g = tmp_path / "glossary.csv"
    big_glossary(g, 20_000)
    shell = f"set -o pipefail; {sys.executable} -m aligner glossary list --glossary {g} | head -1"
    out = subprocess.run(["bash", "-c", shell], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stdout == "concept 0\tvi: khái niệm 0\tid: konsep 0\n"
    assert out.stderr == ""
    assert out.returncode in (0, 141)
