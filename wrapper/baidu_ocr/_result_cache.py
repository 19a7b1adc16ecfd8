"""A cache of recognition results keyed by content, in SQLite (standard library), shared by processes.

The key is a SHA-256 of the input (its bytes, or its URL), the service, the endpoint, the options as sent
(canonical: sorted, booleans as ``true``/``false``) and the PDF page. The value is the service's JSON. Errors
are never stored. A database in WAL mode with a busy timeout and short transactions lets several processes read
and write at once; writes keep it under a size cap and drop entries older than an age limit (oldest first).

Location: ``BAIDU_OCR_RESULT_CACHE_DIR``, else the user cache directory (``$XDG_CACHE_HOME/baidu-ocr`` on Linux, by
platformdirs), file ``results.sqlite3``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Self

from ._errors import ConfigurationError

__all__ = [
    "DEFAULT_CACHE_MAX_AGE",
    "DEFAULT_CACHE_MAX_BYTES",
    "ENV_RESULT_CACHE_DIR",
    "CacheStats",
    "ResultCache",
    "cache_key",
    "cache_scope",
    "default_cache_path",
    "input_identity",
]

ENV_RESULT_CACHE_DIR: Final = "BAIDU_OCR_RESULT_CACHE_DIR"
CACHE_FILE_NAME: Final = "results.sqlite3"
DEFAULT_CACHE_MAX_BYTES: Final = 256 * 1024 * 1024
"""Size cap of the stored JSON (the database file is somewhat larger)."""
DEFAULT_CACHE_MAX_AGE: Final = 30 * 24 * 3600.0
"""Entries older than this (seconds) are neither returned nor kept."""
DEFAULT_BUSY_TIMEOUT: Final = 30.0
"""Seconds a connection waits for another process's write to finish."""
_EVICT_BATCH: Final = 256
_SCHEMA_VERSION: Final = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    size INTEGER NOT NULL,
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS results_by_age ON results (created);
CREATE TABLE IF NOT EXISTS totals (id INTEGER PRIMARY KEY CHECK (id = 0), bytes INTEGER NOT NULL);
INSERT OR IGNORE INTO totals (id, bytes) VALUES (0, 0);
CREATE TRIGGER IF NOT EXISTS results_added AFTER INSERT ON results
    BEGIN UPDATE totals SET bytes = bytes + NEW.size WHERE id = 0; END;
CREATE TRIGGER IF NOT EXISTS results_removed AFTER DELETE ON results
    BEGIN UPDATE totals SET bytes = bytes - OLD.size WHERE id = 0; END;
CREATE TRIGGER IF NOT EXISTS results_replaced AFTER UPDATE ON results
    BEGIN UPDATE totals SET bytes = bytes - OLD.size + NEW.size WHERE id = 0; END;
