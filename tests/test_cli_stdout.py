"""Issue 18 item 4, issue 21 item 2: `-` is stdout, `report RESULT` writes to stdout,
the markdown report brings its map as `<stem>.map.svg`, `view --map` draws the map."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from aligner.cli import cli
from aligner.render.html import map_svg, render_html
from aligner.render.markdown import render_markdown
from aligner.render.termmap import map_text
from aligner.result import read_json
from aligner.summary import summarise
from tests import fakes
from tests.conftest import FIXTURE, ID, MEMORY, VI


def invoke(*args, env=None):
    return CliRunner(env=env).invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def summary():
    return summarise(read_json(FIXTURE))


@pytest.fixture
def fake_models(monkeypatch):
    """The real pipeline with the deterministic fake embedders of tests/fakes.py."""
    from aligner.translate import TranslationMemory

    monkeypatch.setattr("aligner.pipeline.build_components",
                        lambda config, cache, say: fakes.components(TranslationMemory.load(MEMORY)))


@pytest.mark.parametrize("args", [(), ("-o", "-")], ids=["no -o", "-o -"])
def test_report_without_a_file_writes_markdown_to_stdout(tmp_path, monkeypatch, summary, args):
    monkeypatch.chdir(tmp_path)
    result = invoke("report", FIXTURE, *args)
    assert result.exit_code == 0, result.output
    assert result.stdout == render_markdown(summary)
    assert result.stderr == ""
    assert list(tmp_path.iterdir()) == []  # no file named '-', no map


def test_report_to_a_markdown_file_writes_the_map_beside_it_and_links_it(tmp_path, summary):
    out = tmp_path / "report.md"
    result = invoke("report", FIXTURE, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"wrote {out}, {tmp_path / 'report.map.svg'}\n"
    assert (tmp_path / "report.map.svg").read_text(encoding="utf-8") == map_svg(summary)
    text = out.read_text(encoding="utf-8")
    assert text == render_markdown(summary, map_file="report.map.svg")
    link = "[![The alignment map: each article's sentences in reading order, one line per link](report.map.svg)](report.map.svg)"
    assert link in text.splitlines()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.map.svg", "report.md"]


def test_the_map_link_of_a_name_with_a_space_is_escaped(tmp_path):
    result = invoke("report", FIXTURE, "-o", tmp_path / "my report.md")
    assert result.exit_code == 0
    assert "(my%20report.map.svg)" in (tmp_path / "my report.md").read_text(encoding="utf-8")
    assert (tmp_path / "my report.map.svg").is_file()


def test_report_html_by_extension_or_format(tmp_path, summary):
    page = render_html(summary)
    out = tmp_path / "r.html"
    result = invoke("report", FIXTURE, "-o", out)
    assert result.exit_code == 0 and result.stderr == f"wrote {out}\n"
    assert out.read_text(encoding="utf-8") == page
    assert page.count("data-link=") == len(summary.result.links)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]  # no map file: the page holds it
    result = invoke("report", FIXTURE, "--format", "html")
    assert result.stdout == page
    result = invoke("report", FIXTURE, "--format", "md", "-o", tmp_path / "r.txt")
    assert (tmp_path / "r.txt").read_text(encoding="utf-8").startswith("# Parallel English summary\n")
    assert (tmp_path / "r.map.svg").is_file()


def test_report_refuses_a_bad_format():
    result = invoke("report", FIXTURE, "--format", "pdf")
    assert result.exit_code == 2
    assert "'pdf' is not one of 'md', 'html'" in result.stderr


def test_align_json_to_stdout_is_the_result(tmp_path, monkeypatch, fake_models):
    monkeypatch.chdir(tmp_path)
    result = invoke("align", VI, ID, "--memory", MEMORY, "--no-glossary", "--json", "-", "-q")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # the view is not printed after it: stdout is the JSON alone
    assert [a["path"] for a in data["articles"]] == [str(VI), str(ID)]
    assert data["articles"][0]["absolute"] == str(VI)
    assert list(tmp_path.iterdir()) == []
    file_run = invoke("align", VI, ID, "--memory", MEMORY, "--no-glossary", "--json", tmp_path / "r.json", "--no-view", "-q")
    assert file_run.exit_code == 0
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["links"] == data["links"]


def test_align_markdown_to_stdout_has_no_map_link(tmp_path, monkeypatch, fake_models):
    monkeypatch.chdir(tmp_path)
    result = invoke("align", VI, ID, "--memory", MEMORY, "--no-glossary", "--markdown", "-", "-q")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Parallel English summary\n")
    assert ".map.svg" not in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_align_markdown_file_brings_its_map_and_says_what_it_wrote(tmp_path, fake_models):
    md = tmp_path / "out.md"
    result = invoke("align", VI, ID, "--memory", MEMORY, "--no-glossary", "--markdown", md, "--no-view")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == f"· wrote {md}, {tmp_path / 'out.map.svg'}"
    assert "(out.map.svg)" in md.read_text(encoding="utf-8")


def test_two_outputs_on_stdout_are_refused_before_any_work(tmp_path, monkeypatch):
    monkeypatch.setattr("aligner.pipeline.run", lambda *a, **k: pytest.fail("the run started"))
    result = invoke("align", VI, ID, "--json", "-", "--markdown", "-")
    assert result.exit_code == 2
    assert result.stderr == "Error: -: only one output can go to stdout\n"


def test_no_view_without_an_output_is_an_error_before_any_work(monkeypatch):
    monkeypatch.setattr("aligner.pipeline.run", lambda *a, **k: pytest.fail("the run started"))
    result = invoke("align", VI, ID, "--no-view")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == ("Error: --no-view without --json or --markdown would throw the result away; "
                             "add --json FILE (--json - for stdout) or drop --no-view\n")


def test_glossary_export_to_stdout(tmp_path):
    g = tmp_path / "g.csv"
    g.write_text("en,vi,id,avoid,case,note\nceasefire,lệnh ngừng bắn,gencatan senjata,,,\n", encoding="utf-8")
    result = invoke("glossary", "export", "--lang", "vi", "-o", "-", "--glossary", g)
    assert result.exit_code == 0
    assert result.stdout == "lệnh ngừng bắn,ceasefire\n"
    assert result.stderr == f"note: 1 pair from {g}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.csv"]


@pytest.mark.parametrize("width", [40, 80])
def test_view_map_is_the_terminal_map_within_the_width(summary, width):
    result = invoke("view", FIXTURE, "--map", env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines == map_text(summary, width)
    assert max(len(line) for line in lines) <= width
    assert lines[0].startswith(" [1]") and lines[-1].endswith("· in no link")


def test_help_shows_examples_and_every_default():
    top = invoke("--help").stdout
    assert "aligner report out/result.json -o report.html" in top
    assert "aligner view out/result.json --map" in top
    text = " ".join(invoke("align", "--help").stdout.split())  # help lines are wrapped
    assert "--json - --no-view -q | jq '.links | length'" in text
    for default in ("[default: 0.7;", "[default: 0.5;", "[default: 2;", "[default: 0.3;", "[default: minilm]",
                    "[default: auto]", "[default: int8]"):
        assert default in text, default
    report = " ".join(invoke("report", "--help").stdout.split())
    assert "[default: -]" in report and "aligner report out/result.json -o report.html" in report
