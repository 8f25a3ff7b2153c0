"""Nothing of the user's is ever destroyed (issue 22): batch outputs, clean-up, signatures that
tell the truth, one-line errors for hostile paths and JSON, bounded work, SIGTERM.

Models are the deterministic fakes of tests/fakes.py; everything else (the batch runner,
the pipeline, files, SQLite) is the real code.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from aligner import files
from aligner.batch import read_manifest, run_batch
from aligner.batch.engines import LocalEngine, align_story
from aligner.cli import cli
from aligner.embed import E5Embedder
from aligner.errors import InputError, PackageError, TranslationError
from aligner.pipeline import AlignConfig, Components, run_articles
from aligner.translate import TranslationMemory
from tests import fakes
from tests.conftest import ROOT

VI = "Bão Yagi đã làm 59 người chết ở miền bắc Việt Nam.\n\nChính phủ đã gửi 500 binh sĩ.\n"
ID = "Topan Yagi menewaskan 59 orang di Vietnam utara.\n\nPemerintah mengirim 500 tentara.\n"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class E5Like(fakes.BagOfWordsEmbedder):
    """The fake embedder under the real E5's identity, so a batch rerun can recognise its results."""

    def __init__(self, sleep: float = 0.0):
        super().__init__()
        real = E5Embedder()
        self.name, self.id, self.version = real.name, real.id, real.version
        self.sleep = sleep

    def encode(self, texts):
        if self.sleep:
            time.sleep(self.sleep)
        return super().encode(texts)


class FakeEngine:
    """The local engine's loop (align_story, the per-story time limit) with fake models."""

    label = "local"

    def __init__(self, slow: set[str] = frozenset(), timeout: float | None = None):
        self.slow, self.timeout, self.ran = slow, timeout, []

    def run(self, template, stories):
        for story in stories:
            self.ran.append(story.id)
            base = fakes.components()
            embedder = E5Like(sleep=60.0 if story.id in self.slow else 0.0)
            yield align_story(template, story, Components(english=None, cross_lingual=embedder, to_english=base.to_english), self.timeout)


def stories(folder: Path, ids=("a", "b")) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for k in ids:
        (folder / f"{k}-vi.txt").write_text(VI, encoding="utf-8")
        (folder / f"{k}-id.txt").write_text(ID.replace("59", str(50 + len(k))) + f"Cerita {k}.\n", encoding="utf-8")
        rows.append({"story": k, "articles": [{"path": f"{k}-vi.txt", "lang": "vi"}, {"path": f"{k}-id.txt", "lang": "id"}]})
    manifest = folder / "manifest.jsonl"
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return manifest


def template(tmp_path: Path, **kw) -> AlignConfig:
    kw = {"translator": "none", "glossary": None, "use_cache": False, **kw}
    return AlignConfig(paths=(), **kw)


def outcomes(report) -> dict:
    return {o.story: (o.status, o.reason) for o in report.outcomes}


# ------------------------------------------------------------------ item 2: batch outputs


def test_batch_never_writes_through_a_symlink_onto_an_input(tmp_path):
    manifest = stories(tmp_path / "in")
    out = tmp_path / "out"
    out.mkdir()
    article = tmp_path / "in" / "a-vi.txt"
    (out / "a.json").symlink_to(article)
    report = run_batch(read_manifest(manifest), out, template(tmp_path), FakeEngine())
    assert outcomes(report) == {
        "a": ("failed", f"{out / 'a.json'}: is a symbolic link to {article}, not a result this batch wrote; "
                        "not written (remove the link to let the batch write there)"),
        "b": ("done", None),
    }
    assert article.read_text(encoding="utf-8") == VI


def test_batch_never_writes_onto_an_input_through_a_hard_link(tmp_path):
    manifest = stories(tmp_path / "in")
    out = tmp_path / "out"
    out.mkdir()
    article = tmp_path / "in" / "a-id.txt"
    before = article.read_bytes()
    os.link(article, out / "a.json")
    report = run_batch(read_manifest(manifest), out, template(tmp_path), FakeEngine(), inputs=[manifest])
    status, reason = outcomes(report)["a"]
    assert (status, reason) == ("failed", f"{out / 'a.json'}: is an input of this run ({article}); choose another output file")
    assert article.read_bytes() == before


def test_a_symlink_to_a_result_the_batch_wrote_is_written_through(tmp_path):
    manifest = stories(tmp_path / "in", ids=("a",))
    out, kept = tmp_path / "out", tmp_path / "kept"
    kept.mkdir()
    run_batch(read_manifest(manifest), kept, template(tmp_path), FakeEngine())
    out.mkdir()
    (out / "a.json").symlink_to(kept / "a.json")
    report = run_batch(read_manifest(manifest), out, template(tmp_path, cross_lingual_weight=0.3), FakeEngine())
    assert outcomes(report) == {"a": ("done", None)}
    assert (out / "a.json").is_symlink()


