"""The local service with an engine that finds no text, for tests about who may call rather than what is read."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from baidu_ocr_server.config import ServiceConfig
from baidu_ocr_server.embedded import LocalService
from baidu_ocr_server.engine import EngineProfile, EngineResult


class BlankEngine:
    """An OCR engine that finds no text."""

    def recognize(self, image: Any, profile: EngineProfile, detect_direction: bool) -> EngineResult:
        return EngineResult((), 0, image.size[0], image.size[1])


@contextmanager
def blank_service() -> Iterator[LocalService]:
    """The service with its demo credentials of every kind, on 127.0.0.1."""
    with LocalService(ServiceConfig(preload_engine=False, engine_threads=1), engine=BlankEngine()) as running:
        yield running
