"""``aligner models``: installs never remove what they did not create (issue 22 item 1), and the
models messages of issue 18 (each language on its own, "not in the catalog", "no model.bin",
``models list --json``, the size limit of ``models register``)."""

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner.cli import cli
from aligner.translate import installed as registry
from tests.ct2_fixtures import build_families, once
from tests.test_packages_hostile import contents, repack


@pytest.fixture(scope="session")
def fixtures(tmp_path_factory):
    return once("families", lambda: build_families(tmp_path_factory.mktemp("families")))


def models(*args, env=None):
    return CliRunner().invoke(cli, ["models", *[str(a) for a in args]], env=env)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree(directory: Path) -> dict:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------ item 1: what sits at a package's name


def test_a_package_named_like_the_registry_is_refused_and_the_registry_kept(fixtures, tmp_path):
    d = tmp_path / "models"
    assert models("register", fixtures["marian"], "--lang", "vi", "--packages-dir", d).exit_code == 0
    before = tree(d)
    hostile = repack(fixtures["argos"]["vi"], tmp_path / "reg.argosmodel", rename_top="aligner-models.json")
    result = models("install", hostile, "--packages-dir", d)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {hostile}: its folder is named aligner-models.json, the model registry's file name; not installed\n"
    assert tree(d) == before and (d / "aligner-models.json").is_file()
    assert models("list", "--packages-dir", d).exit_code == 0


def test_a_package_named_like_a_registered_model_folder_leaves_the_users_files(fixtures, tmp_path):
    d = tmp_path / "models"
    mine = d / "opus-mt-id-en"
    shutil.copytree(fixtures["marian"], mine)
    (mine / "my-notes.txt").write_text("mine\n")
    assert models("register", mine, "--lang", "id", "--packages-dir", d).exit_code == 0
    before = tree(mine)
    hostile = repack(fixtures["argos"]["id"], tmp_path / "opus.argosmodel", rename_top="opus-mt-id-en")
    result = models("install", hostile, "--packages-dir", d)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {hostile}: its folder opus-mt-id-en is the registered model opus-mt-id-en ({mine}); not installed\n"
    assert tree(mine) == before


def test_a_folder_that_is_not_a_package_is_never_replaced(fixtures, tmp_path):
    d = tmp_path / "models"
    folder = d / "translate-vi_en-1_0"
    folder.mkdir(parents=True)
    (folder / "thesis.tex").write_text("years of work\n")
    top = repack(fixtures["argos"]["vi"], tmp_path / "p.argosmodel", rename_top="translate-vi_en-1_0")
    for extra in ((), ("--replace",)):
        result = models("install", top, *extra, "--packages-dir", d)
        assert result.stderr == f"Error: {top}: {folder} exists and is not an installed package; not installed (nothing was changed)\n"
    assert (folder / "thesis.tex").read_text() == "years of work\n"
    assert contents(d) == ["translate-vi_en-1_0", "translate-vi_en-1_0/thesis.tex"]


def test_replacing_an_installed_package_needs_replace_and_says_what_it_replaces(fixtures, tmp_path):
    d = tmp_path / "models"
    package = fixtures["argos"]["vi"]
    first = models("install", package, "--packages-dir", d)
    assert first.exit_code == 0, first.output
    name = first.stdout.split()[1]
    before = tree(d)
    again = models("install", package, "--packages-dir", d)
    assert again.exit_code == 2
    assert again.stderr == f"Error: {package}: {name} is already installed (version 1.0); nothing was changed; add --replace to replace it\n"
    assert tree(d) == before
    replaced = models("install", package, "--replace", "--packages-dir", d)
    assert replaced.exit_code == 0
    assert replaced.stderr == f"replaced {name} (version 1.0)\n"
    assert replaced.stdout == f"installed {name} (vi->en, version 1.0) in {d}\n"
    assert tree(d) == before


# ------------------------------------------------------------------ issue 18: models messages


def test_each_language_is_installed_on_its_own(fixtures, tmp_path):
    d = tmp_path / "models"
    result = models("install", "id", fixtures["argos"]["vi"], "--packages-dir", d)
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: no verified download for id->en in the catalog: --allow-unverified installs argos-id_en-1.9 "
        "(no published checksum); or convert opus-mt-id-en (Apache-2.0) and register it: aligner models register DIR --lang id\n"
    )
    assert result.stdout.startswith("installed ") and "(vi->en, version 1.0)" in result.stdout


def test_a_language_missing_from_the_shipped_catalog_says_so_offline(tmp_path):
    result = models("install", "fr", "--packages-dir", tmp_path / "models")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: fr is not in the catalog (aligner models list --available shows what is); "
        "for an argos package index: aligner models install fr --index URL\n"
    )


def test_the_shipped_catalog_cites_no_issue_numbers():
    text = (Path(registry.__file__).parent / "catalog.json").read_text(encoding="utf-8")
    assert "issue 10" not in text


def test_register_without_model_bin_says_convert_first(tmp_path):
    folder = tmp_path / "hf-model"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    result = models("register", folder, "--lang", "vi", "--packages-dir", tmp_path / "models")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {folder}: no model.bin, so not a converted CTranslate2 model; convert it first "
        "(ct2-transformers-converter --model NAME --output_dir DIR, see aligner models list --available)\n"
    )


def test_register_refuses_a_model_over_the_size_limit_unless_told(fixtures, tmp_path):
    d = tmp_path / "models"
    model = tmp_path / "big"
    shutil.copytree(fixtures["marian"], model)
    result = models("register", model, "--lang", "vi", "--max-bytes", 1000, "--packages-dir", d)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {model}: the model's files add up to more than 1,000 bytes (the limit); give a larger limit or none "
        "to register it anyway (--max-bytes N or --no-size-limit)\n"
    )
    assert not (d / registry.REGISTRY_FILE).exists()
    assert models("register", model, "--lang", "vi", "--no-size-limit", "--packages-dir", d).exit_code == 0
    assert registry.MAX_MODEL_BYTES == 32 << 30


def test_register_counts_a_symlinked_file_at_its_targets_size(fixtures, tmp_path):
    model = tmp_path / "linked"
    shutil.copytree(fixtures["marian"], model)
    huge = tmp_path / "huge.bin"
    with open(huge, "wb") as fh:
        fh.truncate(5000)  # sparse: the limit is checked on sizes, before any byte is read
    (model / "extra.bin").symlink_to(huge)
    size = sum(p.stat().st_size for p in fixtures["marian"].rglob("*") if p.is_file())
    result = models("register", model, "--lang", "vi", "--max-bytes", size + 4000, "--packages-dir", tmp_path / "m")
    assert "more than" in result.stderr and result.exit_code == 2


def test_models_list_json(fixtures, tmp_path):
    d = tmp_path / "models"
    assert models("install", fixtures["argos"]["vi"], "--packages-dir", d).exit_code == 0
    assert models("register", fixtures["marian"], "--lang", "id", "--name", "opus-id", "--packages-dir", d).exit_code == 0
    result = models("list", "--json", "--packages-dir", d)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["packages_dir"] == str(d)
    assert [(m["name"], m["kind"], m["langs"], m["used"]) for m in data["models"]] == [
        ("opus-id", "ct2", ["id"], True), (data["models"][1]["name"], "argos", ["vi"], True)
    ]
    catalog = json.loads(models("list", "--available", "--json").stdout)
    assert catalog[0]["name"] == "argos-vi_en-1.9"