# ------------------------------------------------------------------ item 3: clean-up


def test_batch_cleanup_removes_only_its_own_temporaries(tmp_path):
    manifest = stories(tmp_path / "in", ids=("s",))
    out = tmp_path / "out"
    out.mkdir()
    mine = {".s.json.swp": b"editor", ".s.json.bak": b"backup", ".s.json.x1y2z3w4": b"mkstemp-like"}
    for name, data in mine.items():
        (out / name).write_bytes(data)
    (out / ".s.json.aligner-tmp-abcd1234").write_bytes(b"half a result")
    run_batch(read_manifest(manifest), out, template(tmp_path), FakeEngine())
    assert sorted(p.name for p in out.iterdir()) == sorted([*mine, ".aligner-batch.lock", "s.json"])
    assert all((out / n).read_bytes() == d for n, d in mine.items())


# ------------------------------------------------------------------ item 5: signatures


def test_the_memory_signature_is_the_hash_of_the_bytes_that_were_used(tmp_path):
    memory = tmp_path / "tm.csv"
    first = "lang,source,english\nvi,Chính phủ đã gửi 500 binh sĩ.,The government sent 500 soldiers.\n".encode()
    memory.write_bytes(first)
    tm = TranslationMemory.load(memory)
    memory.write_bytes(first + "vi,Xin chào.,Hello.\n".encode())  # edited while the run goes on
    assert tm.signature() == {"path": str(memory), "sha256": sha(first)}

    (tmp_path / "vi.txt").write_text(VI, encoding="utf-8")
    (tmp_path / "id.txt").write_text(ID, encoding="utf-8")
    from aligner.ingest import read_article

    docs = [read_article(tmp_path / "vi.txt", "vi"), read_article(tmp_path / "id.txt", "id")]
    base = fakes.components(tm)
    config = AlignConfig(paths=(), translator="none", memory=str(memory), glossary=None, use_cache=False)
    result = run_articles(docs, config, components=Components(base.english, base.cross_lingual, base.to_english,
                                                               inputs={"memory": tm.signature()}))
    assert result.signature["memory"] == {"path": str(memory), "sha256": sha(first)}


def test_the_glossary_signature_is_the_hash_of_the_bytes_that_were_applied(tmp_path):
    glossary = tmp_path / "glossary.csv"
    first = "en,vi,id,avoid,case,note\nsoldiers,binh sĩ,tentara,,,\n".encode()
    glossary.write_bytes(first)
    (tmp_path / "vi.txt").write_text(VI, encoding="utf-8")
    (tmp_path / "id.txt").write_text(ID, encoding="utf-8")
    from aligner.ingest import read_article

    docs = [read_article(tmp_path / "vi.txt", "vi"), read_article(tmp_path / "id.txt", "id")]

    class EditsTheGlossary(fakes.BagOfWordsEmbedder):
        def encode(self, texts):
            glossary.write_bytes(first + "typhoon,bão,topan,,,\n".encode())  # an edit in the middle of the run
            return super().encode(texts)

    base = fakes.components()
    config = AlignConfig(paths=(), translator="none", glossary=str(glossary), use_cache=False)
    result = run_articles(docs, config, components=Components(EditsTheGlossary(), EditsTheGlossary(), base.to_english))
    assert result.signature["glossary"] == {"path": str(glossary), "sha256": sha(first)}


def test_a_model_installed_between_runs_makes_the_batch_recompute(tmp_path):
    manifest = stories(tmp_path / "in", ids=("a",))
    out, models = tmp_path / "out", tmp_path / "models"
    models.mkdir()
    config = template(tmp_path, translator="auto", packages_dir=str(models))
    assert outcomes(run_batch(read_manifest(manifest), out, config, FakeEngine())) == {"a": ("done", None)}
    assert outcomes(run_batch(read_manifest(manifest), out, config, FakeEngine())) == {"a": ("skipped", None)}
    package = models / "translate-vi_en-1_0"
    package.mkdir()
    (package / "metadata.json").write_text(json.dumps({"from_code": "vi", "to_code": "en", "package_version": "1.0"}))
    (package / "sentencepiece.model").write_bytes(b"\0")
    assert outcomes(run_batch(read_manifest(manifest), out, config, FakeEngine())) == {"a": ("done", None)}
    signature = json.loads((out / "a.json").read_text(encoding="utf-8"))["signature"]
    assert [(m["name"], m["version"], len(m["hash"])) for m in signature["models"]] == [("translate-vi_en-1_0", "1.0", 16)]


