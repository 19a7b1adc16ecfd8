"""Test controls: fault injection and a request journal, as an ASGI middleware installed only on request.

``create_app(config, test_controls=TestControls())`` (or ``LocalService(test_controls=...)``) installs
:class:`TestControlsMiddleware` inside the access-log middleware; without it (the default, and always under
``serve``) nothing here runs. The controls are an in-process handle: there is no HTTP control API.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from baidu_ocr_spec import LIMITS

from .faults import ENDPOINT_PATHS, FaultPlan
from .form import parse_form
from .journal import MAX_OPTION_CHARS, InputKind, JournalEntry, RequestJournal, auth_kind
from .middleware import LOG_KEY
from .responses import new_log_id, ocr_error

__all__ = ["TestControls", "TestControlsMiddleware"]

_ENDPOINT_BY_PATH = {path: name for name, path in ENDPOINT_PATHS.items()}
_INPUTS: tuple[InputKind, ...] = ("image", "url", "pdf_file")
_NOT_OPTIONS = frozenset({*_INPUTS, "access_token", "client_id", "client_secret"})
_BODY_CAP = max(limits.max_encoded_bytes for limits in LIMITS.values()) + 64 * 1024
"""Request bytes kept for the journal (the service refuses larger bodies anyway)."""
_ANSWER_CAP = 64 * 1024
"""Response bytes kept to read the answered error code."""


@dataclass
class TestControls:
    """What a test can steer and read: ``faults`` (:class:`~.faults.FaultPlan`) and ``journal``
    (:class:`~.journal.RequestJournal`)."""

    __test__ = False  # not a pytest test class

    faults: FaultPlan = field(default_factory=FaultPlan)
    journal: RequestJournal = field(default_factory=RequestJournal)
    _in_flight: int = field(default=0, init=False, repr=False)
    _idle: threading.Condition = field(default_factory=threading.Condition, init=False, repr=False)

    def reset(self) -> None:
        """Disarm every fault and empty the journal."""
        self.faults.clear()
        self.journal.clear()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no call to the token or OCR endpoints is being handled (e.g. one delayed by a fault whose
        client gave up), at most ``timeout`` seconds; whether that happened."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._in_flight:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
        return True

    def _enter(self) -> None:
        with self._idle:
            self._in_flight += 1

    def _leave(self) -> None:
        with self._idle:
            self._in_flight -= 1
            self._idle.notify_all()


class TestControlsMiddleware:
    """Applies armed faults to the OCR and token endpoints and journals every call to them."""

    __test__ = False

    def __init__(self, app: ASGIApp, controls: TestControls) -> None:
        self.app = app
        self.controls = controls

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        endpoint = _ENDPOINT_BY_PATH.get(scope.get("path", "")) if scope["type"] == "http" else None
        if endpoint is None:
            await self.app(scope, receive, send)
            return
        self.controls._enter()
        try:
            await self._handle(endpoint, scope, receive, send)
        finally:
            self.controls._leave()

    async def _handle(self, endpoint: str, scope: Scope, receive: Receive, send: Send) -> None:
        # The request is read first (up to _BODY_CAP) and replayed to the service, so that calls the service answers
        # without reading the body (a bad token, a rate limit) are journaled with their input too.
        read_ahead: list[Message] = []
        request_body = bytearray()
        while True:
            message = await receive()
            read_ahead.append(message)
            if message["type"] != "http.request":
                break
            request_body += message.get("body", b"")
            if not message.get("more_body", False) or len(request_body) > _BODY_CAP:
                break

        async def replay() -> Message:
            return read_ahead.pop(0) if read_ahead else await receive()

        answer = _Answer()
        fault = self.controls.faults.take(endpoint)
        injected = fault is not None and fault.error_code is not None

        async def teed_send(message: Message) -> None:
            answer.keep(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                # Recorded before the last byte leaves, so a client that got its answer finds the call journaled.
                self.controls.journal.record(_entry(endpoint, scope, bytes(request_body[:_BODY_CAP]), answer, injected))
            await send(message)

        if fault is not None and fault.delay:
            await anyio.sleep(fault.delay)
        if fault is not None and fault.error_code is not None:
            scope.setdefault(LOG_KEY, {}).update(error_code=fault.error_code)
            await ocr_error(fault.error_code, new_log_id())(scope, replay, teed_send)
        else:
            await self.app(scope, replay, teed_send)


class _Answer:
    """The status and (the start of) the body of a response."""

    def __init__(self) -> None:
        self.status = 0
        self.body = bytearray()

    def keep(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        elif message["type"] == "http.response.body" and len(self.body) < _ANSWER_CAP:
            self.body.extend(message.get("body", b"")[: _ANSWER_CAP - len(self.body)])

    def error_code(self) -> int | None:
        try:
            parsed: Any = json.loads(self.body)
        except ValueError:
            return None
        code = parsed.get("error_code") if isinstance(parsed, dict) else None
        return code if isinstance(code, int) else None


def _entry(endpoint: str, scope: Scope, body: bytes, answer: _Answer, injected: bool) -> JournalEntry:
    form = parse_form(body)
    query = parse_form(scope.get("query_string", b"")).fields
    headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope.get("headers", [])}
    kind: InputKind = next((name for name in _INPUTS if name in form.fields), "none")
    size = 0
    if kind == "url":
        size = len(form.fields["url"].encode("utf-8"))
    elif kind != "none":
        encoded = form.fields[kind]
        size = len(encoded) * 3 // 4 - encoded[-2:].count("=")
    options = {name: value[:MAX_OPTION_CHARS] for name, value in form.fields.items() if name not in _NOT_OPTIONS}
    return JournalEntry(
        endpoint=endpoint,
        options=options,
        input_kind=kind,
        input_size=size,
        auth=auth_kind(
            query, headers.get("authorization", ""), form.fields.get("grant_type") or query.get("grant_type")
        ),
        error_code=answer.error_code(),
        status=answer.status,
        injected=injected,
    )
