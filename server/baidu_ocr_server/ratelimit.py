"""Per-app QPS and daily request limits, in process memory (so per replica), with an injectable clock.

- QPS: a token bucket holding at most ``max(1, qps)`` requests, refilled at ``qps`` per second; an empty bucket
  refuses with error 18.
- Daily: a counter per calendar day in Beijing time (UTC+8, when Baidu's quotas reset); a full counter refuses
  with error 17.

A refused request consumes nothing. The daily limit is checked first (17 wins over 18).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from baidu_ocr_spec import ErrorCode

__all__ = ["AppLimiter", "AppLimiters"]

_DAY_OFFSET = 8 * 3600  # Beijing time
Clock = Callable[[], float]


@dataclass
class AppLimiter:
    """The limits of one app; :meth:`acquire` returns ``None`` when allowed or the Baidu error code."""

    qps: float | None
    daily_limit: int | None
    _tokens: float = 0.0
    _last: float | None = None
    _day: int | None = None
    _count: int = 0

    def acquire(self, now: float) -> ErrorCode | None:
        day = int((now + _DAY_OFFSET) // 86400)
        if day != self._day:
            self._day, self._count = day, 0
        if self.daily_limit is not None and self._count >= self.daily_limit:
            return ErrorCode.DAILY_LIMIT_REACHED
        if self.qps is not None:
            capacity = max(1.0, self.qps)
            if self._last is None:
                self._tokens = capacity
            else:
                self._tokens = min(capacity, self._tokens + max(0.0, now - self._last) * self.qps)
            self._last = now
            if self._tokens < 1.0:
                return ErrorCode.QPS_LIMIT_REACHED
            self._tokens -= 1.0
        self._count += 1
        return None


@dataclass
class AppLimiters:
    """Limiters for all apps, created on first use; thread-safe."""

    clock: Clock = time.time
    """Wall-clock seconds since the epoch (the day boundary needs the date; QPS tolerates small jumps)."""
    _apps: dict[str, AppLimiter] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def acquire(self, client_id: str, qps: float | None, daily_limit: int | None) -> ErrorCode | None:
        """Count one request of ``client_id``: ``None`` if allowed, else 17 (daily) or 18 (QPS)."""
        if qps is None and daily_limit is None:
            return None
        with self._lock:
            limiter = self._apps.get(client_id)
            if limiter is None or (limiter.qps, limiter.daily_limit) != (qps, daily_limit):
                limiter = self._apps[client_id] = AppLimiter(qps, daily_limit)
            return limiter.acquire(self.clock())
