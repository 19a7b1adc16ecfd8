"""A token file that outlives the process: access tokens keyed by a hash of token URL + API key, with their
wall-clock expiry and renewal time, never the secret key; mode 0600, replaced atomically, guarded by a lock file
so that processes starting at once fetch one token between them.

:class:`TokenFileStore` is the :class:`~baidu_ocr._token.TokenStore` of one API key in such a file
(``ClientCredentialsAuth(..., store=TokenFileStore(...))``; ``cache_file=`` of the clients and the CLI's
``--token-cache`` build it). The default file is ``tokens.json`` in the user cache directory
(``$XDG_CACHE_HOME/baidu-ocr`` on Linux, by platformdirs). Expired entries are pruned on every write; a file
that cannot be read is treated as empty; a lock that cannot be had within ``lock_timeout`` seconds, or a file
that cannot be written, is logged and the token kept in memory.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

import filelock
import platformdirs

from ._token import StoredToken

__all__ = ["DEFAULT_LOCK_TIMEOUT", "TokenFile", "TokenFileStore", "default_token_file"]

DEFAULT_LOCK_TIMEOUT: Final = 60.0
"""Seconds to wait for another process's token fetch before going on without the file."""
MAX_FILE_BYTES: Final = 1 << 20
"""A bigger file is not read (treated as empty, and replaced on the next write)."""
_FORMAT_VERSION: Final = 1
logger = logging.getLogger("baidu_ocr")


def default_token_file() -> Path:
    """``tokens.json`` in the user cache directory (honours ``XDG_CACHE_HOME``)."""
    return platformdirs.user_cache_path("baidu-ocr", appauthor=False) / "tokens.json"


def _entry(value: Any) -> StoredToken | None:
    if not isinstance(value, dict):
        return None
    token, expires_at, renew_at = value.get("access_token"), value.get("expires_at"), value.get("renew_at")
    if not isinstance(token, str) or not token:
        return None
    if not isinstance(expires_at, int | float) or not isinstance(renew_at, int | float) or renew_at > expires_at:
        return None
    return StoredToken(token, float(expires_at), float(renew_at))


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
        entries[key] = {"access_token": token.value, "expires_at": token.expires_at, "renew_at": token.renew_at}
        self._write(entries)

    def drop(self, key: str, access_token: str) -> None:
        """Forget the entry for ``key`` if it still holds ``access_token`` (another process may have renewed it)."""
        entries = self._read()
        stored = _entry(entries.get(key))
        if stored is not None and stored.value == access_token:
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


class TokenFileStore:
    """The token of one API Key at one token URL, kept in a :class:`TokenFile` (a ``TokenStore``).

    Outside :meth:`locked` the token read last is answered from memory (the file is read only while none is
    known); inside it the file is read again, to find a token another process fetched meanwhile.
    """

    def __init__(self, file: TokenFile, *, token_url: str, api_key: str) -> None:
        self.file = file
        self._key = TokenFile.key(token_url, api_key)
        self._known: StoredToken | None = None
        self._holding = False

    def __repr__(self) -> str:
        return f"TokenFileStore({str(self.file.path)!r})"

    def load(self) -> StoredToken | None:
        if self._known is not None and not self._holding:
            return self._known
        self._known = self.file.load(self._key)
        return self._known

    def save(self, token: StoredToken) -> None:
        self._known = token
        try:
            self.file.store(self._key, token, time.time())
        except OSError as error:
            logger.warning("token file %s cannot be written (%s): token kept in memory", self.file.path, error)

    def discard(self, value: str) -> None:
        if self._known is not None and self._known.value == value:
            self._known = None
        try:
            self.file.drop(self._key, value)
        except OSError as error:
            logger.warning("token file %s cannot be written (%s)", self.file.path, error)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """The file locked against other processes (bounded wait; past it, unlocked, with a warning)."""
        try:
            lock = self.file.lock()
            lock.acquire()
        except (filelock.Timeout, OSError) as error:
            reason = "another process holds it too long" if isinstance(error, filelock.Timeout) else str(error)
            logger.warning("token file %s cannot be locked (%s): going on without the lock", self.file.path, reason)
            yield
            return
        self._holding = True
        try:
            yield
        finally:
            self._holding = False
            lock.release()