# ------------------------------------------------------------------ item 6: one line, not a traceback


def test_a_symlink_loop_as_an_article_fails_its_story_only(tmp_path):
    manifest = stories(tmp_path / "in")
    loop = tmp_path / "in" / "a-vi.txt"
    loop.unlink()
    loop.symlink_to(loop)
    report = run_batch(read_manifest(manifest), tmp_path / "out", template(tmp_path), FakeEngine())
    assert outcomes(report) == {"a": ("failed", f"{loop}: a symbolic link loop"), "b": ("done", None)}
    result = CliRunner().invoke(cli, ["align", str(loop), str(tmp_path / "in" / "b-id.txt"), "-q", "--no-view", "--json", str(tmp_path / "r.json")])
    assert (result.exit_code, result.stderr) == (2, f"Error: {loop}: a symbolic link loop\n")


def test_a_nul_byte_in_a_manifest_path_is_one_line(tmp_path):
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(json.dumps({"story": "s", "articles": [{"path": "a\u0000b.txt"}, {"path": "c.txt"}]}) + "\n")
    with pytest.raises(InputError) as e:
        read_manifest(manifest)
    assert str(e.value) == f"{manifest}:1: the path 'a\\x00b.txt' contains a NUL byte"


DEEP = "[" * 100_000 + "]" * 100_000


def test_deeply_nested_json_is_one_line_everywhere(tmp_path):
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(DEEP + "\n")
    with pytest.raises(InputError, match=rf"^{manifest}:1: JSON nested too deeply$"):
        read_manifest(manifest)

    from aligner.translate import installed, packages
    from aligner.translate.families import _config

    models = tmp_path / "models"
    models.mkdir()
    (models / installed.REGISTRY_FILE).write_text(DEEP)
    with pytest.raises(PackageError, match=r"aligner-models.json: JSON nested too deeply$"):
        installed.registered_models(models)

    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text(DEEP)
    with pytest.raises(TranslationError, match=r"config.json: JSON nested too deeply$"):
        _config(model)

    archive = tmp_path / "deep.argosmodel"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("translate-vi_en-1_0/metadata.json", DEEP)
    with pytest.raises(PackageError, match=rf"^{archive}: metadata.json: JSON nested too deeply$"):
        packages.install_file(archive, tmp_path / "pk")
    assert sorted(p.name for p in (tmp_path / "pk").iterdir()) == []


