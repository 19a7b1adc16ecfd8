"""What ``recognize_many`` may add to its requests: an adaptive pace, a result cache, run counters.

:class:`BatchControls` holds them for one call and does the cache's part (key, look-up, store); the clients do the
pace's part around each attempt (it needs their sleeping). No I/O but the cache's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._accounting import CallCounters
from ._batch import RateLimiter
from ._errors import InvalidOptionError
from ._pace import AdaptivePace
from ._result import OCRResult
from ._result_cache import ResultCache, cache_key

__all__ = ["BatchControls", "batch_pace"]


def batch_pace(qps: float | RateLimiter | None, pace: AdaptivePace | None) -> AdaptivePace | RateLimiter | None:
    """The pacing of a batch: ``pace`` as given (shared), or an adaptive pace that starts at ``qps`` and never
    goes above it; a :class:`RateLimiter` given as ``qps`` keeps its fixed pace."""
    if pace is not None and qps is not None:
        raise InvalidOptionError("pass qps= or pace=, not both (an AdaptivePace has its own start and max_qps)")
    if pace is not None:
        return pace
    if qps is None or isinstance(qps, RateLimiter):
        return qps
    if qps <= 0:
        raise InvalidOptionError(f"qps must be positive, got {qps}")
    return AdaptivePace(qps, max_qps=qps)


@dataclass(frozen=True)
class BatchControls:
    """The pace, cache and counters of one ``recognize_many`` call, and the cache key's fixed parts."""

    pace: AdaptivePace | None = None
    cache: ResultCache | None = None
    counters: CallCounters | None = None
    options: Mapping[str, object] | None = None
    """The checked request options (part of every cache key)."""
    service: str = ""
    """The service's :func:`~baidu_ocr._result_cache.cache_scope` (part of every cache key)."""

    def key(self, endpoint: str, input_id: str | None, page: int | None) -> str | None:
        """The cache key of a request, or ``None`` without a cache (or an input identity)."""
        if self.cache is None or input_id is None:
            return None
        return cache_key(endpoint, input_id=input_id, options=self.options or {}, page=page, service=self.service)

    def cached(self, key: str | None) -> OCRResult | None:
        """The stored result for ``key`` (marked ``from_cache``), counted; ``None`` when absent."""
        if key is None or self.cache is None:
            return None
        stored = self.cache.get(key)
        if stored is None:
            return None
        result = OCRResult.from_json(stored)
        result.from_cache = True
        if self.counters is not None:
            self.counters.add(cached=1)
        return result

    def store(self, key: str | None, answer: dict[str, Any]) -> None:
        """Keep a fresh result (the cache refuses errors)."""
        if key is not None and self.cache is not None:
            self.cache.put(key, answer)

    def count_item(self, ok: bool) -> None:
        if self.counters is not None:
            self.counters.add(succeeded=int(ok), failed=int(not ok))
