"""A small persistent key-value cache in SQLite, shared by translation and embedding.

Public surface: :class:`Cache`, :func:`default_cache_dir`, :data:`CACHE_ENV`.

Keys are SHA-256 digests of everything that determines the value (backend,
model id and version, options, source text), so a changed model or option
never returns a stale value.  The file is created on first write.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

CACHE_ENV = "ALIGNER_CACHE_DIR"
CACHE_FILE = "cache.sqlite3"


def default_cache_dir(environ: dict[str, str] | None = None) -> Path:
    """``$ALIGNER_CACHE_DIR`` if set, else the platform's user cache dir for aligner."""
    environ = os.environ if environ is None else environ
    if environ.get(CACHE_ENV):
        return Path(environ[CACHE_ENV])
    import platformdirs

    return Path(platformdirs.user_cache_dir("aligner"))


def key(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


class Cache:
    """``get_many``/``put_many`` over one table per namespace.  ``Cache(None)`` caches nothing."""

    def __init__(self, directory: str | Path | None):
        self.path = Path(directory) / CACHE_FILE if directory is not None else None
        self._conn: sqlite3.Connection | None = None
        self.hits = 0
        self.misses = 0

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        if self._conn is not None or self.path is None:
            return self._conn
        if not create and not self.path.exists():
            return None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, timeout=30)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("CREATE TABLE IF NOT EXISTS kv (ns TEXT, k TEXT, v BLOB, PRIMARY KEY (ns, k))")
        return self._conn

    def get_many(self, namespace: str, keys: list[str]) -> dict[str, bytes]:
        conn = self._connect(create=False)
        found: dict[str, bytes] = {}
        if conn is not None and keys:
            unique = list(dict.fromkeys(keys))
            for i in range(0, len(unique), 500):
                chunk = unique[i : i + 500]
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(f"SELECT k, v FROM kv WHERE ns = ? AND k IN ({marks})", [namespace, *chunk])
                found.update(rows)
        self.hits += sum(1 for k in keys if k in found)
        self.misses += sum(1 for k in keys if k not in found)
        return found

    def put_many(self, namespace: str, items: dict[str, bytes]) -> None:
        conn = self._connect(create=True)
        if conn is None or not items:
            return
        with conn:
            conn.executemany(
                "INSERT OR REPLACE INTO kv (ns, k, v) VALUES (?, ?, ?)",
                [(namespace, k, v) for k, v in items.items()],
            )

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
