"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


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


def write_atomically(target: str | Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target``, flush it, then rename it over ``target``.

    An existing target keeps its permissions; on any failure the target is
    unchanged and the temporary file is removed.
    """
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent if str(target.parent) else ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
