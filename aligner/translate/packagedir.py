"""The models directory as argostranslate lays it out: its settings, the installed packages, their metadata.

Public surface: :class:`ArgosSettings`, :class:`InstalledModel`, :func:`argos_settings`,
:func:`validate_metadata`, :func:`installed_packages`, :func:`find_package`, :func:`remove`.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from aligner.errors import PackageError
from aligner.files import read_json

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"


@dataclass(frozen=True)
class ArgosSettings:
    packages_dir: Path
    index_url: str


@dataclass(frozen=True)
class InstalledModel:
    """A translation model into English that aligner can use: an argos package or a registered CTranslate2 model."""

    kind: str  # "argos" | "ct2"
    name: str  # e.g. translate-vi_en-1_9, opus-mt-id-en
    langs: tuple[str, ...]  # source languages
    family: str  # a name in aligner.translate.families
    path: Path
    version: str
    target_prefix: str = ""
    size: int = 0

    @property
    def label(self) -> str:
        """What each translated sentence records as its English source."""
        return f"{self.kind}:{self.name}@{self.version}"

    @property
    def from_code(self) -> str:
        return self.langs[0]


def argos_settings(environ: dict[str, str] | None = None) -> ArgosSettings:
    """Where argostranslate keeps packages and which index it reads, as it computes them."""
    env = os.environ if environ is None else environ
    home = Path(env.get("HOME", str(Path.home())))
    config_file = Path(env.get("XDG_CONFIG_HOME", home / ".config")) / "argos-translate" / "settings.json"
    from_file: dict = {}
    if config_file.is_file():
        try:
            loaded = read_json(config_file, PackageError, "settings file", max_bytes=1 << 20)
            from_file = loaded if isinstance(loaded, dict) else {}
        except PackageError:
            from_file = {}

    def setting(name: str, default: str) -> str:
        value = env.get(name) or from_file.get(name)
        return value if isinstance(value, str) and value else default

    data_dir = Path(env.get("XDG_DATA_HOME", home / ".local" / "share")) / "argos-translate"
    return ArgosSettings(
        packages_dir=Path(setting("ARGOS_PACKAGES_DIR", str(data_dir / "packages"))),
        index_url=setting("ARGOS_PACKAGE_INDEX", DEFAULT_INDEX),
    )


# ------------------------------------------------------------------ metadata

_CODE = re.compile(r"^[a-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})?$")
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+_-]{0,31}$")
_FOLDER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _no_control_characters(value, where: str) -> None:
    if isinstance(value, str):
        if _CONTROL.search(value):
            raise PackageError(f"{where}: metadata contains control characters")
    elif isinstance(value, dict):
        for k, v in value.items():
            _no_control_characters(k, where)
            _no_control_characters(v, where)
    elif isinstance(value, list):
        for v in value:
            _no_control_characters(v, where)


def validate_metadata(data: object, label: str) -> dict:
    """The fields aligner uses, checked by type and form; PackageError otherwise."""
    if not isinstance(data, dict):
        raise PackageError(f"{label}: metadata.json is not a JSON object")
    _no_control_characters(data, label)
    out = {}
    for field, pattern, required in (("from_code", _CODE, True), ("to_code", _CODE, True), ("package_version", _VERSION, False)):
        value = data.get(field)
        if value is None and not required:
            out[field] = ""
            continue
        if not isinstance(value, str):
            raise PackageError(f"{label}: metadata '{field}' must be a string, not {type(value).__name__}")
        if not pattern.match(value):
            raise PackageError(f"{label}: metadata '{field}' has an unexpected form: {value[:40]!r}")
        out[field] = value
    prefix = data.get("target_prefix") or ""
    if not isinstance(prefix, str) or len(prefix) > 64:
        raise PackageError(f"{label}: metadata 'target_prefix' must be a short string")
    out["target_prefix"] = prefix
    return out


def _tokenizer_family(names: set[str] | list[str], top: str = "") -> str | None:
    base = f"{top}/" if top else ""
    if f"{base}sentencepiece.model" in names:
        return "argos-sentencepiece"
    if f"{base}bpe.model" in names:
        return "argos-bpe"
    return None


def _describe(folder: Path) -> tuple[InstalledModel, str]:
    """The package in ``folder`` and the language it translates into."""
    label = str(folder)
    meta_file = folder / "metadata.json"
    raw = read_json(meta_file, PackageError, "metadata file", max_bytes=1 << 20)
    meta = validate_metadata(raw, label)
    family = _tokenizer_family({p.name for p in folder.iterdir()})
    if family is None:
        raise PackageError(f"{folder}: no tokenizer (sentencepiece.model or bpe.model)")
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    return InstalledModel(
        kind="argos",
        name=folder.name,
        langs=(meta["from_code"],),
        family=family,
        path=folder,
        version=meta["package_version"],
        target_prefix=meta["target_prefix"],
        size=size,
    ), meta["to_code"]


def installed_packages(packages_dir: Path, *, skipped: list[str] | None = None) -> list[InstalledModel]:
    """Argos packages into English in ``packages_dir``; unusable folders are named in ``skipped``."""
    packages_dir = Path(packages_dir)
    if not packages_dir.is_dir():
        return []
    out = []
    for folder in sorted(packages_dir.iterdir()):
        if folder.is_dir() and not folder.name.startswith(".") and (folder / "metadata.json").is_file():
            try:
                model, to_code = _describe(folder)
            except PackageError as e:
                if skipped is not None:
                    skipped.append(str(e))
                continue
            if to_code == "en":
                out.append(model)
    return out


def find_package(packages_dir: Path, from_code: str) -> InstalledModel | None:
    return next((p for p in installed_packages(Path(packages_dir)) if from_code in p.langs), None)



def remove(packages_dir: Path, name_or_lang: str) -> InstalledModel:
    """Remove an installed package by folder name (``translate-vi_en``) or source language (``vi``)."""
    for pkg in installed_packages(Path(packages_dir)):
        if name_or_lang == pkg.name or name_or_lang in pkg.langs:
            trash = Path(tempfile.mkdtemp(prefix=".removing-", dir=packages_dir))
            os.rename(pkg.path, trash / pkg.name)
            shutil.rmtree(trash, ignore_errors=True)
            return pkg
    raise PackageError(f"{packages_dir}: no installed package '{name_or_lang}'")
