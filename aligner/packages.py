"""Argos translation packages: find, install, remove -- safely and offline.

Public surface: :func:`argos_settings`, :func:`installed_packages`,
:func:`find_package`, :func:`install_file`, :func:`install_url`,
:func:`install_from_index`, :func:`remove`, :class:`InstalledPackage`.

aligner uses argostranslate's package format (a zip of one folder with
``metadata.json``, ``model/`` for CTranslate2 and ``sentencepiece.model``), its
package directory and its index setting (``ARGOS_PACKAGES_DIR``,
``ARGOS_PACKAGE_INDEX``, from the environment or argos' ``settings.json``), so
packages installed by either tool are seen by both.  It does not import
``argostranslate`` for that: importing it creates directories as a side effect.
Installs are atomic: a package is extracted into a temporary folder beside
the others, checked, then renamed into place; a failure leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from aligner.errors import PackageError

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
INDEX_FILE = "index.json"
DOWNLOAD_TIMEOUT = 60


@dataclass(frozen=True)
class ArgosSettings:
    packages_dir: Path
    index_url: str


@dataclass(frozen=True)
class InstalledPackage:
    path: Path
    name: str  # e.g. translate-vi_en
    from_code: str
    to_code: str
    version: str
    target_prefix: str
    size: int


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
        return env.get(name) or from_file.get(name) or default

    data_dir = Path(env.get("XDG_DATA_HOME", home / ".local" / "share")) / "argos-translate"
    return ArgosSettings(
        packages_dir=Path(setting("ARGOS_PACKAGES_DIR", str(data_dir / "packages"))),
        index_url=setting("ARGOS_PACKAGE_INDEX", DEFAULT_INDEX),
    )


def _read_metadata(folder: Path) -> dict:
    meta = folder / "metadata.json"
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise PackageError(f"{meta}: unreadable metadata ({e})") from None
    if not isinstance(data, dict):
        raise PackageError(f"{meta}: metadata is not a JSON object")
    return data


def _describe(folder: Path) -> InstalledPackage:
    meta = _read_metadata(folder)
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    return InstalledPackage(
        path=folder,
        name=folder.name,
        from_code=str(meta.get("from_code", "")),
        to_code=str(meta.get("to_code", "")),
        version=str(meta.get("package_version", "")),
        target_prefix=str(meta.get("target_prefix", "") or ""),
        size=size,
    )


def installed_packages(packages_dir: Path) -> list[InstalledPackage]:
    if not packages_dir.is_dir():
        return []
    out = []
    for folder in sorted(packages_dir.iterdir()):
        if folder.is_dir() and not folder.name.startswith(".") and (folder / "metadata.json").is_file():
            try:
                out.append(_describe(folder))
            except PackageError:
                continue
    return out


def find_package(packages_dir: Path, from_code: str, to_code: str = "en") -> InstalledPackage | None:
    for pkg in installed_packages(Path(packages_dir)):
        if pkg.from_code == from_code and pkg.to_code == to_code:
            return pkg
    return None


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def install_file(
    path: str | Path,
    packages_dir: Path,
    *,
    sha256: str | None = None,
    expect_from: str | None = None,
    label: str | None = None,
) -> InstalledPackage:
    """Install a ``.argosmodel`` file into ``packages_dir`` atomically."""
    path = Path(path)
    label = label or str(path)
    if not path.is_file():
        raise PackageError(f"{label}: no such file")
    if sha256 and sha256_of(path) != sha256.lower():
        raise PackageError(f"{label}: SHA-256 mismatch (expected {sha256.lower()}, got {sha256_of(path)})")
    if not zipfile.is_zipfile(path):
        raise PackageError(f"{label}: not a zip archive (an .argosmodel is a zip)")
    packages_dir = Path(packages_dir)
    packages_dir.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path) as zf:
        top = _check_members(zf, label)
        tmp = Path(tempfile.mkdtemp(prefix=".installing-", dir=packages_dir))
        try:
            try:
                zf.extractall(tmp)
            except OSError as e:
                raise PackageError(f"{label}: extraction failed ({e.strerror or e})") from None
            except (zipfile.BadZipFile, EOFError) as e:
                raise PackageError(f"{label}: corrupt archive ({e})") from None
            staged = tmp / top
            if not (staged / "metadata.json").is_file():
                raise PackageError(f"{label}: no metadata.json in {top}/")
            pkg = _describe(staged)
            if pkg.to_code != "en":
                raise PackageError(f"{label}: translates {pkg.from_code}->{pkg.to_code}, aligner needs a package into English")
            if expect_from and pkg.from_code != expect_from:
                raise PackageError(f"{label}: translates {pkg.from_code}->{pkg.to_code}, expected {expect_from}->en")
            if not (staged / "model" / "model.bin").is_file():
                raise PackageError(f"{label}: no CTranslate2 model (model/model.bin) in the package")
            if not (staged / "sentencepiece.model").is_file():
                raise PackageError(f"{label}: no sentencepiece.model in the package")
            target = packages_dir / top
            backup = None
            if target.exists():
                backup = Path(tempfile.mkdtemp(prefix=".replaced-", dir=packages_dir)) / top
                os.rename(target, backup)
            try:
                os.rename(staged, target)
            except OSError:
                if backup is not None:
                    os.rename(backup, target)
                raise
            if backup is not None:
                shutil.rmtree(backup.parent, ignore_errors=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return _describe(target)


def _check_members(zf: zipfile.ZipFile, label: str) -> str:
    """The single top folder of the archive; refuse entries that would land outside it."""
    names = zf.namelist()
    if not names:
        raise PackageError(f"{label}: empty archive")
    tops = set()
    for info in zf.infolist():
        name = info.filename
        if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
            raise PackageError(f"{label}: entry '{name}' has an absolute path")
        parts = name.replace("\\", "/").split("/")
        if ".." in parts:
            raise PackageError(f"{label}: entry '{name}' points outside the package folder")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise PackageError(f"{label}: entry '{name}' is a symbolic link")
        tops.add(parts[0])
    if len(tops) != 1:
        raise PackageError(f"{label}: expected one top-level folder, found {len(tops)}")
    top = tops.pop()
    if top in ("", ".") or top.startswith("."):
        raise PackageError(f"{label}: bad top-level folder name '{top}'")
    if f"{top}/metadata.json" not in names:
        raise PackageError(f"{label}: no metadata.json in {top}/")
    return top


def _download(url: str, dest: Path, progress: Callable[[int, int | None], None] | None) -> None:
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT) as resp, open(dest, "wb") as out:
            total = resp.headers.get("Content-Length")
            total_n = int(total) if total and total.isdigit() else None
            done = 0
            while chunk := resp.read(1 << 16):
                out.write(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total_n)
            if total_n is not None and done != total_n:
                raise PackageError(f"{url}: download interrupted ({done} of {total_n} bytes)")
    except urllib.error.HTTPError as e:
        raise PackageError(f"{url}: HTTP {e.code} {e.reason}") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
        reason = getattr(e, "reason", e)
        raise PackageError(f"{url}: unreachable ({reason})") from None
    except OSError as e:
        raise PackageError(f"{url}: download failed ({e.strerror or e})") from None


def install_url(
    url: str,
    packages_dir: Path,
    *,
    sha256: str | None = None,
    expect_from: str | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> InstalledPackage:
    """Download a package to a temporary file and install it."""
    with tempfile.TemporaryDirectory(prefix="aligner-download-") as tmp:
        dest = Path(tmp) / "package.argosmodel"
        _download(url, dest, progress)
        return install_file(dest, packages_dir, sha256=sha256, expect_from=expect_from, label=url)


def read_index(index_url: str) -> list[dict]:
    url = index_url if index_url.endswith(".json") else index_url.rstrip("/") + "/" + INDEX_FILE
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT) as resp:
            data = json.loads(resp.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        raise PackageError(f"{url}: HTTP {e.code} {e.reason}") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
        raise PackageError(f"{url}: package index unreachable ({getattr(e, 'reason', e)})") from None
    except ValueError as e:
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
    progress: Callable[[int, int | None], None] | None = None,
) -> InstalledPackage:
    """Install the ``lang``->en package listed in the argos package index."""
    entries = [p for p in read_index(index_url) if p.get("from_code") == lang and p.get("to_code") == "en"]
    if not entries:
        raise PackageError(f"{index_url}: the package index has no {lang}->en package")
    links = entries[0].get("links") or []
    if not links:
        raise PackageError(f"{index_url}: the {lang}->en package lists no download link")
    return install_url(links[0], packages_dir, sha256=sha256, expect_from=lang, progress=progress)


def remove(packages_dir: Path, name_or_lang: str) -> InstalledPackage:
    """Remove an installed package by folder name (``translate-vi_en``) or source language (``vi``)."""
    for pkg in installed_packages(Path(packages_dir)):
        if name_or_lang in (pkg.name, pkg.from_code):
            trash = Path(tempfile.mkdtemp(prefix=".removing-", dir=packages_dir))
            os.rename(pkg.path, trash / pkg.name)
            shutil.rmtree(trash, ignore_errors=True)
            return pkg
    raise PackageError(f"{packages_dir}: no installed package '{name_or_lang}'")
