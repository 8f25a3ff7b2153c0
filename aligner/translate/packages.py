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
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from aligner.errors import PackageError
from aligner.files import parse_json
from aligner.translate.archive import check_members, extract
from aligner.translate.download import Progress, check_url, download, fetch_bytes
from aligner.translate.packagedir import (  # noqa: F401  (re-exported)
    DEFAULT_INDEX, ArgosSettings, InstalledModel, _describe, _tokenizer_family, argos_settings, find_package,
    installed_packages, remove, validate_metadata,
)
from aligner.translate.registry import REGISTRY_FILE, registered_models

__all__ = [  # check_url and download are re-exported for callers of this module
    "DEFAULT_INDEX", "ArgosSettings", "Expected", "InstalledModel", "Limits", "argos_settings", "check_url", "download",
    "find_package", "install_catalog_entry", "install_file", "install_from_index", "install_url", "installed_packages",
    "read_index", "remove", "sha256_of", "validate_metadata", "verify_file", "AlreadyInstalled",
]

INDEX_FILE = "index.json"
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
    replace: bool = False,
    replaced: list[InstalledModel] | None = None,
) -> InstalledModel:
    """Install a ``.argosmodel`` file into ``packages_dir`` atomically.

    The package's folder must be a fresh name: never the model registry, a
    registered model's folder or anything that is not an installed package.
    An installed package of the same name is replaced only with ``replace``
    (it is then appended to ``replaced``); otherwise :class:`AlreadyInstalled`.
    """
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
            return _install_archive(zf, packages_dir, label, expect_from, limits, replace, replaced)
    except zipfile.BadZipFile as e:
        raise PackageError(f"{label}: corrupt archive ({e})") from None


class AlreadyInstalled(PackageError):
    """A package of the same folder name is installed; replacing it must be asked for."""

    def __init__(self, message: str, installed: InstalledModel):
        super().__init__(message)
        self.installed = installed


def _check_destination(packages_dir: Path, top: str, label: str, replace: bool) -> InstalledModel | None:
    """What installing into ``packages_dir/top`` would replace (None: nothing); refuse what is not ours to replace."""
    target = packages_dir / top
    if top.casefold() == REGISTRY_FILE.casefold():
        raise PackageError(f"{label}: its folder is named {top}, the model registry's file name; not installed")
    try:
        registered = registered_models(packages_dir)
    except PackageError:
        registered = []
    for m in registered:
        if m.name == top or Path(m.path).resolve() == target.resolve():
            raise PackageError(f"{label}: its folder {top} is the registered model {m.name} ({m.path}); not installed")
    if not os.path.lexists(target):
        return None
    if target.is_symlink() or not target.is_dir() or not (target / "metadata.json").is_file():
        raise PackageError(f"{label}: {target} exists and is not an installed package; not installed (nothing was changed)")
    try:
        current, _ = _describe(target)
    except PackageError:
        raise PackageError(f"{label}: {target} exists and is not a usable package; not installed (nothing was changed)") from None
    if not replace:
        raise AlreadyInstalled(
            f"{label}: {top} is already installed (version {current.version or '?'}); nothing was changed",
            current,
        )
    return current


def _install_archive(zf: zipfile.ZipFile, packages_dir: Path, label: str, expect_from: str | None, limits: Limits,
                     replace: bool = False, replaced: list[InstalledModel] | None = None) -> InstalledModel:
    top, total = check_members(zf, label, limits)
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
    current = _check_destination(packages_dir, top, label, replace)  # the package is sound: may it go there?
    free = shutil.disk_usage(packages_dir).free
    if total > free:
        raise PackageError(f"{label}: unpacks to {total / 1e6:.0f} MB but {packages_dir} has {free / 1e6:.0f} MB free")
    tmp = Path(tempfile.mkdtemp(prefix=".installing-", dir=packages_dir))
    try:
        extract(zf, tmp, label, limits)
        staged = tmp / top
        from aligner.translate.families import family as family_class

        family_class(family).check(staged, (meta["from_code"],), label)
        target = packages_dir / top
        if _check_destination(packages_dir, top, label, replace) != current:  # changed while unpacking
            raise PackageError(f"{label}: {target} changed during the install; not installed")
        _swap_into_place(staged, target, packages_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if current is not None and replaced is not None:
        replaced.append(current)
    model, _ = _describe(target)
    return model


def _read_archive_metadata(zf: zipfile.ZipFile, top: str, label: str, limits: Limits) -> dict:
    info = zf.getinfo(f"{top}/metadata.json")
    if info.file_size > limits.metadata_bytes:
        raise PackageError(f"{label}: metadata.json is {info.file_size} bytes, more than {limits.metadata_bytes}")
    data = parse_json(zf.read(info), PackageError, f"{label}: metadata.json")
    return validate_metadata(data, label)


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
    replace: bool = False,
    replaced: list[InstalledModel] | None = None,
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
        return install_file(tmp, packages_dir, expected=expected, expect_from=expect_from, label=url, limits=limits, replace=replace, replaced=replaced)
    finally:
        os.unlink(tmp)


def read_index(index_url: str, limits: Limits = DEFAULT_LIMITS) -> list[dict]:
    url = index_url if index_url.endswith(".json") else index_url.rstrip("/") + "/" + INDEX_FILE
    body = fetch_bytes(url, limits.index_bytes, "package index")
    data = parse_json(body, PackageError, f"{url}: package index")
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
    replace: bool = False,
    replaced: list[InstalledModel] | None = None,
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
    return install_url(http_links[0], packages_dir, sha256=sha256, expect_from=lang, progress=progress, limits=limits,
                       replace=replace, replaced=replaced)


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
    replace: bool = False,
    replaced: list[InstalledModel] | None = None,
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
        return install_url(where, packages_dir, expected=expected, expect_from=entry.langs[0], progress=progress, limits=limits,
                           replace=replace, replaced=replaced)
    return install_file(where, packages_dir, expected=expected, expect_from=entry.langs[0], limits=limits,
                        replace=replace, replaced=replaced)
