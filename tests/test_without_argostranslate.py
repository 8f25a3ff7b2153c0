"""argostranslate is an optional extra (``aligner[argos]``): aligner installs and runs argos
packages with its own code (package format, CTranslate2, SentencePiece or BPE + sacremoses).

The CLI runs in a child process in which argostranslate and the heavy packages only it
pulls in (spacy, stanza, onnxruntime, minisbd) cannot be imported, as after ``pip install aligner``.
"""

import hashlib
import json
import subprocess
import sys

import pytest

from tests.conftest import ID, ROOT, VI
from tests.ct2_fixtures import build_families, once

ONLY_THROUGH_ARGOSTRANSLATE = ("argostranslate", "spacy", "stanza", "onnxruntime", "minisbd")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return once("families", lambda: build_families(tmp_path_factory.mktemp("families")))["argos"]


def aligner_without_argostranslate(*args) -> subprocess.CompletedProcess:
    """``python -m aligner ARGS`` with the packages only argostranslate brings made unimportable."""
    code = (f"import runpy, sys; sys.modules.update(dict.fromkeys({ONLY_THROUGH_ARGOSTRANSLATE!r}));"
            " runpy.run_module('aligner', run_name='__main__', alter_sys=True)")
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True, cwd=ROOT)


def test_argos_packages_install_and_translate_without_argostranslate(tmp_path, built):
    packages_dir = tmp_path / "packages"
    for name in ("vi", "id-bpe"):  # a SentencePiece package and a BPE one
        sha = hashlib.sha256(built[name].read_bytes()).hexdigest()
        done = aligner_without_argostranslate("models", "install", built[name], "--sha256", sha, "--packages-dir", packages_dir)
        assert done.returncode == 0, done.stderr
    assert [p.parent.name for p in packages_dir.glob("*/bpe.model")] == ["translate-id_en-1_9"]
    out = tmp_path / "result.json"
    done = aligner_without_argostranslate("align", VI, ID, "--translator", "argos", "--packages-dir", packages_dir,
                                          "--json", out, "--no-view", "-q", "--cache-dir", tmp_path / "cache")
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    sources = [{s["english_source"] for s in a["sentences"]} for a in data["articles"]]
    assert sources == [{"argos:translate-vi_en-1_0@1.0"}, {"argos:translate-id_en-1_9@1.9"}]
    assert all(s["english"] is not None for a in data["articles"] for s in a["sentences"])


def test_the_block_is_real():
    """The child process above really cannot import argostranslate (else the test proves nothing)."""
    done = aligner_without_argostranslate("--help")
    assert done.returncode == 0
    code = f"import sys; sys.modules.update(dict.fromkeys({ONLY_THROUGH_ARGOSTRANSLATE!r})); import argostranslate"
    blocked = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert blocked.returncode == 1 and blocked.stderr.splitlines()[-1].startswith("ModuleNotFoundError: import of argostranslate halted")
