import os
from pathlib import Path

import pytest

from aligner.data import ntrex_dir

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
# The NTREX-128 dev subset shipped inside the package (aligner/data/ntrex-dev).
NTREX = ntrex_dir()
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
    # the user config folder (a glossary.csv there is found by every run): never the user's own
    monkeypatch.setenv("ALIGNER_CONFIG_DIR", str(tmp_path_factory.getbasetemp() / "no-user-config"))


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
