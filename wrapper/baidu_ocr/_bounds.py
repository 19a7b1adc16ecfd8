"""Bounds on what a call may cost: how many bytes an answer may have, and an overall deadline per call.

httpx's ``timeout`` bounds each socket operation, not a call: a server that drips one byte a second never trips
it. A response hook wraps every answer's body stream before it is read: the stream stops with
:class:`~baidu_ocr.InvalidResponseError` past ``max_response_bytes`` and with
:class:`~baidu_ocr.RequestTimeoutError` once the call's deadline (a context variable set around each call) has
passed. The async client also cancels an attempt at the deadline (``asyncio.timeout``), which covers a server that
drips its headers.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import httpx

from ._errors import InvalidResponseError, RequestTimeoutError

__all__ = [
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "Deadline",
    "atime_limit",
    "bound_async_response",
    "bound_response",
    "time_limit",
]

DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024
"""32 MiB: far above any OCR answer (a dense page is tens of kB), far below what would hurt the process."""
DEFAULT_DEADLINE = 300.0
"""Seconds a call may take in all, across connecting, sending, reading and retries."""

_current_deadline: ContextVar[float | None] = ContextVar("baidu_ocr_deadline", default=None)


@dataclass(frozen=True)
class Deadline:
    """When a call must be over (``time.monotonic()`` seconds), or ``None`` for no deadline."""

    expires_at: float | None

    @classmethod
    def after(cls, seconds: float | None) -> Deadline:
        return cls(None if seconds is None else time.monotonic() + seconds)

    def remaining(self) -> float | None:
        """Seconds left (never below zero), or ``None``."""
        return None if self.expires_at is None else max(0.0, self.expires_at - time.monotonic())

    def clamp(self, timeout: httpx.Timeout) -> httpx.Timeout:
        """``timeout`` with no part longer than the time left."""
        left = self.remaining()
        if left is None:
            return timeout

        def part(value: float | None) -> float:
            return left if value is None else min(value, left)

        return httpx.Timeout(
            connect=part(timeout.connect), read=part(timeout.read), write=part(timeout.write), pool=part(timeout.pool)
        )

    def check(self) -> None:
        """Raise :class:`RequestTimeoutError` when the deadline has passed."""
        if self.expires_at is not None and time.monotonic() >= self.expires_at:
            raise RequestTimeoutError("the call's deadline passed before the answer was complete")


@contextmanager
def time_limit(deadline: Deadline) -> Iterator[None]:
    """Bound the answers read in this context by ``deadline`` (their body streams check it between chunks)."""
    token = _current_deadline.set(deadline.expires_at)
    try:
        yield
    finally:
        _current_deadline.reset(token)


@asynccontextmanager
async def atime_limit(deadline: Deadline) -> AsyncIterator[None]:
    """Like :func:`time_limit`, and cancel the attempt at the deadline (``TimeoutError``), headers included."""
    with time_limit(deadline):
        async with asyncio.timeout(deadline.remaining()):
            yield


class _BoundedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    def __init__(self, inner: httpx.SyncByteStream | httpx.AsyncByteStream, limit: int) -> None:
        self._inner = inner
        self._limit = limit
        self._deadline = Deadline(_current_deadline.get())
        self._seen = 0

    def _count(self, chunk: bytes) -> bytes:
        self._seen += len(chunk)
        if self._seen > self._limit:
            raise InvalidResponseError(
                f"the answer is larger than max_response_bytes ({self._limit:,} bytes)",
                status_code=0,
                body_excerpt="(not kept)",
            )
        self._deadline.check()
        return chunk

    def __iter__(self) -> Iterator[bytes]:
        assert isinstance(self._inner, httpx.SyncByteStream)
        for chunk in self._inner:
            yield self._count(chunk)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        assert isinstance(self._inner, httpx.AsyncByteStream)
        async for chunk in self._inner:
            yield self._count(chunk)

    def close(self) -> None:
        if isinstance(self._inner, httpx.SyncByteStream):
            self._inner.close()

    async def aclose(self) -> None:
        if isinstance(self._inner, httpx.AsyncByteStream):
            await self._inner.aclose()


def _declared_too_large(response: httpx.Response, limit: int) -> None:
    declared = response.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and len(declared) < 20 and int(declared) > limit:
        raise InvalidResponseError(
            f"the answer declares {int(declared):,} bytes; max_response_bytes is {limit:,}",
            status_code=response.status_code,
            body_excerpt="(not read)",
        )


def bound_response(limit: int) -> object:
    """A response hook for ``httpx.Client`` that bounds each answer's size and reading time."""

    def hook(response: httpx.Response) -> None:
        _declared_too_large(response, limit)
        response.stream = _BoundedStream(response.stream, limit)

    return hook


def bound_async_response(limit: int) -> object:
    """A response hook for ``httpx.AsyncClient`` that bounds each answer's size and reading time."""

    async def hook(response: httpx.Response) -> None:
        _declared_too_large(response, limit)
        response.stream = _BoundedStream(response.stream, limit)

    return hook
