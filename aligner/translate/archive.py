"""The safety checks on a package archive's entries, before and during extraction.

Public surface: :func:`check_members`, :func:`extract`.
"""

from __future__ import annotations

import re
import stat
import zipfile
from pathlib import Path

from aligner.errors import PackageError

CHUNK = 1 << 16
FOLDER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def check_members(zf: zipfile.ZipFile, label: str, limits) -> tuple[str, int]:
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
    if not FOLDER.match(top):
        raise PackageError(f"{label}: bad top-level folder name {top[:40]!r}")
    if f"{top}/metadata.json" not in seen:
        raise PackageError(f"{label}: no metadata.json in {top}/")
    return top, total


def extract(zf: zipfile.ZipFile, dest: Path, label: str, limits) -> None:
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
