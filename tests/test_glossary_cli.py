"""Issue 18 item 6, issue 22 item 4: starting a glossary, finding it, the checks that catch a
user's slips, suggestions that are commands valid as written, the lock beside the file."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys

import pytest
from click.testing import CliRunner

from aligner import glossary as gl
from aligner.cli import cli
from aligner.translate import TranslationMemory
from tests import fakes
from tests.conftest import ID, MEMORY, ROOT, VI

HEADER = "en,vi,id,avoid,case,note\n"


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def make(path, body: str = ""):
    path.write_text(HEADER + body, encoding="utf-8")
    return path


@pytest.fixture
def user_config(tmp_path, monkeypatch):
    folder = tmp_path / "config"
    monkeypatch.setenv("ALIGNER_CONFIG_DIR", str(folder))
    return folder


@pytest.fixture
def here(tmp_path, monkeypatch):
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


# ---------------------------------------------------------------- init and lookup


def test_init_starts_a_glossary_here_and_never_replaces_one(here):
    result = invoke("glossary", "init")
    assert result.exit_code == 0 and result.stdout == "created glossary.csv\n"
    assert (here / "glossary.csv").read_text(encoding="utf-8") == HEADER
    (here / "glossary.csv").write_text(HEADER + "ceasefire,lệnh ngừng bắn,,,,\n", encoding="utf-8")
    again = invoke("glossary", "init")
    assert again.exit_code == 2
    assert again.stderr == "Error: glossary.csv: already exists; nothing was changed\n"
    assert "ceasefire" in (here / "glossary.csv").read_text(encoding="utf-8")


def test_init_user_then_every_folder_finds_it(here, user_config):
    result = invoke("glossary", "init", "--user")
    assert result.exit_code == 0 and result.stdout == f"created {user_config / 'glossary.csv'}\n"
    added = invoke("glossary", "add", "ceasefire", "--vi", "lệnh ngừng bắn")
    assert added.exit_code == 0 and added.stdout == f"added 'ceasefire' to {user_config / 'glossary.csv'}\n"
    make(here / "glossary.csv", "embargo,cấm vận,,,,\n")  # ./glossary.csv comes before the user's
    assert invoke("glossary", "list").stdout == "embargo\tvi: cấm vận\n"
    assert invoke("glossary", "list", "--glossary", user_config / "glossary.csv").stdout == "ceasefire\tvi: lệnh ngừng bắn\n"


def test_add_with_no_glossary_anywhere_says_how_to_start_one(here, user_config):
    result = invoke("glossary", "add", "ceasefire", "--vi", "lệnh ngừng bắn")
    assert result.exit_code == 2
    assert result.stderr == (f"Error: no glossary: no ./glossary.csv and none in {user_config}; start one with: "
                             "aligner glossary init (here) or aligner glossary init --user\n")
    assert list(here.iterdir()) == []


def test_add_to_a_named_glossary_that_is_not_there_says_how_to_start_it(here):
    result = invoke("glossary", "add", "ceasefire", "--vi", "lệnh ngừng bắn", "--glossary", "terms/my glossary.csv")
    assert result.stderr == ("Error: terms/my glossary.csv: no such glossary file; start it with: "
                             "aligner glossary init --glossary 'terms/my glossary.csv'\n")
    assert invoke("glossary", "init", "--glossary", "terms/my glossary.csv").exit_code == 0
    assert invoke("glossary", "add", "ceasefire", "--vi", "lệnh ngừng bắn", "--glossary", "terms/my glossary.csv").exit_code == 0


def test_the_lookup_order_is_in_the_help():
    text = " ".join(invoke("glossary", "--help").stdout.split())
    assert "--glossary PATH, else ./glossary.csv, else glossary.csv in the user config folder" in text
    align = " ".join(invoke("align", "--help").stdout.split())
    assert "[default: ./glossary.csv, else glossary.csv in the user config folder" in align


@pytest.mark.parametrize("where,found_in", [("option", "given"), ("here", "current folder"), ("user", "user config folder")])
def test_the_result_signature_records_where_the_glossary_was_found(here, user_config, monkeypatch, where, found_in):
    monkeypatch.setattr("aligner.pipeline.build_components",
                        lambda config, cache, say: fakes.components(TranslationMemory.load(MEMORY)))
    body = "Pentagon,Lầu Năm Góc,Pentagon,,,\n"
    path = {"option": here / "mine.csv", "here": here / "glossary.csv", "user": user_config / "glossary.csv"}[where]
    path.parent.mkdir(exist_ok=True)
    make(path, body)
    extra = ["--glossary", path] if where == "option" else []
    result = invoke("align", VI, ID, "--memory", MEMORY, "--no-cache", "--json", "r.json", "--no-view", "-q", *extra)
    assert result.exit_code == 0, result.output
    from aligner.result import read_json

    signature = read_json(here / "r.json").signature["glossary"]
    assert signature["found_in"] == found_in
    assert os.path.abspath(signature["path"]) == str(path)


# ---------------------------------------------------------------- check


def test_check_flags_empty_variants_an_avoid_form_equal_to_its_term_and_duplicates(tmp_path):
    g = make(tmp_path / "g.csv", (
        "flood,lũ|,banjir,,,\n"
        "ceasefire,lệnh ngừng bắn,gencatan senjata,Ceasefire,,\n"
        "embargo,cấm vận|cấm vận,embargo,,,\n"
        "sanction,lệnh trừng phạt,sanksi,,,\n"
        "sanction,lệnh trừng phạt,sanksi,,,\n"
        "no-first-use,không sử dụng trước,,no first use,,\n"
    ))
    result = invoke("glossary", "check", "--glossary", g)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{g}:2: the 'vi' cell 'lũ|' has an empty variant (nothing before or after a '|')",
        f"{g}:3: avoid form 'Ceasefire' is the term itself ('ceasefire'); it would replace the term with itself",
        f"{g}:4: 'vi' lists 'cấm vận' twice",
        f"{g}:6: exact duplicate of line 5 ('sanction')",
    ]


def test_add_refuses_an_avoid_form_equal_to_the_term_and_leaves_the_file(tmp_path):
    g = make(tmp_path / "g.csv")
    result = invoke("glossary", "add", "ceasefire", "--vi", "lệnh ngừng bắn", "--avoid", "ceasefire", "--glossary", g)
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {g}:2: avoid form 'ceasefire' is the term itself ('ceasefire'); "
                             "it would replace the term with itself\n")
    assert g.read_text(encoding="utf-8") == HEADER


# ---------------------------------------------------------------- edits and plurals


def test_an_edit_that_changes_nothing_says_so_and_writes_nothing(tmp_path):
    g = make(tmp_path / "g.csv", "ceasefire,lệnh ngừng bắn,gencatan senjata,,no,\n")
    before = g.stat().st_mtime_ns, g.read_bytes()
    result = invoke("glossary", "edit", "ceasefire", "--vi", "lệnh ngừng bắn", "--case", "no", "--glossary", g)
    assert result.exit_code == 0
    assert result.stdout == f"'ceasefire' in {g} already has these values; nothing changed\n"
    assert (g.stat().st_mtime_ns, g.read_bytes()) == before
    changed = invoke("glossary", "edit", "ceasefire", "--vi", "ngừng bắn", "--glossary", g)
    assert changed.stdout == f"edited 'ceasefire' in {g}\n"


def test_import_counts_in_the_right_number(tmp_path):
    g = make(tmp_path / "g.csv", "ceasefire,,gencatan senjata,,,\n")
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("lệnh ngừng bắn,ceasefire\ncấm vận,embargo\n", encoding="utf-8")
    result = invoke("glossary", "import", pairs, "--lang", "vi", "--glossary", g)
    assert result.stdout == f"imported {pairs}: 1 new concept, 1 new variant\n"


# ---------------------------------------------------------------- suggest


SHARED = [
    ("Trung Quốc có 600 đầu đạn hạt nhân.", "Tiongkok memiliki 600 hulu ledak nuklir.", "China has 600 nuclear warheads."),
    ("Cuộc họp diễn ra tại Jakarta.", "Pertemuan berlangsung di Jakarta.", "The meeting took place in Jakarta."),
]


def _result_with(tmp_path, first):
    """A real run (fake models, English from a memory) of a Vietnamese and an Indonesian article, saved as JSON.

    ``first``: (vi, id, vi's English, id's English) of the first sentences; two more are the same in both."""
    import csv

    from aligner.pipeline import AlignConfig, run
    from aligner.result import write_json

    vi_text, id_text, vi_en, id_en = first
    rows = [("vi", vi_text, vi_en), ("id", id_text, id_en)]
    rows += [r for v, i, e in SHARED for r in (("vi", v, e), ("id", i, e))]
    vi, id_ = tmp_path / "vi.txt", tmp_path / "id.txt"
    vi.write_text("\n".join([vi_text] + [v for v, _, _ in SHARED]) + "\n", encoding="utf-8")
    id_.write_text("\n".join([id_text] + [i for _, i, _ in SHARED]) + "\n", encoding="utf-8")
    memory = tmp_path / "tm.csv"
    with memory.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([("lang", "source", "english"), *rows])
    config = AlignConfig(paths=(str(vi), str(id_)), langs=("vi", "id"), memory=str(memory), use_cache=False)
    result = run(config, components=fakes.components(TranslationMemory.load(memory)), warn=lambda _m: None)
    assert len(result.links) == 3
    write_json(result, tmp_path / "r.json")
    return tmp_path / "r.json"


def test_suggest_proposes_variants_found_in_the_articles_as_a_valid_command(tmp_path):
    r = _result_with(tmp_path, (
        "Tổng thống Joko Widodo cho biết các cuộc đàm phán sẽ tiếp tục vào thứ Hai.",
        "Presiden Jokowi mengatakan perundingan akan dilanjutkan pada hari Senin.",
        "President Joko Widodo said talks will resume on Monday.",
        "President Jokowi said talks will resume on Monday.",
    ))
    g = make(tmp_path / "my glossary.csv")
    result = invoke("glossary", "suggest", r, "--glossary", g)
    assert result.exit_code == 0, result.output
    line = ("'Joko Widodo' vs 'Jokowi' (vi #1, id #1): aligner glossary add 'Joko Widodo' "
            f"'--variant=vi=Joko Widodo' --variant=id=Jokowi --avoid=Jokowi '--glossary={g}'")
    assert result.stdout.splitlines() == [line]
    command = shlex.split(line.split(": ", 1)[1])
    assert invoke(*command[1:]).exit_code == 0  # valid as written
    assert invoke("glossary", "check", "--glossary", g).exit_code == 0
    assert gl.show(gl.load(g), "Joko Widodo").variants == {"vi": ("Joko Widodo",), "id": ("Jokowi",)}
    assert invoke("glossary", "suggest", r, "--glossary", g).stdout == "no suggestions\n"  # now known


def test_suggest_without_a_glossary_says_to_start_one_first(tmp_path):
    r = _result_with(tmp_path, (
        "Tổng thống Joko Widodo cho biết các cuộc đàm phán sẽ tiếp tục vào thứ Hai.",
        "Presiden Jokowi mengatakan perundingan akan dilanjutkan pada hari Senin.",
        "President Joko Widodo said talks will resume on Monday.",
        "President Jokowi said talks will resume on Monday.",
    ))
    result = invoke("glossary", "suggest", r, "--glossary", tmp_path / "new.csv")
    assert result.stderr == f"note: there is no glossary yet: run aligner glossary init --glossary {tmp_path / 'new.csv'} first\n"
    assert len(result.stdout.splitlines()) == 1


def test_suggest_does_not_propose_english_that_no_article_writes(tmp_path):
    """`senior us` vs `since then us`: phrases of the machine English only; no variant to give, no proposal."""
    r = _result_with(tmp_path, (
        "Kể từ đó, các quan chức Mỹ cho biết Trung Quốc có 600 đầu đạn.",
        "Pejabat senior AS mengatakan Tiongkok memiliki 600 hulu ledak.",
        "Since then US officials said China has 600 warheads.",
        "Senior US officials said China has 600 warheads.",
    ))
    result = invoke("glossary", "suggest", r, "--glossary", make(tmp_path / "g.csv"))
    assert result.exit_code == 0
    assert result.stdout == "no suggestions\n"


# ---------------------------------------------------------------- the lock


def test_the_lock_is_the_glossary_itself_and_leaves_nothing(tmp_path, monkeypatch):
    g = make(tmp_path / "g.csv")
    monkeypatch.setattr("aligner.glossary.file.LOCK_TIMEOUT", 0.2)
    with gl.locked(g):
        assert sorted(p.name for p in tmp_path.iterdir()) == ["g.csv"]
        other = subprocess.run([sys.executable, "-c", LOCK_ONCE, str(g)], capture_output=True, text=True,
                               env={**os.environ, "TMPDIR": str(tmp_path), "PYTHONPATH": str(ROOT)})
        assert other.stdout == f"{g}: another command has been editing this glossary for 0.2 s; nothing was changed\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.csv"]


LOCK_ONCE = """
import sys
import aligner.glossary.file as f
from aligner.errors import GlossaryError
f.LOCK_TIMEOUT = 0.2
try:
    with f.locked(sys.argv[1]):
        print("locked")
except GlossaryError as e:
    print(e)
"""


ADD_MANY = """
import sys
from click.testing import CliRunner
from aligner.cli import cli
path, prefix = sys.argv[1], sys.argv[2]
for i in range(10):
    r = CliRunner().invoke(cli, ["glossary", "add", f"{prefix} {i}", "--vi", f"{prefix}vi{i}", "--glossary", path])
    assert r.exit_code == 0, r.output
"""


def test_processes_with_different_temporary_folders_share_the_lock(tmp_path):
    g = make(tmp_path / "g.csv")
    procs = []
    for name in ("alpha", "beta", "gamma"):
        tmp = tmp_path / f"tmp-{name}"
        tmp.mkdir()
        env = {**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": str(ROOT)}
        procs.append(subprocess.Popen([sys.executable, "-c", ADD_MANY, str(g), name], env=env, cwd=ROOT,
                                      stderr=subprocess.PIPE, text=True))
    for proc in procs:
        assert proc.wait(timeout=300) == 0, proc.stderr.read()
    terms = {c.en for c in gl.load(g).concepts()}
    assert terms == {f"{name} {i}" for name in ("alpha", "beta", "gamma") for i in range(10)}
