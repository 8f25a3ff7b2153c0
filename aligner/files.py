"""The one place where paths become outputs, and the UTF-8 reader of small input files.

Public surface: :func:`read_utf8`, :func:`parse_json`, :func:`read_json`,
:func:`check_outputs`, :func:`write_atomically`, :func:`remove_stale_temporaries`,
:func:`handle_termination`, :class:`Terminated`, :data:`TEMP_MARKER`.

Every file the tool writes goes through :func:`write_atomically`:

* a reader never sees half a file: the data goes to a temporary file beside the
  target, is flushed to disk, then renamed over the target;
* a symlink is written through: its target is replaced, the link stays a link
  (a shared glossary edited through a link stays shared);
* only regular files are replaced: a directory, FIFO, device or socket at the
  path is refused;
* an existing file keeps its permissions; a new one gets the user's umask
  (``mkstemp`` alone would create it 0600);
* the temporary is named ``.<target>.aligner-tmp-XXXXXXXX`` (:data:`TEMP_MARKER`),
  so clean-up can tell aligner's own temporaries from a user's files
  (an editor's ``.s.json.swp`` is never touched);
* SIGTERM and SIGHUP (after :func:`handle_termination`) are held while a write
  is under way: the write finishes or is dropped, its temporary is removed, and
  :class:`Terminated` is raised (the CLI exits 143).

:func:`check_outputs` is called before a run does its work: it refuses an output
that is one of the run's inputs or another output of the same run, and checks
that each output's folder exists and is writable, so an unusable path is a
one-line error at once, not after minutes of work.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import stat
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable, Iterable

from aligner.errors import OutputError


TEMP_MARKER = ".aligner-tmp-"  # in every temporary file name: ".<target>.aligner-tmp-XXXXXXXX"
STALE_SECONDS = 24 * 3600


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived; like KeyboardInterrupt, not an error of the run."""

    def __init__(self, signum: int = signal.SIGTERM):
        super().__init__(signum)
        self.signum = signum


_held = threading.local()
_pending: list[int] = []


def _on_signal(signum, _frame) -> None:
    if getattr(_held, "depth", 0):
        _pending.append(signum)  # raised when the write in progress is over
        return
    raise Terminated(signum)


