"""The process-wide OCR engine and the per-app holder that loads it lazily, off the event loop.

Loading the models takes a second or two and a few hundred MB, so every app (and every
:class:`~baidu_ocr_server.embedded.LocalService`) in a process shares :func:`shared_engine` unless given its own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import anyio
import anyio.to_thread

from .engine import OCREngine, RapidOCREngine

__all__ = ["EngineHolder", "shared_engine"]

_shared: OCREngine | None = None
_shared_lock = threading.Lock()


def shared_engine() -> OCREngine:
    """The process-wide :class:`RapidOCREngine`, created on first call (thread-safe)."""
    global _shared  # noqa: PLW0603 - a process-wide cache is the point
    with _shared_lock:
        if _shared is None:
            _shared = RapidOCREngine()
        return _shared


class EngineHolder:
    """An engine given up front, or loaded once by ``loader`` in a worker thread on first :meth:`get`."""

    def __init__(self, engine: OCREngine | None, loader: Callable[[], OCREngine] = shared_engine) -> None:
        self._engine = engine
        self._loader = loader
        self._lock: anyio.Lock | None = None

    @property
    def loaded(self) -> bool:
        return self._engine is not None

    @property
    def engine(self) -> OCREngine | None:
        """The engine if loaded."""
        return self._engine

    async def get(self) -> OCREngine:
        """The engine, loading it first if needed (concurrent callers wait for one load)."""
        if self._engine is not None:
            return self._engine
        if self._lock is None:
            self._lock = anyio.Lock()
        async with self._lock:
            if self._engine is None:
                self._engine = await anyio.to_thread.run_sync(self._loader)
        return self._engine
