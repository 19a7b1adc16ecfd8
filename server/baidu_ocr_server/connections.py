"""Connection hygiene around uvicorn: header / body / keep-alive timeouts, a connection cap, Baidu JSON for bad heads.

uvicorn (0.54) has a keep-alive timeout and a size cap on request heads, but no timeout for receiving a request's
head or body, only a request-level concurrency limit (answered in plain text, connections still accepted), and a
plain-text 400 for malformed or oversize heads. :class:`GuardedH11Protocol` adds what is missing as a subclass of
its h11 protocol, one timer per connection, by phase:

- waiting for a request (a new connection: ``header_timeout``; between keep-alive requests:
  ``keep_alive_timeout``): closed silently;
- a request head started but not complete within ``header_timeout`` of its first byte: HTTP 408 with
  ``{"error_code": 282000, ...}``, closed;
- a body not complete within ``body_timeout`` of its head: the app answers first (282000, ``Connection: close``,
  see :mod:`.app`); if it has already answered (the body is being drained) or does not within a grace period,
  the connection is closed.
- an oversize request line or headers (over ``max_header_bytes``): HTTP 431 with 216103; any other malformed
  head: HTTP 400 with 216100.
- at most ``max_connections`` open connections per process: at the cap, the connection that has waited longest
  for a request (idle or dripping its head) is closed to make room; when none is waiting, the new connection is
  answered HTTP 503 with error 18 and closed. So ``/healthz`` and real requests still get through while thousands
  of idle or dripping connections are open, and the process never runs out of file descriptors.

Why uvicorn and not another server: hypercorn and granian answer malformed heads in their own plain-text format,
and neither caps connections by evicting idle ones; a subclass of uvicorn's h11 protocol keeps the server the rest
of the service and its tests use, adds no dependency, and answers every case in Baidu's JSON.
"""

from __future__ import annotations

import asyncio
import resource
import weakref
from dataclasses import dataclass
from typing import Any, Literal

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from baidu_ocr_spec import ErrorCode

from .config import ServiceConfig
from .responses import new_log_id, ocr_error

__all__ = [
    "FD_RESERVE",
    "ConnectionLimits",
    "GuardedH11Protocol",
    "GuardedServerConfig",
    "raise_open_file_limit",
]

FD_RESERVE = 256
"""File descriptors kept free of client connections (listening sockets, ``url`` downloads, logs, the PDF helper)."""
BODY_GRACE = 5.0
"""Seconds past ``body_timeout`` the app has to answer before the connection is closed under it."""

Phase = Literal["waiting", "head", "body", "busy"]


@dataclass(frozen=True)
class ConnectionLimits:
    """The connection limits of one server process (see :class:`~.config.ServiceConfig` for their meaning)."""

    header_timeout: float = 10.0
    body_timeout: float = 60.0
    keep_alive_timeout: float = 5.0
    max_connections: int = 4096
    max_header_bytes: int = 16384

    @classmethod
    def from_config(cls, config: ServiceConfig) -> ConnectionLimits:
        """The config's limits, ``max_connections`` lowered to fit the process's open-file limit."""
        soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        fitting = config.max_connections
        if soft != resource.RLIM_INFINITY:
            fitting = max(1, min(fitting, soft - FD_RESERVE))
        return cls(
            header_timeout=config.header_timeout,
            body_timeout=config.body_timeout,
            keep_alive_timeout=config.keep_alive_timeout,
            max_connections=fitting,
            max_header_bytes=config.max_header_bytes,
        )