def handle_termination() -> None:
    """SIGTERM and SIGHUP raise :class:`Terminated` (held during :func:`write_atomically`).

    Only the main thread can install handlers; elsewhere this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _on_signal)


def _path_problem(path: str | Path) -> str | None:
    """Why ``path`` cannot be opened as a file at all (a NUL byte, a symlink loop), or None."""
    if "\0" in str(path):
        return "the path contains a NUL byte"
    try:
        os.stat(path)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "a symbolic link loop"
        if e.errno == errno.ENAMETOOLONG:
            return "the file name is too long"
    except ValueError:
        return "not a usable path"
    return None


def is_file(path: str | Path) -> bool:
    """``Path.is_file`` that answers False for a NUL byte, a symlink loop or a too long name."""
    try:
        return Path(path).is_file()
    except (OSError, ValueError, RuntimeError):
        return False


def resolve(path: str | Path, error: type[Exception]) -> Path:
    """``path`` made absolute with symlinks followed; a loop or NUL byte raises ``error`` naming it."""
    problem = _path_problem(path)
    if problem:
        raise error(f"{_shown_path(path)}: {problem}")
    try:
        return Path(path).expanduser().resolve()
    except (OSError, RuntimeError, ValueError) as e:
        raise error(f"{_shown_path(path)}: not a usable path ({e})") from None


def matches_sha256(path: str | Path, sha256: str, max_bytes: int) -> bool:
    """Whether the regular file ``path`` has this SHA-256, read in chunks.

    Its size is checked first: a file over ``max_bytes`` (larger than any input
    the tool accepts) does not match and is not read at all, so a result naming
    a 3 GB file costs a ``stat``, not 3 GB of memory.
    """
    import hashlib

    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > max_bytes:
            return False
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except (OSError, ValueError):
        return False
    return h.hexdigest() == sha256


def parse_json(text: str | bytes, error: type[Exception], name: str):
    """The JSON value in ``text``; malformed, non-UTF-8 or too deeply nested JSON raises ``error`` naming ``name``.

    NaN and Infinity are refused (they are not JSON); JSON that ends before its value does
    (an unterminated string, a missing bracket at the very end) is marked ``truncated?``.
    """
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        return json.loads(text, parse_constant=_refuse_constant)
    except UnicodeDecodeError as e:
        raise error(f"{name}: not UTF-8 JSON (byte 0x{e.object[e.start]:02x} at offset {e.start})") from None
    except json.JSONDecodeError as e:
        ended = e.msg.startswith("Unterminated string") or (text.strip() and e.pos >= len(text.rstrip()))
        hint = "; truncated?" if ended else ""
        raise error(f"{name}: not valid JSON (line {e.lineno}, column {e.colno}: {e.msg}){hint}") from None
    except RecursionError:
        raise error(f"{name}: JSON nested too deeply") from None
    except ValueError as e:
        raise error(f"{name}: {e}") from None


def _refuse_constant(token: str):
    raise ValueError(f"{token} is not a valid number")


def read_json(path: str | Path, error: type[Exception], what: str = "JSON file", max_bytes: int = 64 << 20):
    """The JSON value in the file ``path``: one ``error`` line for any problem (missing, too big, malformed)."""
    p = _existing_file(path, error, what)
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise error(f"{path}: {size:,} bytes, more than the {max_bytes:,} a {what} may have")
        data = p.read_bytes()
    except OSError as e:
        raise error(f"{path}: cannot read ({e.strerror or e})") from None
    return parse_json(data, error, str(path))


def _existing_file(path: str | Path, error: type[Exception], what: str) -> Path:
    """``path`` as a Path when it names a regular file; else one ``error`` line (bad path, missing)."""
    problem = _path_problem(path)
    if problem:
        raise error(f"{_shown_path(path)}: {problem}")
    p = Path(path)
    if not is_file(p):
        raise error(f"{path}: no such {what}")
    return p


def _shown_path(path: str | Path) -> str:
    return str(path).replace("\0", "\\0")


def read_utf8(path: str | Path, error: type[Exception], what: str = "file", keep_bom: bool = False,
              keep_bytes: list | None = None) -> str:
    """A UTF-8 text file's content; a missing file or bad bytes raise ``error`` naming the file.

    ``keep_bytes``: a list the bytes read are appended to (to hash what was used).
    """
    p = _existing_file(path, error, what)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise error(f"{path}: cannot read ({e.strerror or e})") from None
    if keep_bytes is not None:
        keep_bytes.append(data)
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
    Then removes the outputs' temporaries older than a day (a killed run's).
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
    remove_stale_temporaries(seen)  # what a killed run left (a younger one may be another run's, writing)


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
    _held.depth = getattr(_held, "depth", 0) + 1
    try:
        _write(target, data)
    finally:
        _held.depth -= 1
        if not _held.depth and _pending:
            signum = _pending.pop()
            _pending.clear()
            raise Terminated(signum)


def _write(target: str | Path, data: bytes) -> None:
    real = _real(target)
    _refuse_non_regular(target, real)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}{TEMP_MARKER}", dir=real.parent)
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


def is_temporary_of(name: str, target_name: str) -> bool:
    """Whether ``name`` is a temporary :func:`write_atomically` made for ``target_name``."""
    prefix = f".{target_name}{TEMP_MARKER}"
    return name.startswith(prefix) and len(name) == len(prefix) + 8


def remove_stale_temporaries(targets: Iterable[str | Path | None], older_than: float = STALE_SECONDS,
                             now: Callable[[], float] = time.time) -> list[Path]:
    """Remove temporaries of ``targets`` that a killed run left, if older than ``older_than`` seconds.

    Only files named by :func:`write_atomically` for one of these targets are
    touched (a younger one may belong to a run still writing).
    """
    removed = []
    for target in (t for t in targets if t):
        try:
            real = _real(target)
            entries = list(real.parent.iterdir())
        except (OSError, ValueError, RuntimeError):
            continue
        for entry in entries:
            if not is_temporary_of(entry.name, real.name):
                continue
            try:
                st = entry.lstat()
                if stat.S_ISREG(st.st_mode) and now() - st.st_mtime > older_than:
                    entry.unlink()
                    removed.append(entry)
            except OSError:
                continue
    return removed


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
