"""A token file that outlives the process: access tokens keyed by a hash of token URL + API key, with their
wall-clock expiry, never the secret key; mode 0600, replaced atomically, guarded by a lock file so that processes
starting at once fetch one token between them.

The default file is ``tokens.json`` in the user cache directory (``$XDG_CACHE_HOME/baidu-ocr`` on Linux, by
platformdirs). Expired entries are pruned on every write; a file that cannot be read is treated as empty.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import filelock
import platformdirs

__all__ = ["DEFAULT_LOCK_TIMEOUT", "StoredToken", "TokenFile", "default_token_file"]

DEFAULT_LOCK_TIMEOUT: Final = 60.0
"""Seconds to wait for another process's token fetch before going on without the file."""
MAX_FILE_BYTES: Final = 1 << 20
"""A bigger file is not read (treated as empty, and replaced on the next write)."""
_FORMAT_VERSION: Final = 1
logger = logging.getLogger("baidu_ocr")


def default_token_file() -> Path:
    """``tokens.json`` in the user cache directory (honours ``XDG_CACHE_HOME``)."""
    return platformdirs.user_cache_path("baidu-ocr", appauthor=False) / "tokens.json"


@dataclass(frozen=True)
class StoredToken:
    """An access token and when it expires (epoch seconds), with its lifetime (for the renewal margin)."""

    access_token: str
    expires_at: float
    lifetime: float

    def __repr__(self) -> str:
        return f"StoredToken(access_token=***, expires_at={self.expires_at}, lifetime={self.lifetime})"


def _entry(value: Any) -> StoredToken | None:
    if not isinstance(value, dict):
        return None
    token, expires_at, lifetime = value.get("access_token"), value.get("expires_at"), value.get("lifetime")
    if not isinstance(token, str) or not token:
        return None
    if not isinstance(expires_at, int | float) or not isinstance(lifetime, int | float) or lifetime <= 0:
        return None
    return StoredToken(token, float(expires_at), float(lifetime))


class TokenFile:
    """One token file. Call :meth:`load`, :meth:`store` and :meth:`drop` while holding :meth:`lock`."""

    def __init__(
        self, path: str | os.PathLike[str] | None = None, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    ) -> None:
        self.path = Path(path) if path is not None else default_token_file()
        self.lock_timeout = lock_timeout

    def __repr__(self) -> str:
        return f"TokenFile({str(self.path)!r})"

    @staticmethod
    def key(token_url: str, api_key: str) -> str:
        """The entry's name: a hash of the token URL and the API key (neither is written in the clear)."""
        return hashlib.sha256(f"{token_url}\n{api_key}".encode()).hexdigest()

    def lock(self) -> filelock.FileLock:
        """The inter-process lock (a file beside the token file). Acquiring it may raise :class:`filelock.Timeout`
        after :attr:`lock_timeout` seconds; it can be released from another thread."""
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        return filelock.FileLock(lock_path, timeout=self.lock_timeout, mode=0o600, thread_local=False)

    def load(self, key: str) -> StoredToken | None:
        """The stored token for ``key``, if any (expired or not)."""
        return _entry(self._read().get(key))

    def store(self, key: str, token: StoredToken, now: float) -> None:
        """Keep ``token`` for ``key``; entries expired at ``now`` are pruned."""
        entries = {name: value for name, value in self._read().items() if _fresh(value, now)}
        entries[key] = {"access_token": token.access_token, "expires_at": token.expires_at, "lifetime": token.lifetime}
        self._write(entries)

    def drop(self, key: str, access_token: str) -> None:
        """Forget the entry for ``key`` if it still holds ``access_token`` (another process may have renewed it)."""
        entries = self._read()
        stored = _entry(entries.get(key))
        if stored is not None and stored.access_token == access_token:
            del entries[key]
            self._write(entries)

    def _read(self) -> dict[str, Any]:
        try:
            with open(self.path, "rb") as file:
                content = file.read(MAX_FILE_BYTES + 1)
        except FileNotFoundError:
            return {}
        except OSError as error:
            logger.warning("token file %s cannot be read (%s): ignored", self.path, error.strerror)
            return {}
        try:
            data = json.loads(content) if len(content) <= MAX_FILE_BYTES else None
        except ValueError:
            data = None
        tokens = data.get("tokens") if isinstance(data, dict) and data.get("version") == _FORMAT_VERSION else None
        if not isinstance(tokens, dict):
            logger.warning("token file %s is not a token file of this version: ignored", self.path)
            return {}
        return tokens

    def _write(self, entries: dict[str, Any]) -> None:
        directory = self.path.parent
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=f".{self.path.name}.", suffix=".tmp")
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:  # mkstemp creates it with mode 0600
                json.dump({"version": _FORMAT_VERSION, "tokens": entries}, file)
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


def _fresh(value: Any, now: float) -> bool:
    entry = _entry(value)
    return entry is not None and entry.expires_at > now
