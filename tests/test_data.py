"""The NTREX dev subset ships inside the package: a clone or a pip install evaluates on its own."""

import shutil
import subprocess
import sys
import zipfile

from aligner.data import ntrex_dir
from tests.conftest import ROOT

FILES = ["DOCUMENT_IDS.tsv", "LICENSE", "README.md", "eng.txt", "ind.txt", "vie.txt"]


def test_the_shipped_ntrex_folder_is_line_aligned_and_carries_its_licence():
    folder = ntrex_dir()
    assert sorted(p.name for p in folder.iterdir()) == FILES
    counts = {name: len((folder / name).read_text(encoding="utf-8").splitlines())
              for name in ("DOCUMENT_IDS.tsv", "eng.txt", "ind.txt", "vie.txt")}
    assert counts == dict.fromkeys(counts, 956)
    licence = (folder / "LICENSE").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in licence and "https://creativecommons.org/licenses/by-sa/4.0/" in licence
    assert "Federmann, Tom Kocmi, Ying Xin" in licence


def test_a_built_wheel_ships_the_ntrex_folder_and_finds_it_once_installed(tmp_path):
    """Built from a copy of the sources (the checkout gets no build/ folder), offline
    (no build isolation: setuptools comes from the dev extra), installed into a folder
    and asked from another working directory."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "aligner", source / "aligner", ignore=shutil.ignore_patterns("__pycache__"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "wheel"), str(source)],
                   check=True, capture_output=True)
    (wheel,) = (tmp_path / "wheel").glob("aligner-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"aligner/data/ntrex-dev/{name}" for name in FILES} <= names
    # `pip install aligner` does not pull argostranslate (and spacy, stanza, onnxruntime); the extra does
    metadata = zipfile.ZipFile(wheel).read("aligner-0.1.0.dist-info/METADATA").decode()
    assert [line for line in metadata.splitlines() if line.startswith("Requires-Dist: argostranslate")] == [
        'Requires-Dist: argostranslate>=1.9; extra == "argos"', 'Requires-Dist: argostranslate>=1.9; extra == "dev"']

    target = tmp_path / "installed"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = "import aligner.data as d; p = d.ntrex_dir(); print(p); print(len((p / 'vie.txt').read_text().splitlines()))"
    found = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(target)!r}); {probe}"],
                           cwd=elsewhere, check=True, capture_output=True, text=True).stdout
    assert found == f"{target / 'aligner' / 'data' / 'ntrex-dev'}\n956\n"
