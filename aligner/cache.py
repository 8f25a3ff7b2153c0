"""A small persistent key-value cache in SQLite, shared by translation and embedding.

Public surface: :class:`Cache`, :func:`default_cache_dir`, :data:`CACHE_ENV`,
:data:`CACHE_FILE`.

Keys are SHA-256 digests of everything that determines the value (backend,
model id and version, options, source text), so a changed model or option
never returns a stale value.  The file is created on first write.

A cache is a convenience: it never stops a run.

* A damaged file (truncated, overwritten, not SQLite, a directory at its path)
  is found when the cache opens (``PRAGMA quick_check``, once per file and
  process, and only when the file or its write-ahead log changed since the check
  last passed: ``cache.sqlite3.checked`` holds their inode, size and times then;
  the check reads the whole file, 16 ms for 24 MB) or when an operation fails with
  a corruption error.  It is moved
  aside to ``cache.sqlite3.broken-<time>`` with its journal files, one warning
  line names both paths, and a fresh cache starts.
* Any other failure (locked for too long, disk full, read-only folder) turns the
  cache off for the rest of the run, with one warning line.
* Every :meth:`Cache.put_many` is its own transaction in a write-ahead log: an
  interrupted or killed run keeps every batch it committed, and never leaves a
  half-written one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import time
import warnings
from pathlib import Path
from typing import Callable

from aligner.errors import AlignerWarning

CACHE_ENV = "ALIGNER_CACHE_DIR"
CACHE_FILE = "cache.sqlite3"
BUSY_TIMEOUT = 30  # seconds to wait for another process's write
QUERY_CHUNK = 500  # keys per SELECT (SQLite's limit on bound parameters is 999 in old builds)
JOURNAL_SUFFIXES = ("-wal", "-shm", "-journal")
# SQLite's primary result codes that mean "this file is damaged"
SQLITE_CORRUPT = 11
SQLITE_NOTADB = 26
_CORRUPT_WORDS = ("malformed", "not a database", "corrupt")

_checked: set[str] = set()  # cache files that passed quick_check in this process


def default_cache_dir(environ: dict[str, str] | None = None) -> Path:
    """``$ALIGNER_CACHE_DIR`` if set, else the platform's user cache dir for aligner."""
    environ = os.environ if environ is None else environ
    if environ.get(CACHE_ENV):
        return Path(environ[CACHE_ENV])
    import platformdirs

    return Path(platformdirs.user_cache_dir("aligner"))


def _hashed(parts) -> hashlib._Hash:
    """sha256 of the parts, each followed by a unit separator: the one format of a key."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h


def key(*parts: str) -> str:
    return _hashed(parts).hexdigest()


def keys_with_prefix(prefix: tuple[str, ...], lasts: list[str]) -> list[str]:
    """``[key(*prefix, last) for last in lasts]``; the prefix is hashed once, its state copied."""
    head = _hashed(prefix)
    out = []
    for last in lasts:
        h = head.copy()
        h.update(last.encode("utf-8") + b"\x1f")
        out.append(h.hexdigest())
    return out


STAMP_SUFFIX = ".checked"  # beside the cache: the state of the file when quick_check last passed


def _stamp_path(path: Path) -> Path:
    return path.with_name(path.name + STAMP_SUFFIX)


def _file_state(path: Path) -> str | None:
    """What changes whenever the cache's content can have changed: the file's device, inode,
    size, modification and change times (the change time cannot be set back); and its
    write-ahead log's inode, size and modification time unless the log is empty or absent (it
    holds nothing then; not its change time, which a reader's open changes: as root, SQLite
    gives the log the database's owner).  None: no stat."""
    try:
        st = os.stat(path)
        try:
            wal = os.stat(path.with_name(path.name + "-wal"))
        except FileNotFoundError:
            wal = None
    except OSError:
        return None
    log = "empty" if wal is None or wal.st_size == 0 else \
        f"{wal.st_dev}:{wal.st_ino}:{wal.st_size}:{wal.st_mtime_ns}"
    return f"1 {st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns} {log}"


def _read_stamp(path: Path) -> str | None:
    try:
        return _stamp_path(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None


def _write_stamp(path: Path, state: str) -> None:
    """Note that quick_check passed on the file in ``state`` (atomically; quietly not, when the
    folder cannot be written: the next process checks again)."""
    tmp = path.with_name(f"{path.name}{STAMP_SUFFIX}.{os.getpid()}.tmp")
    try:
        tmp.write_text(state + "\n", encoding="utf-8")
        os.replace(tmp, _stamp_path(path))
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


class CacheDamaged(Exception):
    """The cache file is damaged (internal: the cache moves it aside and starts again)."""


def _is_damage(e: sqlite3.DatabaseError) -> bool:
    code = getattr(e, "sqlite_errorcode", None)  # Python 3.11+
    if code is not None:
        return code & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB)
    return not isinstance(e, sqlite3.OperationalError) or any(w in str(e).lower() for w in _CORRUPT_WORDS)


def _default_warn(message: str) -> None:
    warnings.warn(message, AlignerWarning, stacklevel=4)