def raise_open_file_limit(wanted: int) -> int:
    """Raise the soft open-file limit towards ``wanted`` (never beyond the hard limit); returns the soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return target
    return soft


class GuardedServerConfig(uvicorn.Config):
    """uvicorn's config with :class:`GuardedH11Protocol` and the service's :class:`ConnectionLimits` (picklable, so
    that worker processes receive it, secrets included, through the pipe uvicorn starts them with)."""

    def __init__(self, app: Any, limits: ConnectionLimits, **kwargs: Any) -> None:
        super().__init__(
            app,
            http=GuardedH11Protocol,
            timeout_keep_alive=limits.keep_alive_timeout,  # type: ignore[arg-type]  # a float works
            h11_max_incomplete_event_size=limits.max_header_bytes,
            **kwargs,
        )
        self.connection_limits = limits


_waiting_by_server: weakref.WeakKeyDictionary[ServerState, dict[GuardedH11Protocol, None]] = weakref.WeakKeyDictionary()


def _raw_error(status: int, reason: bytes, code: int) -> bytes:
    body = ocr_error(code, new_log_id()).body
    head = b"HTTP/1.1 %d %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\nconnection: close\r\n\r\n" % (
        status,
        reason,
        len(body),
    )
    return head + bytes(body)


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with the timeouts, connection cap and JSON errors described in the module."""

    def __init__(self, config: uvicorn.Config, server_state: ServerState, app_state: dict[str, Any], **kw: Any) -> None:
        super().__init__(config, server_state, app_state, **kw)
        self.connection_limits: ConnectionLimits = getattr(config, "connection_limits", None) or ConnectionLimits()
        self.phase: Phase = "waiting"
        self._timer: asyncio.TimerHandle | None = None
        self._grace_used = False
        waiting = _waiting_by_server.get(server_state)
        if waiting is None:
            waiting = _waiting_by_server[server_state] = {}
        self._waiting = waiting
        """Connections waiting for (the rest of) a request head, longest waiting first: eviction candidates."""

    # --- asyncio.Protocol --------------------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.connection_limits.max_connections and not self._make_room():
            self.transport.write(_raw_error(503, b"Service Unavailable", ErrorCode.QPS_LIMIT_REACHED))
            self._close()
            return
        self._enter("waiting", self.connection_limits.header_timeout)

    def data_received(self, data: bytes) -> None:
        before = self.conn.their_state
        if before is h11.IDLE and self._head_too_long(data):
            self.transport.write(_raw_error(431, b"Request Header Fields Too Large", ErrorCode.PARAM_TOO_LONG))
            self._close()
            return
        super().data_received(data)
        self._follow_state(received=before is h11.IDLE and bool(data))

    def connection_lost(self, exc: Exception | None) -> None:
        self._leave()
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._follow_state(received=False)

    def send_400_response(self, msg: str) -> None:
        """A malformed or oversize request head: Baidu's JSON instead of uvicorn's plain text."""
        buffered, _closed = self.conn.trailing_data
        if len(buffered) > self.connection_limits.max_header_bytes:
            self.transport.write(_raw_error(431, b"Request Header Fields Too Large", ErrorCode.PARAM_TOO_LONG))
        else:
            self.transport.write(_raw_error(400, b"Bad Request", ErrorCode.INVALID_PARAM))
        self._close()

    def _head_too_long(self, data: bytes) -> bool:
        """Whether the request head being received is over ``max_header_bytes`` (h11 checks only incomplete
        heads, so a long head arriving in one piece would pass)."""
        buffered, _closed = self.conn.trailing_data
        combined = buffered + data
        end = combined.find(b"\r\n\r\n")
        length = len(combined) if end < 0 else end + 4
        return length > self.connection_limits.max_header_bytes

    # --- phases ------------------------------------------------------------------------------------------------

    def _follow_state(self, *, received: bool) -> None:
        """Move to the phase h11's view of the client implies, (re)arming the timer when the phase changes."""
        if self.transport.is_closing():
            self._leave()
            return
        state = self.conn.their_state
        if state is h11.IDLE:
            if received and self.phase != "head":
                self._enter("head", self.connection_limits.header_timeout)
            elif not received and self.phase in ("body", "busy"):
                self._enter("waiting", self.connection_limits.keep_alive_timeout)
        elif state is h11.SEND_BODY:
            if self.phase != "body":
                self._enter("body", self.connection_limits.body_timeout)
        elif self.phase != "busy":
            self._enter("busy", None)

    def _enter(self, phase: Phase, timeout: float | None) -> None:
        self.phase = phase
        self._cancel_timer()
        self._grace_used = False
        if phase in ("waiting", "head"):
            if phase == "waiting" or self not in self._waiting:
                self._waiting.pop(self, None)
                self._waiting[self] = None
        else:
            self._waiting.pop(self, None)
        if timeout is not None:
            self._timer = self.loop.call_later(timeout, self._expired)

    def _expired(self) -> None:
        self._timer = None
        if self.transport.is_closing():
            return
        if self.phase == "head":
            self.transport.write(_raw_error(408, b"Request Timeout", ErrorCode.INTERNAL_ERROR))
        elif self.phase == "body":
            cycle = self.cycle
            answering = cycle is not None and not cycle.response_complete
            if answering and not self._grace_used:  # the app answers a late body itself; give it a moment
                self._grace_used = True
                self._timer = self.loop.call_later(BODY_GRACE, self._expired)
                return
        self._close()

    def _make_room(self) -> bool:
        """Close the connection that has waited longest for a request; ``False`` if none is waiting."""
        for victim in self._waiting:
            if victim is not self:
                if victim.phase == "head":
                    victim.transport.write(_raw_error(503, b"Service Unavailable", ErrorCode.QPS_LIMIT_REACHED))
                victim._close()
                return True
        return False

    def _close(self) -> None:
        self._leave()
        self.connections.discard(self)  # counted out now, not when the loop reports the close
        if not self.transport.is_closing():
            self.transport.close()

    def _leave(self) -> None:
        self._cancel_timer()
        self._waiting.pop(self, None)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
