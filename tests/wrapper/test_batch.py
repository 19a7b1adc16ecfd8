"""Pure parts of the batch helpers: page selections and the client-side QPS limiter."""

from __future__ import annotations

import pytest

from baidu_ocr import InvalidOptionError, RateLimiter
from baidu_ocr._batch import MAX_PDF_PAGES, PageSelection, resolve_pages
from baidu_ocr._batch_controls import batch_pace
from baidu_ocr._pace import AdaptivePace


@pytest.mark.parametrize(
    ("selection", "count", "expected"),
    [
        ("all", None, [1]),
        ("all", 3, [1, 2, 3]),
        ("2-", None, [2]),
        ("2-", 4, [2, 3, 4]),
        ("1-3,5", 6, [1, 2, 3, 5]),
        (" 3 , 1-2 ", 3, [1, 2, 3]),
        (range(2, 4), 5, [2, 3]),
        ([3, 1, 3], None, [1, 3]),
        (2, 2, [2]),
        ("-3", 5, [1, 2, 3]),
    ],
)
def test_page_selections(selection: object, count: int | None, expected: list[int]) -> None:
    assert resolve_pages(selection, count) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("selection", "match"), [("x", "cannot read"), ("0", "1-based"), ([], "no page"), ("1-2-3", "cannot read")]
)
def test_bad_page_selections(selection: object, match: str) -> None:
    with pytest.raises(InvalidOptionError, match=match):
        resolve_pages(selection, 10)  # type: ignore[arg-type]


def test_page_beyond_the_document() -> None:
    with pytest.raises(InvalidOptionError, match="page 4 asked for, but the PDF has 3 pages"):
        resolve_pages("2-4", 3)


def test_rate_limiter_spaces_reservations() -> None:
    now = [100.0]
    limiter = RateLimiter(2.0, clock=lambda: now[0])
    assert [limiter.reserve() for _ in range(3)] == [0.0, 0.5, 1.0]
    now[0] += 5.0  # idle time is not banked as a burst
    assert [limiter.reserve() for _ in range(2)] == [0.0, 0.5]


def test_shared_limiter_is_used_as_is() -> None:
    limiter = RateLimiter(1.0)
    assert batch_pace(limiter, None) is limiter
    assert batch_pace(None, None) is None
    made = batch_pace(4.0, None)  # a float qps: an adaptive pace starting there, never faster
    assert isinstance(made, AdaptivePace)
    assert made.max_qps == 4.0
    assert limiter.interval == 1.0
    assert RateLimiter(4.0).interval == 0.25
    with pytest.raises(InvalidOptionError, match="positive"):
        RateLimiter(0)


@pytest.mark.parametrize("selection", ["1-999999999", "5-", range(1, 10**9), "99999999999999999999"])
def test_page_selections_and_page_counts_are_bounded(selection: PageSelection) -> None:
    """Neither a selection nor a service's page count can make the client build a list of a billion pages."""
    page_count = 10**9 if selection == "5-" else None
    with pytest.raises(InvalidOptionError, match="10,000"):
        resolve_pages(selection, page_count)
    assert resolve_pages("1-3", MAX_PDF_PAGES) == [1, 2, 3]
