"""Honest accounting of a run: how many calls were made, answered from the cache, retried, refused, failed.

One :class:`CallCounters` is shared by every thread or task of a run (its updates are behind a lock);
:meth:`CallCounters.snapshot` gives the figures and :meth:`CallTally.summary` the line the CLI prints.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

__all__ = ["CallCounters", "CallTally"]


@dataclass(frozen=True)
class CallTally:
    """The figures of a run at one moment."""

    calls: int = 0
    """Requests sent to the OCR endpoint (every attempt, retries included)."""
    retried: int = 0
    """Of those, the attempts that repeated an earlier one."""
    rate_limited: int = 0
    """Answers that said "too fast" (the spec's rate-limit codes)."""
    cached: int = 0
    """Items answered from the result cache (no request)."""
    succeeded: int = 0
    """Items recognized (from the service or the cache)."""
    failed: int = 0
    """Items that ended in an error."""
    skipped: int = 0
    """Items already in the results file of an earlier run (no request)."""

    def summary(self) -> str:
        """One line: ``12 calls made (1 retried, 1 too fast), 30 cached, 3 already done; 41 recognized, 1 failed``."""
        extra = [f"{self.retried} retried"] if self.retried else []
        if self.rate_limited:
            extra.append(f"{self.rate_limited} too fast")
        made = f"{self.calls} call{'s' if self.calls != 1 else ''} made" + (f" ({', '.join(extra)})" if extra else "")
        parts = [made, f"{self.cached} cached"]
        if self.skipped:
            parts.append(f"{self.skipped} already done")
        return f"{', '.join(parts)}; {self.succeeded} recognized, {self.failed} failed"


class CallCounters:
    """Thread-safe counters of a run (see :class:`CallTally` for what each counts)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts = dict.fromkeys(CallTally.__dataclass_fields__, 0)

    def __repr__(self) -> str:
        return f"CallCounters({self.snapshot().summary()})"

    def add(
        self,
        *,
        calls: int = 0,
        retried: int = 0,
        rate_limited: int = 0,
        cached: int = 0,
        succeeded: int = 0,
        failed: int = 0,
        skipped: int = 0,
    ) -> None:
        """Add to the counters (all at once, under one lock)."""
        changes = {
            "calls": calls,
            "retried": retried,
            "rate_limited": rate_limited,
            "cached": cached,
            "succeeded": succeeded,
            "failed": failed,
            "skipped": skipped,
        }
        if any(value < 0 for value in changes.values()):
            raise ValueError("counters only grow")
        with self._lock:
            for name, value in changes.items():
                self._counts[name] += value

    def count_attempt(self, attempt: int) -> None:
        """One request sent; ``attempt`` is 1 for the first try of an item, 2 for its first retry, …"""
        self.add(calls=1, retried=int(attempt > 1))

    def snapshot(self) -> CallTally:
        with self._lock:
            return CallTally(**self._counts)
