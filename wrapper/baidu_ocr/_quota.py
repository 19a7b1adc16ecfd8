"""Stopping a run cleanly when the quota is used up: what is done, what remains, when the quota resets.

Baidu's daily quotas reset at midnight Beijing time (UTC+8, no daylight saving). Which codes mean "quota used
up" comes from the spec's error table (category ``quota``: the daily and the total limit); the service's own
message tells which of the two it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Final

from baidu_ocr_spec import ERROR_CODES

from ._errors import APIError

__all__ = ["BEIJING_TIME", "QuotaStop", "is_quota_error", "next_quota_reset"]

BEIJING_TIME: Final = timezone(timedelta(hours=8), "UTC+08:00")
_QUOTA_CODES: Final = frozenset(code for code, row in ERROR_CODES.items() if row.category == "quota")


def is_quota_error(error: BaseException | None) -> bool:
    """Whether ``error`` is the service saying the quota is used up (daily or total)."""
    return isinstance(error, APIError) and isinstance(error.error_code, int) and error.error_code in _QUOTA_CODES


def next_quota_reset(now: datetime | None = None) -> datetime:
    """The next midnight in Beijing time after ``now`` (default: the current time), as an aware datetime."""
    moment = datetime.now(UTC) if now is None else now
    if moment.tzinfo is None:
        raise ValueError("next_quota_reset needs an aware datetime")
    local = moment.astimezone(BEIJING_TIME)
    return datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), BEIJING_TIME)


def _duration(seconds: float) -> str:
    minutes = max(0, round(seconds / 60))
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


@dataclass(frozen=True)
class QuotaStop:
    """A run stopped by a used-up quota: ``done`` items are finished (in the output), ``remaining`` are not."""

    error: APIError
    done: int
    remaining: int | None
    """``None``: unknown (e.g. a PDF whose page count was never learnt)."""
    resets_at: datetime

    @classmethod
    def from_error(cls, error: APIError, *, done: int, remaining: int | None, now: datetime | None = None) -> QuotaStop:
        return cls(error, done, remaining, next_quota_reset(now))

    def message(self, now: datetime | None = None, *, then: str = "run the same command again to go on") -> str:
        """One line: the error, what is done and what remains, when the quota resets, and ``then``, what to do
        (``now`` only for the "in …" part)."""
        moment = datetime.now(UTC) if now is None else now
        wait = (self.resets_at - moment).total_seconds()
        remaining = "some" if self.remaining is None else str(self.remaining)
        return (
            f"quota used up: {self.error}; stopped with {self.done} items done and {remaining} remaining. "
            f"Daily quotas reset at midnight Beijing time, {self.resets_at:%Y-%m-%d %H:%M} UTC+8 "
            f"({self.resets_at.astimezone(UTC):%H:%M} UTC, in {_duration(wait)}); a total quota does not reset "
            f"(raise it in the Baidu console). Then {then}."
        )
