"""Fault injection for tests: the next N calls to an endpoint answer a given Baidu error code, or are delayed.

Only reachable through a :class:`~baidu_ocr_server.controls.TestControls` handed to ``create_app`` in-process (the
test kit does this); a service started by ``serve`` has no faults and no way to arm them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from baidu_ocr_spec import ERROR_CODES, LIMITS

__all__ = ["ENDPOINT_PATHS", "TOKEN_ENDPOINT", "Fault", "FaultPlan"]

TOKEN_ENDPOINT = "token"
ENDPOINT_PATHS: dict[str, str] = {
    **{name: limits.path for name, limits in LIMITS.items()},
    TOKEN_ENDPOINT: "/oauth/2.0/token",
}
"""Endpoint name → path: the OCR operations (``general_basic``, ``accurate_basic``) and ``token``."""

MAX_FAULTS = 1000
"""Most faults armed at once (a bound, not a target)."""
MAX_DELAY = 60.0
"""Longest delay a fault may add, in seconds."""


@dataclass(frozen=True)
class Fault:
    """One armed fault: answer ``error_code`` (OCR endpoints only), or wait ``delay`` seconds first, or both."""

    endpoint: str
    error_code: int | None = None
    delay: float = 0.0


class FaultPlan:
    """Faults waiting for their calls, first armed first served per endpoint (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[Fault] = []

    def fail(self, endpoint: str, error_code: int, times: int = 1, *, delay: float = 0.0) -> None:
        """The next ``times`` calls to ``endpoint`` answer Baidu's error JSON for ``error_code`` (after ``delay``)."""
        _check_endpoint(endpoint, ocr_only=True)
        if error_code not in ERROR_CODES:
            raise ValueError(f"{error_code} is not in the spec's error table (x-baidu-error-codes)")
        self._arm(Fault(endpoint, error_code, _checked_delay(delay)), times)

    def delay(self, endpoint: str, seconds: float, times: int = 1) -> None:
        """The next ``times`` calls to ``endpoint`` wait ``seconds`` before they are handled normally."""
        _check_endpoint(endpoint, ocr_only=False)
        self._arm(Fault(endpoint, None, _checked_delay(seconds)), times)

    def take(self, endpoint: str) -> Fault | None:
        """The next fault for ``endpoint``, removed from the plan; ``None`` when none is armed."""
        with self._lock:
            for index, fault in enumerate(self._queue):
                if fault.endpoint == endpoint:
                    return self._queue.pop(index)
        return None

    def pending(self, endpoint: str | None = None) -> list[Fault]:
        """The faults still armed (for ``endpoint``, or all), in the order they will fire."""
        with self._lock:
            return [fault for fault in self._queue if endpoint is None or fault.endpoint == endpoint]

    def clear(self) -> None:
        """Disarm every fault."""
        with self._lock:
            self._queue.clear()

    def _arm(self, fault: Fault, times: int) -> None:
        if times < 1:
            raise ValueError(f"times must be at least 1 (got {times})")
        with self._lock:
            if len(self._queue) + times > MAX_FAULTS:
                raise ValueError(f"at most {MAX_FAULTS} faults can be armed at once")
            self._queue.extend([fault] * times)


def _check_endpoint(endpoint: str, *, ocr_only: bool) -> None:
    names = [name for name in ENDPOINT_PATHS if not (ocr_only and name == TOKEN_ENDPOINT)]
    if endpoint not in names:
        raise ValueError(f"unknown endpoint {endpoint!r}; expected one of {', '.join(names)}")


def _checked_delay(seconds: float) -> float:
    if not 0 <= seconds <= MAX_DELAY:
        raise ValueError(f"a delay must be between 0 and {MAX_DELAY} seconds (got {seconds})")
    return float(seconds)
