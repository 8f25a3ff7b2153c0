"""One test per bug listed in issue 11; each failed before its fix."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner import glossary as gl
from aligner.cli import cli
from aligner.errors import GlossaryError
from aligner.facts import numbers
from tests import fakes

HEADER = "en,vi,id,avoid,case,note\n"


def test_thousands_separators_come_from_cldr():
    assert numbers("Malaysia menghantar 1,000 anggota tentera", "ms") == ("1000",)
    assert numbers("Indonesia mengirim 1.000 tentara dan 2,5 ton", "id") == ("1000", "2.5")
    assert numbers("1,000 troops and 2.5 tonnes", "en") == ("1000", "2.5")


def test_post_editing_replaces_the_plural_of_an_avoided_form_too():
    g = gl.parse(HEADER + "nuclear warhead,đầu đạn hạt nhân,,nuclear head,no,\n")
    english, hits = gl.apply(gl.Matcher.from_glossary(g), "vi", "các đầu đạn hạt nhân", "the nuclear heads and a nuclear head", rewrite=True)
    assert english == "the nuclear warheads and a nuclear warhead"
    assert hits[0].status == "post-edited"
    assert hits[0].changed == ("nuclear heads -> nuclear warheads", "nuclear head -> nuclear warhead")


@pytest.mark.parametrize(
    "option",
    [["--cross-lingual-weight", "3"], ["--cross-lingual-weight", "-2"], ["--cross-lingual-weight", "nan"],
     ["--threshold", "inf"], ["--beam-size", "0"], ["--threads", "-1"]],
)
def test_numeric_options_have_ranges(option, tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("One.\n"), b.write_text("Two.\n")
    result = CliRunner().invoke(cli, ["align", str(a), str(b), *option])
    assert result.exit_code == 2
    assert "Invalid value for" in result.stderr and option[0] in result.stderr


def test_the_library_refuses_out_of_range_settings_too():
    from aligner.align import AlignParams
    from aligner.errors import InputError
    from aligner.pipeline import AlignConfig

    with pytest.raises(InputError, match="outside 0..1"):
        AlignConfig(paths=(), cross_lingual_weight=3)
    with pytest.raises(InputError, match="not a finite number"):
        AlignParams(threshold=float("nan"))


def test_view_finds_the_sources_from_any_folder(tmp_path, monkeypatch):
    from aligner.ingest import read_article
    from aligner.pipeline import AlignConfig, run_articles
    from aligner.result import write_json

    src = tmp_path / "articles"
    src.mkdir()
    for name, text in (("a.txt", "The Pentagon counted 500 warheads.\n"), ("b.txt", "The Pentagon says 500 warheads.\n")):
        (src / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(src)
    docs = [read_article("a.txt", "en"), read_article("b.txt", "en")]
    result = run_articles(docs, AlignConfig(paths=(), use_cache=False), components=fakes.components())
    (tmp_path / "out").mkdir()
    write_json(result, tmp_path / "out" / "r.json")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    run = CliRunner().invoke(cli, ["view", str(tmp_path / "out" / "r.json"), "--no-pager"])
    assert run.exit_code == 0
    assert "no longer exists" not in run.stderr and "has changed" not in run.stderr
    import json

    data = json.loads((tmp_path / "out" / "r.json").read_text(encoding="utf-8"))
    assert [a["relative"] for a in data["articles"]] == ["../articles/a.txt", "../articles/b.txt"]


def test_glossary_edits_leave_no_lock_file_beside_the_glossary(tmp_path):
    p = tmp_path / "g.csv"
    p.write_text(HEADER + "Pentagon,Lầu Năm Góc,,,no,\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["glossary", "add", "Beijing", "--vi", "Bắc Kinh", "--glossary", str(p)])
    assert result.exit_code == 0, result.output
    assert sorted(x.name for x in tmp_path.iterdir()) == ["g.csv"]


def test_glossary_edits_keep_blank_lines(tmp_path):
    p = tmp_path / "g.csv"
    body = HEADER + "Pentagon,Lầu Năm Góc,,,no,\n\nChina,Trung Quốc,,,no,\n\n"
    p.write_text(body, encoding="utf-8")
    assert CliRunner().invoke(cli, ["glossary", "add", "Beijing", "--vi", "Bắc Kinh", "--glossary", str(p)]).exit_code == 0
    assert p.read_text(encoding="utf-8") == body + "Beijing,Bắc Kinh,,,no,\n"


def test_an_unrelated_bad_row_does_not_block_an_edit(tmp_path):
    p = tmp_path / "g.csv"
    p.write_text(HEADER + "orphan,,,,no,\nPentagon,Lầu Năm Góc,,,no,\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["glossary", "add", "Beijing", "--vi", "Bắc Kinh", "--glossary", str(p)])
    assert result.exit_code == 0, result.output
    # a problem the edit itself makes is still refused, with the new row's line
    result = CliRunner().invoke(cli, ["glossary", "add", "Peking", "--vi", "Bắc Kinh", "--glossary", str(p)])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {p}:5: vi variant 'Bắc Kinh' also belongs to 'beijing' (line 4)\n"


def test_error_lines_count_blank_lines_and_import_rows(tmp_path):
    p = tmp_path / "g.csv"
    p.write_text(HEADER + "\n\nPentagon,Lầu Năm Góc,,,maybe,\n", encoding="utf-8")
    assert [x.message for x in gl.check(gl.load(p))] == [f"{p}:4: 'case' must be yes or no, found 'maybe'"]
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("vi,en\nBắc Kinh,Beijing\n,oops\n", encoding="utf-8")
    g = gl.load(p)
    with pytest.raises(GlossaryError, match=rf"{pairs}:3: expected two"):
        gl.import_pairs(g, pairs, "vi")


def test_the_pager_gets_the_view_rendered_once(tmp_path, monkeypatch):
    from rich.console import Console

    from aligner.render.terminal import show

    class Counting:
        renders = 0

        def __rich__(self):
            Counting.renders += 1
            return "\n".join(f"line {i}" for i in range(100))

    record = tmp_path / "pager-args"
    pager = tmp_path / "pager.sh"
    pager.write_text(f'#!/bin/sh\necho "$LESS" > {record}\ncat > {tmp_path / "paged"}\n')
    pager.chmod(0o755)
    monkeypatch.setenv("PAGER", str(pager))
    monkeypatch.delenv("LESS", raising=False)
    console = Console(force_terminal=True, width=40, height=20, file=open(os.devnull, "w"))
    show(Counting(), console, pager=True)
    assert Counting.renders == 1
    assert record.read_text().strip() == "-FRX"
    assert "\x1b[" in (tmp_path / "paged").read_text()  # colours reach the pager as escape codes, for less -R


glossary_cell = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12).filter(lambda s: "|" not in s)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(glossary_cell, glossary_cell, st.booleans()), max_size=6))
def test_a_parsed_glossary_writes_back_byte_identical(rows):
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["en", "vi", "case"])
    for en, vi, blank_after in rows:
        writer.writerow([en, vi, "no"])
        if blank_after:
            out.write("\n")
    text = out.getvalue()
    assert gl.parse(text).serialise() == text