def test_a_memory_cell_over_128_kib_is_one_line(tmp_path):
    memory = tmp_path / "tm.csv"
    memory.write_text("lang,source,english\nvi,x," + "y" * (200 * 1024) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        TranslationMemory.load(memory)
    assert str(e.value) == f"{memory}:2: a cell over 128 KiB (the limit of a memory cell)"


# ------------------------------------------------------------------ item 7: bounded work


def test_a_text_over_the_limit_is_refused_up_front_naming_it(tmp_path):
    from aligner.ingest import MAX_TEXT_CHARS, read_article

    big = tmp_path / "big.txt"
    big.write_text("chữ " * 60_000, encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_article(big, "vi")
    assert MAX_TEXT_CHARS == 200_000
    assert str(e.value) == f"{big}: 240,000 characters of text, over the limit of 200,000 characters an article may have"


def test_e5_input_is_truncated_to_its_window_once():
    from aligner.embed import MAX_TOKENS, truncate_to_window

    e5 = E5Embedder()
    assert e5.version.endswith(";truncate=512")
    long_text = " ".join(f"từ{i}" for i in range(3000))
    e5.encode(["x"])
    count = lambda t: e5._model.token_count(t, False)  # noqa: E731
    cut = truncate_to_window(long_text, count)
    assert count(cut) <= MAX_TOKENS < count(cut + " từ9999")
    assert long_text.startswith(cut)
    import numpy as np

    assert np.allclose(e5.encode([long_text])[0], e5._model.passage([cut])[0])


def test_a_story_over_the_time_limit_fails_and_the_batch_goes_on(tmp_path):
    manifest = stories(tmp_path / "in")
    engine = FakeEngine(slow={"a"}, timeout=0.5)
    report = run_batch(read_manifest(manifest), tmp_path / "out", template(tmp_path), engine)
    assert outcomes(report) == {"a": ("failed", "stopped after 0.5 s, the time limit of a story"), "b": ("done", None)}
    assert LocalEngine().story_timeout == 3600.0


def test_batch_warnings_name_their_story_and_the_summary_goes_to_stderr(tmp_path):
    manifest = stories(tmp_path / "in", ids=("yagi",))
    args = ["batch", str(manifest), "-o", str(tmp_path / "out"), "--translator", "auto", "--no-glossary", "--no-cache",
            "--packages-dir", str(tmp_path / "none"), "-q"]
    # the real models are too slow here: the warning path is the same with any engine
    from aligner.batch import engines

    original = engines.LocalEngine.run
    engines.LocalEngine.run = lambda self, template, todo: FakeEngine().run(template, todo)
    try:
        result = CliRunner().invoke(cli, args)
    finally:
        engines.LocalEngine.run = original
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Warning: yagi: 5 of 5 sentences have no English")
    assert "stories" in result.stderr and "done" in result.stderr


# ------------------------------------------------------------------ item 9: SIGTERM


WRITER = """
import os, signal, sys
from aligner import files
files.handle_termination()
real = os.fsync
def fsync(fd):
    os.kill(os.getpid(), signal.SIGTERM)  # arrives in the middle of the write
    real(fd)
os.fsync = fsync
try:
    files.write_atomically(sys.argv[1], b"x" * 1_000_000)
except files.Terminated:
    sys.exit(143)
sys.exit(0)
"""


def test_sigterm_during_a_write_finishes_it_removes_temporaries_and_exits_143(tmp_path):
    target = tmp_path / "w.json"
    done = subprocess.run([sys.executable, "-c", WRITER, str(target)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 143
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.json"]
    assert target.read_bytes() == b"x" * 1_000_000


@click.command()
def _terminated():
    raise files.Terminated(signal.SIGTERM)


def test_the_cli_exits_143_on_terminated(monkeypatch):
    import aligner.cli.main  # noqa: F401

    monkeypatch.setitem(sys.modules["aligner.cli.main"].COMMANDS, "terminated", ("tests.test_user_data_safety", "_terminated", "test"))
    result = CliRunner().invoke(cli, ["terminated"])
    assert (result.exit_code, result.stderr) == (143, "Terminated.\n")


def test_stale_temporaries_of_the_outputs_are_removed_and_nothing_else(tmp_path):
    old, young = tmp_path / ".r.json.aligner-tmp-abcd1234", tmp_path / ".r.json.aligner-tmp-efgh5678"
    others = [tmp_path / ".r.json.swp", tmp_path / ".other.json.aligner-tmp-abcd1234"]
    for p in (old, young, *others):
        p.write_bytes(b"x")
    two_days_ago = time.time() - 2 * 86400
    for p in (old, others[0], others[1]):
        os.utime(p, (two_days_ago, two_days_ago))
    files.check_outputs([tmp_path / "r.json"])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in (young, *others))


def test_a_dask_worker_sends_its_warnings_back_with_the_story(tmp_path):
    from aligner.batch.engines import run_on_worker

    manifest = stories(tmp_path / "in", ids=("yagi",))
    config = template(tmp_path, translator="auto", packages_dir=str(tmp_path / "none"))
    aligned = run_on_worker(read_manifest(manifest)[0], config)
    assert aligned.error is None
    assert [w.split(" (")[0] for w in aligned.warnings] == ["5 of 5 sentences have no English"]


# ------------------------------------------------------------------ item 7: view and report never read a huge file


def test_an_article_file_is_compared_by_size_before_it_is_hashed(tmp_path):
    import tracemalloc

    from aligner.ingest import MAX_BYTES

    small = tmp_path / "a.txt"
    small.write_text(VI, encoding="utf-8")
    assert files.matches_sha256(small, sha(VI.encode()), MAX_BYTES)
    assert not files.matches_sha256(small, sha(b"other"), MAX_BYTES)
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as fh:
        fh.truncate(3 << 30)  # sparse: 3 GiB that take no disk
    tracemalloc.start()
    try:
        assert not files.matches_sha256(huge, sha(b""), MAX_BYTES)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20


def test_an_article_over_the_sentence_limit_is_refused_before_embedding(tmp_path):
    from aligner.ingest import read_article
    from aligner.pipeline import MAX_SENTENCES

    many = tmp_path / "many.txt"
    many.write_text("".join(f"Câu {i}.\n" for i in range(MAX_SENTENCES + 1)), encoding="utf-8")
    (tmp_path / "id.txt").write_text(ID, encoding="utf-8")
    docs = [read_article(many, "vi"), read_article(tmp_path / "id.txt", "id")]
    embedder = fakes.BagOfWordsEmbedder()
    config = AlignConfig(paths=(), translator="none", glossary=None, use_cache=False)
    with pytest.raises(InputError) as e:
        run_articles(docs, config, components=Components(None, embedder, fakes.components().to_english))
    assert str(e.value) == f"{many}: 5,001 sentences, over the limit of 5,000 sentences an article may have"
    assert embedder.calls == 0
