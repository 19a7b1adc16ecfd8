"""Quota stops: which errors, the next reset at midnight Beijing time, the message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from baidu_ocr import APIError, RequestTimeoutError
from baidu_ocr._errors import api_error
from baidu_ocr._quota import BEIJING_TIME, QuotaStop, is_quota_error, next_quota_reset

DAILY = api_error(17, "Open api daily request limit reached")


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (DAILY, True),
        (api_error(19, "Open api total request limit reached"), True),
        (api_error(18, "Open api qps request limit reached"), False),
        (APIError("17", "code as text is not a documented int"), False),
        (RequestTimeoutError("timed out"), False),
        (None, False),
    ],
)
def test_quota_errors_come_from_the_spec_table(error: BaseException | None, expected: bool) -> None:
    assert is_quota_error(error) is expected


@pytest.mark.parametrize(
    ("now", "reset"),
    [
        (datetime(2026, 11, 25, 23, 0, tzinfo=UTC), datetime(2026, 11, 27, 0, 0, tzinfo=BEIJING_TIME)),
        (datetime(2026, 11, 25, 15, 59, 59, tzinfo=UTC), datetime(2026, 11, 26, 0, 0, tzinfo=BEIJING_TIME)),
        (datetime(2026, 11, 25, 16, 0, tzinfo=UTC), datetime(2026, 11, 27, 0, 0, tzinfo=BEIJING_TIME)),
        (datetime(2026, 12, 31, 20, 0, tzinfo=UTC), datetime(2027, 1, 2, 0, 0, tzinfo=BEIJING_TIME)),
        (
            datetime(2026, 11, 25, 10, 0, tzinfo=timezone(timedelta(hours=-5))),  # 23:00 in Beijing
            datetime(2026, 11, 26, 0, 0, tzinfo=BEIJING_TIME),
        ),
    ],
)
def test_the_next_reset_is_the_next_beijing_midnight(now: datetime, reset: datetime) -> None:
    got = next_quota_reset(now)
    assert got == reset
    assert got > now
    assert got - now <= timedelta(days=1)
    assert got.utcoffset() == timedelta(hours=8)


def test_the_next_reset_needs_an_aware_time() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_quota_reset(datetime(2026, 11, 25, 12, 0))  # naive: the point of the test
    assert next_quota_reset() > datetime.now(UTC)


def test_the_stop_message_says_done_remaining_and_when() -> None:
    now = datetime(2026, 11, 25, 14, 30, tzinfo=UTC)
    stop = QuotaStop.from_error(DAILY, done=120, remaining=180, now=now)
    assert stop.resets_at == datetime(2026, 11, 26, 0, 0, tzinfo=BEIJING_TIME)
    message = stop.message(now, then="run it again")
    assert message.startswith("quota used up: Baidu OCR error 17: Open api daily request limit reached")
    assert "\n" not in message
    assert "stopped with 120 items done and 180 remaining" in message
    assert "midnight Beijing time, 2026-11-26 00:00 UTC+8 (16:00 UTC, in 1 h 30 min)" in message
    assert message.endswith("Then run it again.")
    assert "10 items done and some remaining" in QuotaStop.from_error(DAILY, done=10, remaining=None).message()
