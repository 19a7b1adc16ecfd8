"""The real local service (HTTP on 127.0.0.1) with a quick engine that counts its calls, for the bulk-run tests.

The engine reads no text: each answer names the image's size, so that different images answer differently and a
test can tell which image an answer belongs to.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from PIL import Image

from baidu_ocr_server.config import AppCredentials, ServiceConfig
from baidu_ocr_server.embedded import LocalService
from baidu_ocr_server.engine import EngineProfile, EngineResult, RecognizedLine

API_KEY, SECRET_KEY = "bulk-key", "bulk-secret"


class CountingEngine:
    """Answers one line, ``"<width>x<height>"``, per image, after ``delay`` seconds; counts the images it was given."""

    def __init__(self, delay: float = 0.0) -> None:
        self.calls = 0
        self.delay = delay
        self._lock = threading.Lock()

    def recognize(self, image: Any, profile: EngineProfile, detect_direction: bool) -> EngineResult:
        with self._lock:
            self.calls += 1
        if self.delay:
            time.sleep(self.delay)
        width, height = image.size
        box = ((0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0))
        text = f"{width}x{height}"
        return EngineResult((RecognizedLine(text, box, tuple(0.9 for _ in text), 0.9),), 0, width, height)


def png(width: int, height: int = 24) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def config(qps: float | None = None, daily_limit: int | None = None) -> ServiceConfig:
    app = AppCredentials(API_KEY, SECRET_KEY, qps=qps, daily_limit=daily_limit)
    return ServiceConfig(apps=(app,), signing_key="bulk-signing-key", preload_engine=False, engine_threads=2)


@contextmanager
def local_service(
    qps: float | None = None, daily_limit: int | None = None, port: int = 0, delay: float = 0.0
) -> Iterator[tuple[LocalService, CountingEngine]]:
    engine = CountingEngine(delay)
    with LocalService(config(qps, daily_limit), engine=engine, port=port) as service:
        yield service, engine