class Cache:
    """``get_many``/``put_many`` over one table per namespace.  ``Cache(None)`` caches nothing.

    ``warn`` receives one line per problem (a damaged file moved aside, the cache
    turned off); by default it is a :class:`~aligner.errors.AlignerWarning`.
    """

    def __init__(self, directory: str | Path | None, warn: Callable[[str], None] | None = None):
        self.path = Path(directory) / CACHE_FILE if directory is not None else None
        self.warn = warn or _default_warn
        self._conn: sqlite3.Connection | None = None
        self._off = False  # turned off for the rest of the run after a failure
        self.hits = 0
        self.misses = 0
        self.quick_checked = False  # whether opening the file ran PRAGMA quick_check

    # -- opening

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        if self._conn is not None or self.path is None or self._off:
            return self._conn
        for attempt in range(2):  # a damaged file is moved aside once, then a fresh one is made
            try:
                self._conn = self._open(create)
                return self._conn
            except CacheDamaged as e:
                self._close_quietly()
                if attempt or not self._set_aside(str(e)):
                    self._turn_off(str(e))
                    return None
            except sqlite3.DatabaseError as e:
                self._close_quietly()
                if attempt or not _is_damage(e) or not self._set_aside(str(e)):
                    self._turn_off(str(e))
                    return None
            except OSError as e:
                self._turn_off(e.strerror or str(e))
                return None
        return None

    def _open(self, create: bool) -> sqlite3.Connection | None:
        assert self.path is not None
        if self.path.exists() and not self.path.is_file():
            raise CacheDamaged("a directory or other non-file is at its path" if not self.path.is_dir() else "a directory is at its path")
        if not create and not self.path.exists():
            return None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("CREATE TABLE IF NOT EXISTS kv (ns TEXT, k TEXT, v BLOB, PRIMARY KEY (ns, k))")
        self._conn.execute("SELECT ns, k, v FROM kv LIMIT 1").fetchall()
        where = str(self.path.resolve())
        if where not in _checked:
            state = _file_state(self.path)
            if state is None or _read_stamp(self.path) != state:
                problems = [row[0] for row in self._conn.execute("PRAGMA quick_check")]
                if problems != ["ok"]:
                    raise CacheDamaged(f"quick_check: {problems[0]}")
                self.quick_checked = True
                if state is not None:
                    _write_stamp(self.path, state)
            _checked.add(where)
        return self._conn

    def _set_aside(self, reason: str) -> bool:
        """Move the damaged file (and its journal files) aside; False when that fails."""
        assert self.path is not None
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.broken-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = self.path.with_name(f"{self.path.name}.broken-{stamp}-{n}")
        try:
            os.replace(self.path, aside)
            for suffix in JOURNAL_SUFFIXES:
                journal = self.path.with_name(self.path.name + suffix)
                if journal.exists():
                    os.replace(journal, aside.with_name(aside.name + suffix))
        except OSError as e:
            self.warn(f"the cache {self.path} is damaged ({reason}) and cannot be moved aside ({e.strerror}); running without a cache")
            self._off = True
            return False
        _checked.discard(str(self.path.resolve()))
        with contextlib.suppress(OSError):
            _stamp_path(self.path).unlink()
        self.warn(f"the cache {self.path} was damaged ({reason}); moved it to {aside} and started a new one")
        return True

    def _turn_off(self, reason: str) -> None:
        if not self._off:
            self.warn(f"the cache {self.path} cannot be used ({reason}); running without a cache")
        self._off = True

    def _close_quietly(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
        self._conn = None

    def _failed(self, e: sqlite3.DatabaseError) -> None:
        """An operation failed: a damaged file is moved aside (the next operation starts
        a fresh one), anything else turns the cache off."""
        self._close_quietly()
        if not (_is_damage(e) and self._set_aside(str(e))):
            self._turn_off(str(e))

    # -- operations

    def get_many(self, namespace: str, keys: list[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        conn = self._connect(create=False)
        if conn is not None and keys:
            unique = list(dict.fromkeys(keys))
            try:
                for i in range(0, len(unique), QUERY_CHUNK):
                    chunk = unique[i : i + QUERY_CHUNK]
                    marks = ",".join("?" * len(chunk))
                    rows = conn.execute(f"SELECT k, v FROM kv WHERE ns = ? AND k IN ({marks})", [namespace, *chunk])
                    found.update(rows)
            except sqlite3.DatabaseError as e:
                self._failed(e)
                found = {}  # nothing read from a damaged file is trusted
        self.hits += sum(1 for k in keys if k in found)
        self.misses += sum(1 for k in keys if k not in found)
        return found

    def put_many(self, namespace: str, items: dict[str, bytes]) -> None:
        """Store ``items`` in one transaction (all of them or, if interrupted, none)."""
        if not items:
            return
        rows = [(namespace, k, v) for k, v in items.items()]
        for _attempt in range(2):  # once more on a fresh file after moving a damaged one aside
            conn = self._connect(create=True)
            if conn is None:
                return
            try:
                with conn:
                    conn.executemany("INSERT OR REPLACE INTO kv (ns, k, v) VALUES (?, ?, ?)", rows)
                return
            except sqlite3.DatabaseError as e:
                self._failed(e)

    def close(self) -> None:
        self._close_quietly()
