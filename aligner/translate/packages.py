"""Argos translation packages: find, download, verify, unpack and install -- safely and offline.

Public surface: :func:`argos_settings`, :func:`installed_packages`,
:func:`find_package`, :func:`install_file`, :func:`install_url`,
:func:`install_from_index`, :func:`install_catalog_entry`, :func:`remove`,
:func:`read_index`, :class:`InstalledModel`, :class:`Limits`.

aligner uses argostranslate's package format (a zip of one folder with
``metadata.json``, ``model/`` for CTranslate2 and ``sentencepiece.model`` or
``bpe.model``), its package directory and its index setting
(``ARGOS_PACKAGES_DIR``, ``ARGOS_PACKAGE_INDEX``, from the environment or
argos' ``settings.json``), so packages installed by either tool are seen by
both.  It does not import ``argostranslate`` for that: importing it creates
directories as a side effect.

Nothing from the network or a package file is trusted:

* only ``http(s)`` URLs, for index links, downloads and redirects;
* a download stops at a size limit (the catalog's exact size when known) and
  its size and SHA-256 are checked before anything is unpacked;
* the archive's entries are checked before extraction (one top folder, no
  absolute paths, ``..``, links or special files, at most ``Limits.files``
  entries and ``Limits.unpacked_bytes`` in total, room on the disk), and the
  extraction itself counts bytes;
* ``metadata.json`` is read from the archive and validated by type before
  anything is written;
* the model is checked (a real CTranslate2 file whose vocabulary fits it)
  in a staging folder, which is then renamed into place: a failure at any
  step leaves the packages directory as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from aligner.errors import PackageError
from aligner.translate.download import Progress, check_url, download, fetch_bytes

__all__ = [  # check_url and download are re-exported for callers of this module
    "DEFAULT_INDEX", "ArgosSettings", "Expected", "InstalledModel", "Limits", "argos_settings", "check_url", "download",
    "find_package", "install_catalog_entry", "install_file", "install_from_index", "install_url", "installed_packages",
    "read_index", "remove", "sha256_of", "validate_metadata", "verify_file",
]

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
INDEX_FILE = "index.json"
CHUNK = 1 << 16
GiB = 1 << 30

Warn = Callable[[str], None]


@dataclass(frozen=True)
class Limits:
    """What an install accepts; a package over a limit is refused before it fills the disk."""

    download_bytes: int = 2 * GiB  # real argos packages are 60-400 MB
    unpacked_bytes: int = 4 * GiB
    files: int = 10_000
    index_bytes: int = 16 << 20
    metadata_bytes: int = 1 << 20


DEFAULT_LIMITS = Limits()


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
            loaded = json.loads(config_file.read_text(encoding="utf-8"))
            from_file = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
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
    try:
        raw = json.loads(meta_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise PackageError(f"{meta_file}: unreadable metadata ({e})") from None
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


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ------------------------------------------------------------------ install


@dataclass(frozen=True)
class Expected:
    """What a package file must be: from the catalog, or ``--sha256``."""

    sha256: str | None = None
    size: int | None = None
    source: str = ""  # e.g. "the catalog entry argos-vi_en-1.9"


def verify_file(path: Path, expected: Expected, label: str) -> None:
    """Size and SHA-256 against what was expected, before anything is unpacked."""
    size = path.stat().st_size
    if expected.size is not None and size != expected.size:
        raise PackageError(f"{label}: size {size} bytes differs from {expected.size} ({expected.source or 'expected'})")
    if expected.sha256:
        got = sha256_of(path)
        if got != expected.sha256.lower():
            raise PackageError(f"{label}: SHA-256 mismatch (expected {expected.sha256.lower()}, got {got})")


def install_file(
    path: str | Path,
    packages_dir: Path,
    *,
    sha256: str | None = None,
    expected: Expected | None = None,
    expect_from: str | None = None,
    label: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> InstalledModel:
    """Install a ``.argosmodel`` file into ``packages_dir`` atomically."""
    path = Path(path)
    label = label or str(path)
    expected = expected or Expected(sha256=sha256)
    if not path.is_file():
        raise PackageError(f"{label}: no such file")
    verify_file(path, expected, label)
    if not zipfile.is_zipfile(path):
        raise PackageError(f"{label}: not a zip archive (an .argosmodel is a zip)")
    packages_dir = Path(packages_dir)
    packages_dir.mkdir(parents=True, exist_ok=True)
    try:
        with zipfile.ZipFile(path) as zf:
            return _install_archive(zf, packages_dir, label, expect_from, limits)
    except zipfile.BadZipFile as e:
        raise PackageError(f"{label}: corrupt archive ({e})") from None


def _install_archive(zf: zipfile.ZipFile, packages_dir: Path, label: str, expect_from: str | None, limits: Limits) -> InstalledModel:
    top, total = _check_members(zf, label, limits)
    meta = _read_archive_metadata(zf, top, label, limits)
    if meta["to_code"] != "en":
        raise PackageError(f"{label}: translates {meta['from_code']}->{meta['to_code']}, aligner needs a package into English")
    if expect_from and meta["from_code"] != expect_from:
        raise PackageError(f"{label}: translates {meta['from_code']}->{meta['to_code']}, expected {expect_from}->en")
    names = set(zf.namelist())
    if f"{top}/model/model.bin" not in names:
        raise PackageError(f"{label}: no CTranslate2 model (model/model.bin) in the package")
    family = _tokenizer_family(names, top)
    if family is None:
        raise PackageError(f"{label}: no tokenizer (sentencepiece.model or bpe.model) in the package")
    free = shutil.disk_usage(packages_dir).free
    if total > free:
        raise PackageError(f"{label}: unpacks to {total / 1e6:.0f} MB but {packages_dir} has {free / 1e6:.0f} MB free")
    tmp = Path(tempfile.mkdtemp(prefix=".installing-", dir=packages_dir))
    try:
        _extract(zf, tmp, label, limits)
        staged = tmp / top
        from aligner.translate.families import family as family_class

        family_class(family).check(staged, (meta["from_code"],), label)
        target = packages_dir / top
        _swap_into_place(staged, target, packages_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    model, _ = _describe(target)
    return model


def _check_members(zf: zipfile.ZipFile, label: str, limits: Limits) -> tuple[str, int]:
    """The single top folder and total unpacked size; refuse entries that would be unsafe or too big."""
    infos = zf.infolist()
    if not infos:
        raise PackageError(f"{label}: empty archive")
    if len(infos) > limits.files:
        raise PackageError(f"{label}: {len(infos)} entries, more than the limit of {limits.files}")
    tops, seen, total = set(), set(), 0
    for info in infos:
        name = info.filename
        if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
            raise PackageError(f"{label}: entry '{name}' has an absolute path")
        parts = name.replace("\\", "/").split("/")
        if ".." in parts:
            raise PackageError(f"{label}: entry '{name}' points outside the package folder")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise PackageError(f"{label}: entry '{name}' is a symbolic link")
        if stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise PackageError(f"{label}: entry '{name}' is not a regular file")
        if info.flag_bits & 0x1:
            raise PackageError(f"{label}: entry '{name}' is encrypted")
        if name in seen:
            raise PackageError(f"{label}: entry '{name}' appears twice")
        seen.add(name)
        total += info.file_size
        tops.add(parts[0])
    if total > limits.unpacked_bytes:
        raise PackageError(f"{label}: unpacks to {total} bytes, more than the limit of {limits.unpacked_bytes}")
    if len(tops) != 1:
        raise PackageError(f"{label}: expected one top-level folder, found {len(tops)}")
    top = tops.pop()
    if not _FOLDER.match(top):
        raise PackageError(f"{label}: bad top-level folder name {top[:40]!r}")
    if f"{top}/metadata.json" not in seen:
        raise PackageError(f"{label}: no metadata.json in {top}/")
    return top, total


def _read_archive_metadata(zf: zipfile.ZipFile, top: str, label: str, limits: Limits) -> dict:
    info = zf.getinfo(f"{top}/metadata.json")
    if info.file_size > limits.metadata_bytes:
        raise PackageError(f"{label}: metadata.json is {info.file_size} bytes, more than {limits.metadata_bytes}")
    try:
        data = json.loads(zf.read(info).decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        raise PackageError(f"{label}: metadata.json is not valid JSON ({e})") from None
    return validate_metadata(data, label)


def _extract(zf: zipfile.ZipFile, dest: Path, label: str, limits: Limits) -> None:
    """Extract entry by entry, counting the bytes really written."""
    written = 0
    try:
        for info in zf.infolist():
            target = dest / info.filename
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            left = info.file_size
            with zf.open(info) as src, open(target, "xb") as out:
                while chunk := src.read(CHUNK):
                    left -= len(chunk)
                    written += len(chunk)
                    if left < 0 or written > limits.unpacked_bytes:
                        raise PackageError(f"{label}: entry '{info.filename}' unpacks to more than it declares")
                    out.write(chunk)
    except OSError as e:
        raise PackageError(f"{label}: extraction failed ({e.strerror or e})") from None
    except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError) as e:
        raise PackageError(f"{label}: corrupt archive ({e})") from None


def _swap_into_place(staged: Path, target: Path, packages_dir: Path) -> None:
    """Rename ``staged`` to ``target``; a previous version is kept until the new one is in place."""
    backup = None
    if target.exists():
        backup = Path(tempfile.mkdtemp(prefix=".replaced-", dir=packages_dir)) / target.name
        os.rename(target, backup)
    try:
        os.rename(staged, target)
    except OSError:
        if backup is not None:
            os.rename(backup, target)
        raise
    if backup is not None:
        shutil.rmtree(backup.parent, ignore_errors=True)


# ------------------------------------------------------------------ from the network


def install_url(
    url: str,
    packages_dir: Path,
    *,
    sha256: str | None = None,
    expected: Expected | None = None,
    expect_from: str | None = None,
    progress: Progress | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> InstalledModel:
    """Download a package into a temporary file beside the packages, verify it, install it."""
    check_url(url)
    expected = expected or Expected(sha256=sha256)
    packages_dir = Path(packages_dir)
    packages_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".aligner-download-", suffix=".argosmodel", dir=packages_dir)
    os.close(fd)
    try:
        download(url, Path(tmp), limit=limits.download_bytes, expected_size=expected.size, progress=progress)
        return install_file(tmp, packages_dir, expected=expected, expect_from=expect_from, label=url, limits=limits)
    finally:
        os.unlink(tmp)


def read_index(index_url: str, limits: Limits = DEFAULT_LIMITS) -> list[dict]:
    url = index_url if index_url.endswith(".json") else index_url.rstrip("/") + "/" + INDEX_FILE
    body = fetch_bytes(url, limits.index_bytes, "package index")
    try:
        data = json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        raise PackageError(f"{url}: package index is not valid JSON ({e})") from None
    if not isinstance(data, list):
        raise PackageError(f"{url}: package index is not a JSON list")
    return [p for p in data if isinstance(p, dict)]


def install_from_index(
    lang: str,
    packages_dir: Path,
    index_url: str,
    *,
    sha256: str | None = None,
    allow_unverified: bool = False,
    warn: Warn | None = None,
    progress: Progress | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> InstalledModel:
    """Install the ``lang``->en package listed in the argos package index.

    The index publishes no checksums: without ``sha256`` the package installs
    only with ``allow_unverified`` (and a warning).
    """
    entries = [p for p in read_index(index_url, limits) if p.get("from_code") == lang and p.get("to_code") == "en"]
    if not entries:
        raise PackageError(f"{index_url}: the package index has no {lang}->en package")
    links = entries[0].get("links")
    if not isinstance(links, list) or not links:
        raise PackageError(f"{index_url}: the {lang}->en package lists no download link")
    http_links = [x for x in links if isinstance(x, str) and x.lower().startswith(("http://", "https://"))]
    if not http_links:
        raise PackageError(f"{index_url}: the {lang}->en package lists no http(s) download link")
    if not sha256:
        if not allow_unverified:
            raise PackageError(
                f"{index_url}: the argos index publishes no checksum for {lang}->en; "
                "pass --sha256 HASH, or --allow-unverified to install it anyway"
            )
        if warn:
            warn(f"{http_links[0]}: installing without a checksum (the argos index publishes none)")
    return install_url(http_links[0], packages_dir, sha256=sha256, expect_from=lang, progress=progress, limits=limits)


def install_catalog_entry(
    entry,
    packages_dir: Path,
    *,
    source: str | None = None,
    sha256: str | None = None,
    allow_unverified: bool = False,
    warn: Warn | None = None,
    progress: Progress | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> InstalledModel:
    """Install a catalog ``download`` entry from its URL, or from ``source`` (a local file or mirror URL).

    The file must have the catalog's size and SHA-256, checked before unpacking.
    For an entry without a checksum, ``sha256`` (the user's own) or
    ``allow_unverified`` (with a warning) is required.
    """
    if entry.get != "download":
        raise PackageError(f"{entry.name}: not a package to download; convert it: {entry.convert}, then: aligner models register DIR --lang {entry.langs[0]}")
    if sha256 and entry.sha256 and sha256.lower() != entry.sha256:
        raise PackageError(f"{entry.name}: --sha256 {sha256.lower()} differs from the catalog's {entry.sha256}")
    if not entry.sha256 and not sha256:
        if not allow_unverified:
            raise PackageError(f"{entry.name}: no verified size and SHA-256 in the catalog; pass --sha256 HASH, or --allow-unverified to install it anyway")
        if warn:
            warn(f"{entry.name}: installing without a checksum ({entry.checksum_source})")
    source_name = f"the catalog entry {entry.name}"
    expected = Expected(sha256=entry.sha256 or sha256, size=entry.size, source=source_name)
    where = source or entry.url
    if where.lower().startswith(("http://", "https://")) or "://" in where:
        return install_url(where, packages_dir, expected=expected, expect_from=entry.langs[0], progress=progress, limits=limits)
    return install_file(where, packages_dir, expected=expected, expect_from=entry.langs[0], limits=limits)


def remove(packages_dir: Path, name_or_lang: str) -> InstalledModel:
    """Remove an installed package by folder name (``translate-vi_en``) or source language (``vi``)."""
    for pkg in installed_packages(Path(packages_dir)):
        if name_or_lang == pkg.name or name_or_lang in pkg.langs:
            trash = Path(tempfile.mkdtemp(prefix=".removing-", dir=packages_dir))
            os.rename(pkg.path, trash / pkg.name)
            shutil.rmtree(trash, ignore_errors=True)
            return pkg
    raise PackageError(f"{packages_dir}: no installed package '{name_or_lang}'")
