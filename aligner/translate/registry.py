"""The registry of converted CTranslate2 models (``aligner-models.json`` in the models directory):
its file name and its reader.

Public surface: :data:`REGISTRY_FILE`, :func:`registry_path`, :func:`read_registry`, :func:`registered_models`,
:func:`as_model`, :data:`REGISTERABLE`, :data:`NAME_PATTERN`, :data:`LANG_PATTERN`.

Below both :mod:`aligner.translate.packages` (which refuses to install a package over the
registry or a registered model) and :mod:`aligner.translate.installed` (which registers),
so neither imports the other to read it.
"""

from __future__ import annotations

import re
from pathlib import Path

from aligner.errors import PackageError
from aligner.files import read_json
from aligner.translate.packagedir import InstalledModel

REGISTRY_FILE = "aligner-models.json"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
LANG_PATTERN = re.compile(r"^[a-z]{2,3}$")
REGISTERABLE = ("marian", "m2m100", "nllb", "t5", "argos-sentencepiece", "argos-bpe")


def registry_path(models_dir: Path) -> Path:
    return Path(models_dir) / REGISTRY_FILE


def read_registry(models_dir: Path) -> list[dict]:
    path = registry_path(models_dir)
    if not path.exists():
        return []
    if not path.is_file():
        raise PackageError(f"{path}: the model registry is not a file; move it aside and register the models again")
    data = read_json(path, PackageError, "model registry", max_bytes=16 << 20)
    if not isinstance(data, list) or not all(_valid_record(r) for r in data):
        raise PackageError(f"{path}: malformed model registry; remove it and register the models again")
    return data


def _valid_record(r: object) -> bool:
    return (
        isinstance(r, dict)
        and isinstance(r.get("name"), str) and bool(NAME_PATTERN.match(r["name"]))
        and isinstance(r.get("langs"), list) and bool(r["langs"])
        and all(isinstance(x, str) and LANG_PATTERN.match(x) for x in r["langs"])
        and r.get("family") in REGISTERABLE
        and isinstance(r.get("path"), str)
        and isinstance(r.get("version"), str) and bool(NAME_PATTERN.match(r["version"]))
        and isinstance(r.get("fingerprint"), list)
    )


def as_model(r: dict) -> InstalledModel:
    return InstalledModel(kind="ct2", name=r["name"], langs=tuple(r["langs"]), family=r["family"], path=Path(r["path"]), version=r["version"])


def registered_models(models_dir: Path) -> list[InstalledModel]:
    return [as_model(r) for r in read_registry(models_dir)]
