"""When to try a request again, and how long to wait: pure decisions, applied by stamina in the clients."""

from __future__ import annotations

from dataclasses import dataclass

from baidu_ocr_spec import ERROR_CODES

from ._errors import APIError, InvalidResponseError, TransportError

__all__ = ["DEFAULT_MAX_RETRIES", "Backoff", "RetryDecider"]

DEFAULT_MAX_RETRIES = 2
_RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Backoff:
    """Capped exponential backoff with jitter: ``initial * 2**n`` seconds, at most ``maximum``, plus up to
    ``jitter`` seconds at random."""

    initial: float = 0.5
    maximum: float = 8.0
    jitter: float = 1.0


class RetryDecider:
    """Decides, for one call, whether an error is worth another attempt.

    Retried: QPS / cluster limits (18, 4) and transient server codes (the spec's ``retry: backoff`` rows), a
    url download timeout once (282112), timeouts, connection errors and 429/5xx answers that are not Baidu's
    JSON. Never: daily or total quota (17, 19), parameter, image, permission and auth errors, unknown codes.
    """

    def __init__(self) -> None:
        self._used_once: set[int | str] = set()

    def __call__(self, error: Exception) -> bool:
        if isinstance(error, TransportError):
            return True
        if isinstance(error, InvalidResponseError):
            return error.status_code in _RETRYABLE_STATUS
        if not isinstance(error, APIError) or not isinstance(error.error_code, int):
            return False
        row = ERROR_CODES.get(error.error_code)
        if row is None:
            return False
        if row.retry == "once":
            if error.error_code in self._used_once:
                return False
            self._used_once.add(error.error_code)
            return True
        return row.retry == "backoff"
