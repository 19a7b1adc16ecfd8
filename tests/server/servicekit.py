"""Helpers for the service tests: a fake OCR engine, a config, a client for a running service."""

from __future__ import annotations

import base64
import io
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode

import httpx
from PIL import Image

from baidu_ocr_server.config import AppCredentials, ServiceConfig
from baidu_ocr_server.embedded import LocalService
from baidu_ocr_server.engine import EngineProfile, EngineResult, RecognizedLine

SIGNING_KEY = "test-signing-key"
GENERAL = "/rest/2.0/ocr/v1/general_basic"
ACCURATE = "/rest/2.0/ocr/v1/accurate_basic"
TOKEN = "/oauth/2.0/token"
DEMO_ID, DEMO_SECRET = "local-api-key", "local-secret-key"


def _line(text: str, top: float, left: float = 10.0, scores: tuple[float, ...] | None = None) -> RecognizedLine:
    box = ((left, top), (left + 20.0 * len(text), top), (left + 20.0 * len(text), top + 20.0), (left, top + 20.0))
    chars = scores or tuple(0.9 for _ in text)
    return RecognizedLine(text, box, chars, sum(chars) / len(chars))


DEFAULT_LINES = (
    _line(" TSINGTAO", 10, scores=(0.9, 0.8, 1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9)),
    _line("青島啤酒", 34),
    _line("second paragraph", 120),
)
"""Two lines close together (one paragraph) and a third far below (another)."""


@dataclass
class Call:
    size: tuple[int, int]
    profile: EngineProfile
    detect_direction: bool


@dataclass
class FakeEngine:
    """An :class:`OCREngine` that returns scripted lines and records its calls."""

    lines: tuple[RecognizedLine, ...] = DEFAULT_LINES
    rotation: int = 0
    fail: bool = False
    calls: list[Call] = field(default_factory=list)

    def recognize(self, image: Any, profile: EngineProfile, detect_direction: bool) -> EngineResult:
        self.calls.append(Call(image.size, profile, detect_direction))
        if self.fail:
            raise RuntimeError("engine exploded")
        rotation = self.rotation if detect_direction else 0
        return EngineResult(self.lines, rotation, image.size[0], image.size[1])

    def reset(self) -> None:
        self.lines, self.rotation, self.fail = DEFAULT_LINES, 0, False
        self.calls.clear()


def png(width: int = 64, height: int = 32, fmt: str = "PNG", mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (width, height), "white").save(buffer, format=fmt)
    return buffer.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def make_config(**changes: Any) -> ServiceConfig:
    apps = (
        AppCredentials(DEMO_ID, DEMO_SECRET),
        AppCredentials("qps-app", "qps-secret", qps=1),
        AppCredentials("daily-app", "daily-secret", daily_limit=2),
    )
    base = ServiceConfig(apps=apps, signing_key=SIGNING_KEY, preload_engine=False, engine_threads=2)
    return base.with_overrides(**changes)


@dataclass
class Api:
    """A running service and helpers to call it over real HTTP."""

    service: LocalService
    engine: FakeEngine
    http: httpx.Client

    def token(self, client_id: str = DEMO_ID, secret: str = DEMO_SECRET) -> str:
        response = self.http.post(
            TOKEN, data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
        )
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])

    def ocr(self, path: str = GENERAL, token: str | None = None, **fields: str) -> dict[str, Any]:
        response = self.post(path, token, urlencode(fields).encode())
        assert response.status_code == 200
        result: dict[str, Any] = response.json()
        return result

    def post(self, path: str, token: str | None, body: bytes, **headers: str) -> httpx.Response:
        params = {"access_token": self.token() if token is None else token}
        return self.http.post(
            path,
            params=params,
            content=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", **headers},
        )


class Redirector:
    """A real HTTP server answering every GET with a redirect to ``target`` (set per test)."""

    def __init__(self) -> None:
        self.target = ""
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                self.send_response(302)
                self.send_header("Location", owner.target)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"


@dataclass
class GatedEngine(FakeEngine):
    """A :class:`FakeEngine` whose calls wait for :attr:`gate` (bounded: 60 s) and count who is inside."""

    gate: threading.Event = field(default_factory=threading.Event)
    inside: int = 0

    def recognize(self, image: Any, profile: EngineProfile, detect_direction: bool) -> EngineResult:
        self.inside += 1
        try:
            if not self.gate.wait(60):
                raise RuntimeError("gate never opened")
            return super().recognize(image, profile, detect_direction)
        finally:
            self.inside -= 1


def wait_until(condition: Callable[[], bool], what: str, tries: int = 1000) -> None:
    """Poll ``condition`` every 10 ms, at most ``tries`` times (a bounded wait, not a timed assertion)."""
    for _ in range(tries):
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError(f"never happened: {what}")
