import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def _shared() -> Path:
    """``../shared`` (read-only data: NTREX dev, seeds) beside the checkout, as in CI; for a
    clone of a local checkout made elsewhere (``git clone . /tmp/x``), beside its origin."""
    beside = ROOT.parent / "shared"
    if beside.is_dir():
        return beside
    try:
        origin = subprocess.run(["git", "-C", str(ROOT), "config", "--get", "remote.origin.url"],
                                capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        origin = ""
    if origin and Path(origin).is_dir() and (Path(origin).resolve().parent / "shared").is_dir():
        return Path(origin).resolve().parent / "shared"
    return beside


SHARED = _shared()
VI = EXAMPLES / "vi-nuclear-ai-statement.txt"
ID = EXAMPLES / "id-arms-talks.txt"
MEMORY = EXAMPLES / "translation-memory.csv"
GLOSSARY = ROOT / "glossary.csv"
# The examples aligned once and frozen (tests/make_fixture.py); the viewer and report
# tests render it, so they never depend on what `make demo` writes or on model builds.
FIXTURE = ROOT / "tests" / "data" / "example-result.json"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Every test gets the same session cache dir, never the user's."""
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
    # argos packages: never the user's own directory
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path_factory.getbasetemp() / "no-argos-packages"))


@pytest.fixture(scope="session")
def example_result(tmp_path_factory):
    """The examples aligned once per session with the real embedder."""
    from aligner.pipeline import AlignConfig, run

    os.environ.setdefault("ARGOS_PACKAGES_DIR", str(tmp_path_factory.getbasetemp() / "no-argos-packages"))
    config = AlignConfig(
        paths=(str(VI), str(ID)),
        memory=str(MEMORY),
        glossary=str(GLOSSARY),
        cache_dir=str(tmp_path_factory.getbasetemp() / "cache"),
    )
    return run(config)
