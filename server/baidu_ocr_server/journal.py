"""The request journal for tests: what each call asked for, without image bytes or secrets."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["AuthKind", "InputKind", "JournalEntry", "RequestJournal", "auth_kind"]

AuthKind = Literal["access_token", "bce-auth-v1", "bearer", "client_credentials", "several", "none"]
InputKind = Literal["image", "url", "pdf_file", "none"]

MAX_OPTION_CHARS = 64
"""Option values are cut to this many characters in the journal."""


@dataclass(frozen=True)
class JournalEntry:
    """One request as the service saw it.

    - ``endpoint``: ``general_basic``, ``accurate_basic`` or ``token``.
    - ``options``: the form fields other than the input and credentials (``language_type``, ``detect_direction``,
      ``pdf_file_num``, ``grant_type``, …), as sent (text).
    - ``input_kind`` / ``input_size``: which input was sent and its size in bytes (decoded image or PDF bytes,
      estimated from the base64 length; the url's length for ``url``); never the data or the url itself.
    - ``auth``: how the caller authenticated (never the credential).
    - ``error_code``: the Baidu error code answered (``None`` for a result), and ``injected`` when a fault
      answered it; ``status``: the HTTP status.
    """

    endpoint: str
    options: Mapping[str, str] = field(default_factory=dict)
    input_kind: InputKind = "none"
    input_size: int = 0
    auth: AuthKind = "none"
    error_code: int | None = None
    status: int = 0
    injected: bool = False


class RequestJournal:
    """The last ``capacity`` requests, oldest first (thread-safe)."""

    def __init__(self, capacity: int = 1000) -> None:
        self._lock = threading.Lock()
        self._entries: deque[JournalEntry] = deque(maxlen=capacity)

    def record(self, entry: JournalEntry) -> None:
        with self._lock:
            self._entries.append(entry)

    def entries(self, endpoint: str | None = None) -> list[JournalEntry]:
        """The recorded requests (to ``endpoint``, or all), oldest first."""
        with self._lock:
            return [entry for entry in self._entries if endpoint is None or entry.endpoint == endpoint]

    def clear(self) -> None:
        """Forget every recorded request."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


def auth_kind(query: Mapping[str, str], authorization: str, grant_type: str | None) -> AuthKind:
    """How a request authenticated, from its query, ``Authorization`` header and (token endpoint) grant type."""
    kinds: list[AuthKind] = []
    if "access_token" in query:
        kinds.append("access_token")
    scheme = authorization.strip().lower()
    if scheme.startswith("bce-auth-v1/"):
        kinds.append("bce-auth-v1")
    elif scheme.startswith("bearer "):
        kinds.append("bearer")
    if grant_type == "client_credentials":
        kinds.append("client_credentials")
    if not kinds:
        return "none"
    return kinds[0] if len(kinds) == 1 else "several"