"""


def default_cache_path() -> Path:
    """``$BAIDU_OCR_RESULT_CACHE_DIR/results.sqlite3``, else the file in the user cache directory."""
    directory = os.environ.get(ENV_RESULT_CACHE_DIR)
    if not directory:
        import platformdirs

        directory = platformdirs.user_cache_dir("baidu-ocr", appauthor=False)
    return Path(directory) / CACHE_FILE_NAME


def cache_scope(base_url: str, cache: ResultCache | None = None) -> str:
    """The service part of a cache key: the cache's own ``scope`` when it has one, else the service's base URL
    (another service may answer the same input differently)."""
    if cache is not None and cache.scope is not None:
        return cache.scope
    return base_url.rstrip("/")


def _option_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def input_identity(*, data: bytes | None = None, url: str | None = None) -> str:
    """What identifies an input in a cache key: ``sha256:<hex>`` of its bytes (as read, before any re-encoding),
    or ``url:<url>``. Exactly one of ``data`` and ``url``."""
    if (data is None) == (url is None):
        raise ValueError("an input is identified by exactly one of data= and url=")
    return f"sha256:{hashlib.sha256(data).hexdigest()}" if data is not None else f"url:{url}"


def cache_key(
    endpoint: str,
    *,
    data: bytes | None = None,
    url: str | None = None,
    input_id: str | None = None,
    options: Mapping[str, object] | Iterable[tuple[str, object]] = (),
    page: int | None = None,
    service: str = "",
) -> str:
    """The key of one recognition: the input (exactly one of ``data``, ``url`` and an ``input_id`` made by
    :func:`input_identity`), the service (its base URL: another service may answer differently), the endpoint,
    the options as sent and the PDF page (``None`` for images)."""
    if input_id is None:
        input_id = input_identity(data=data, url=url)
    elif data is not None or url is not None:
        raise ValueError("cache_key needs exactly one of data=, url= and input_id=")
    items = options.items() if isinstance(options, Mapping) else options
    canonical = sorted((str(name), _option_text(value)) for name, value in items)
    described = {
        "service": service.rstrip("/"),
        "endpoint": endpoint,
        "input": input_id,
        "options": canonical,
        "page": page,
    }
    text = json.dumps(described, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CacheStats:
    """What the cache holds (for ``baidu-ocr cache info``)."""

    path: Path
    entries: int
    stored_bytes: int
    file_bytes: int
    oldest: float | None
    """When the oldest entry was stored (seconds since the epoch)."""
    newest: float | None
    max_bytes: int
    max_age: float


class ResultCache:
    """Results of earlier recognitions, by :func:`cache_key`; thread-safe, and safe for several processes.

    ``path`` defaults to :func:`default_cache_path`; ``max_bytes`` caps the stored JSON, ``max_age`` (seconds)
    the age of an entry. ``scope`` names the service in the keys instead of its base URL (e.g. one name for a
    local service that listens on another port each run). ``clock`` gives seconds since the epoch (injected in
    tests). Use as a context manager or :meth:`close` it.
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        max_bytes: int = DEFAULT_CACHE_MAX_BYTES,
        max_age: float = DEFAULT_CACHE_MAX_AGE,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
        scope: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if max_bytes <= 0 or max_age <= 0:
            raise ConfigurationError("the result cache needs a positive max_bytes and max_age")
        self.path = Path(path) if path is not None else default_cache_path()
        self.max_bytes = max_bytes
        self.max_age = max_age
        self.scope = scope
        self._clock = clock
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db: sqlite3.Connection | None = sqlite3.connect(
                self.path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            with self._transaction() as db:
                for statement in _schema_statements():
                    db.execute(statement)
                db.execute(f"PRAGMA user_version={_SCHEMA_VERSION}")
        except (OSError, sqlite3.Error) as error:
            raise ConfigurationError(f"cannot open the result cache at {self.path}: {error}") from error

    def __repr__(self) -> str:
        return f"ResultCache(path={str(self.path)!r}, max_bytes={self.max_bytes}, max_age={self.max_age:g})"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            raise ConfigurationError("the result cache is closed")
        return self._db

    def _transaction(self) -> _Transaction:
        return _Transaction(self._connection())

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored JSON for ``key``, or ``None`` (absent, too old, unreadable, or the database busy beyond the
        timeout: a cache that cannot answer is a miss)."""
        try:
            with self._lock:
                row = (
                    self._connection()
                    .execute("SELECT value FROM results WHERE key = ? AND created >= ?", (key, self._oldest_kept()))
                    .fetchone()
                )
        except sqlite3.OperationalError:
            return None
        if row is None:
            return None
        try:
            value = json.loads(row[0])
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def put(self, key: str, result: Mapping[str, Any]) -> bool:
        """Store the service's JSON for ``key``; an error answer (one with ``error_code``) is not stored.
        Returns whether it was stored (not when the database stayed busy beyond the timeout or the disk is full).
        Makes room by dropping expired, then the oldest, entries."""
        if "error_code" in result:
            return False
        value = json.dumps(result, ensure_ascii=False, separators=(",", ":"))
        size = len(value.encode("utf-8"))
        if size > self.max_bytes:
            return False
        try:
            with self._lock, self._transaction() as db:
                db.execute(
                    "INSERT INTO results (key, value, size, created) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value, size = excluded.size, "
                    "created = excluded.created",
                    (key, value, size, self._clock()),
                )
                db.execute("DELETE FROM results WHERE created < ?", (self._oldest_kept(),))
                self._evict_to_cap(db)
        except sqlite3.OperationalError:
            return False
        return True

    def _oldest_kept(self) -> float:
        return self._clock() - self.max_age

    def _evict_to_cap(self, db: sqlite3.Connection) -> None:
        while True:
            (total,) = db.execute("SELECT bytes FROM totals WHERE id = 0").fetchone()
            if total <= self.max_bytes:
                return
            rows = db.execute("SELECT key, size FROM results ORDER BY created LIMIT ?", (_EVICT_BATCH,)).fetchall()
            doomed = []
            for key, size in rows:
                if total <= self.max_bytes:
                    break
                doomed.append((key,))
                total -= size
            db.executemany("DELETE FROM results WHERE key = ?", doomed)

    def stats(self) -> CacheStats:
        """Entries, stored bytes, the database file's size, the oldest and newest entry."""
        with self._lock:
            db = self._connection()
            entries, oldest, newest = db.execute("SELECT COUNT(*), MIN(created), MAX(created) FROM results").fetchone()
            (stored,) = db.execute("SELECT bytes FROM totals WHERE id = 0").fetchone()
        file_bytes = sum(
            candidate.stat().st_size
            for candidate in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm"))
            if candidate.exists()
        )
        return CacheStats(self.path, entries, stored, file_bytes, oldest, newest, self.max_bytes, self.max_age)

    def clear(self) -> int:
        """Drop every entry; returns how many there were."""
        with self._lock, self._transaction() as db:
            removed = db.execute("DELETE FROM results").rowcount
        with self._lock, contextlib.suppress(sqlite3.OperationalError):  # giving the space back is best effort
            self._connection().execute("VACUUM")
            self._connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return removed


def _schema_statements() -> list[str]:
    """The schema, one statement at a time (a trigger's body holds a ``;`` of its own)."""
    statements: list[str] = []
    current = ""
    for line in _SCHEMA.strip().splitlines():
        current += line + "\n"
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return statements


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on error): take the write lock at once, hold it briefly."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> sqlite3.Connection:
        self._db.execute("BEGIN IMMEDIATE")
        return self._db

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._db.execute("COMMIT" if exc_type is None else "ROLLBACK")
