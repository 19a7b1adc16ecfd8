"""A pixel budget shared by the decoding threads: how many pixels may be held decoded at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["PixelBudget", "PixelBudgetError"]


class PixelBudgetError(Exception):
    """One image alone needs more pixels than the whole budget."""


class PixelBudget:
    """Blocking reservations of ``pixels`` out of ``total`` (thread-safe; for decoding threads, not the event loop)."""

    def __init__(self, total: int) -> None:
        self.total = total
        self._used = 0
        self._changed = threading.Condition()

    @contextmanager
    def reserve(self, pixels: int) -> Iterator[None]:
        """Hold ``pixels`` for the block, waiting while others hold too many; raises
        :class:`PixelBudgetError` at once if ``pixels`` exceeds the whole budget."""
        if pixels > self.total:
            raise PixelBudgetError(f"{pixels} pixels, budget {self.total}")
        with self._changed:
            self._changed.wait_for(lambda: self._used + pixels <= self.total)
            self._used += pixels
        try:
            yield
        finally:
            with self._changed:
                self._used -= pixels
                self._changed.notify_all()
