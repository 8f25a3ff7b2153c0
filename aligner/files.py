"""The one place where paths become outputs, and the UTF-8 reader of small input files.

Public surface: :func:`read_utf8`, :func:`check_outputs`, :func:`write_atomically`.

Every file the tool writes goes through :func:`write_atomically`:

* a reader never sees half a file: the data goes to a temporary file beside the
  target, is flushed to disk, then renamed over the target;
* a symlink is written through: its target is replaced, the link stays a link
  (a shared glossary edited through a link stays shared);
* only regular files are replaced: a directory, FIFO, device or socket at the
  path is refused;
* an existing file keeps its permissions; a new one gets the user's umask
  (``mkstemp`` alone would create it 0600).

:func:`check_outputs` is called before a run does its work: it refuses an output
that is one of the run's inputs or another output of the same run, and checks
that each output's folder exists and is writable, so an unusable path is a
one-line error at once, not after minutes of work.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Iterable

from aligner.errors import OutputError


def read_utf8(path: str | Path, error: type[Exception], what: str = "file", keep_bom: bool = False) -> str:
    """A UTF-8 text file's content; a missing file or bad bytes raise ``error`` naming the file."""
    p = Path(path)
    if not p.is_file():
        raise error(f"{path}: no such {what}")
    data = p.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise error(f"{path}: not valid UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})") from None
    return text if keep_bom else text.removeprefix("\ufeff")


def _real(path: str | Path) -> Path:
    """Where writing ``path`` lands: symlinks followed (also a dangling one)."""
    return Path(os.path.realpath(path))


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _refuse_non_regular(name: str | Path, real: Path) -> None:
    try:
        mode = real.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as e:
        raise OutputError(f"{name}: cannot use as an output ({e.strerror})") from None
    if not stat.S_ISREG(mode):
        raise OutputError(f"{name}: is {_kind(mode)}, not a regular file; give a file path to write")


def _same_file(a: str | Path, b: str | Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return _real(a) == _real(b)


def check_outputs(outputs: Iterable[str | Path | None], inputs: Iterable[str | Path | None] = ()) -> None:
    """Refuse unusable output paths before any work is done.

    ``outputs`` are the files a run will write, ``inputs`` the files it reads
    (``None`` entries are skipped).  Raises :class:`OutputError` naming the path
    when an output is an input or another output (also through a symlink or a
    hard link), is not a regular file, or its folder is missing or not writable.
    """
    inputs = [p for p in inputs if p]
    seen: list[str | Path] = []
    for out in (p for p in outputs if p):
        for other in inputs:
            if _same_file(out, other):
                raise OutputError(f"{out}: is an input of this run ({other}); choose another output file")
        for other in seen:
            if _same_file(out, other):
                raise OutputError(f"{out}: is also another output of this run ({other}); choose two different files")
        seen.append(out)
        real = _real(out)
        _refuse_non_regular(out, real)
        folder = real.parent if Path(out).is_symlink() else Path(out).parent
        if not real.parent.is_dir():
            raise OutputError(f"{out}: directory {folder} does not exist")
        _probe_writable(out, real.parent)


def _probe_writable(name: str | Path, folder: Path) -> None:
    """Create and remove a temporary file in ``folder``: what the atomic write will need."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".aligner-probe.", dir=folder)
    except OSError as e:
        raise OutputError(f"{name}: cannot write in {folder} ({e.strerror})") from None
    os.close(fd)
    os.unlink(tmp)


def _umask() -> int:
    """The process's umask, read without changing it where Linux allows."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


NEW_FILE_MODE = 0o666  # before the umask, as open() creates files


def write_atomically(target: str | Path, data: bytes) -> None:
    """Write ``data`` to ``target`` so that a reader never sees half of it.

    The data goes to a temporary file beside the real target (symlinks
    followed), is flushed to disk and renamed over it.  An existing target keeps
    its permissions, a new one gets ``0o666 & ~umask``; a target that is not a
    regular file raises :class:`OutputError`.  On any failure the target is
    unchanged and the temporary file is removed.
    """
    real = _real(target)
    _refuse_non_regular(target, real)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", dir=real.parent)
    except OSError as e:
        raise OutputError(f"{target}: cannot write in {real.parent} ({e.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        mode = real.stat().st_mode & 0o7777 if real.exists() else NEW_FILE_MODE & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, real)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    _sync_folder(real.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
