"""``recognize_many`` with a result cache, an adaptive pace and run counters, sync and async, against the real local
service (and, for scripted refusals, the local responder)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from bulk_service import API_KEY, SECRET_KEY, local_service, png
from imaging import render_pdf
from responder import Answer, Responder

from baidu_ocr import OCR, AsyncOCR, Backoff, ImageURL, InvalidOptionError, ItemResult, PdfPage, RateLimiter, Source
from baidu_ocr._accounting import CallCounters, CallTally
from baidu_ocr._batch_controls import batch_pace
from baidu_ocr._pace import PACED_REFUSALS, AdaptivePace
from baidu_ocr._result_cache import ResultCache

NO_WAIT = Backoff(0, 0, 0)
GENERAL = "/rest/2.0/ocr/v1/general_basic"


def _sources(tmp_path: Path) -> list[Source]:
    (tmp_path / "c.png").write_bytes(png(70))
    pdf = render_pdf([["one"], ["two"]])
    return [png(50), png(60), str(tmp_path / "c.png"), PdfPage(pdf, 1), PdfPage(pdf, 2)]


def _answers(items: list[ItemResult]) -> list[dict[str, object]]:
    answers = []
    for item in items:
        assert item.result is not None, item.error
        answers.append({key: value for key, value in item.result.raw.items() if key != "log_id"})
    return answers


def test_cached_results_equal_fresh_ones_and_cost_no_call(tmp_path: Path) -> None:
    sources = _sources(tmp_path)
    with (
        local_service() as (service, engine),
        OCR(API_KEY, SECRET_KEY, base_url=service.base_url) as ocr,
        ResultCache(tmp_path / "cache.sqlite3") as cache,
    ):
        first_counts, second_counts = CallCounters(), CallCounters()
        fresh = list(ocr.recognize_many(sources, cache=cache, counters=first_counts, detect_direction=True))
        assert engine.calls == 5
        again = list(ocr.recognize_many(sources, cache=cache, counters=second_counts, detect_direction=True))
        assert engine.calls == 5  # nothing sent
        other_options = list(ocr.recognize_many(sources[:1], cache=cache))
        assert engine.calls == 6  # other options: another key
    assert [item.result is not None and item.result.from_cache for item in fresh] == [False] * 5
    assert [item.result is not None and item.result.from_cache for item in again] == [True] * 5
    assert other_options[0].result is not None
    assert not other_options[0].result.from_cache
    assert [item.result.raw for item in again if item.result] == [item.result.raw for item in fresh if item.result]
    texts = [item.result.text for item in again if item.result]
    assert texts == [item.result.text for item in fresh if item.result]
    assert texts[:3] == ["50x24", "60x24", "70x24"]
    assert [item.source for item in again] == sources  # the items as given
    assert first_counts.snapshot() == CallTally(calls=5, succeeded=5)
    assert second_counts.snapshot() == CallTally(cached=5, succeeded=5)


def test_the_async_client_uses_the_same_cache(tmp_path: Path) -> None:
    sources = _sources(tmp_path)

    async def run(base_url: str, cache: ResultCache, counters: CallCounters) -> list[ItemResult]:
        async with AsyncOCR(API_KEY, SECRET_KEY, base_url=base_url) as ocr:
            return [item async for item in ocr.recognize_many(sources, cache=cache, counters=counters)]

    with local_service() as (service, engine), ResultCache(tmp_path / "cache.sqlite3") as cache:
        with OCR(API_KEY, SECRET_KEY, base_url=service.base_url) as ocr:
            synced = list(ocr.recognize_many(sources[:3], cache=cache))
        counters = CallCounters()
        asynced = asyncio.run(run(service.base_url, cache, counters))
        assert engine.calls == 5  # three from the sync run's cache, the two PDF pages fresh
    assert _answers(asynced[:3]) == _answers(synced)
    assert [item.result is not None and item.result.from_cache for item in asynced] == [True] * 3 + [False] * 2
    assert counters.snapshot() == CallTally(calls=2, cached=3, succeeded=5)


def test_errors_are_not_cached(tmp_path: Path) -> None:
    refused = ImageURL("http://127.0.0.1:9/not-allowed.png")  # the service refuses private addresses
    with (
        local_service() as (service, _),
        OCR(API_KEY, SECRET_KEY, base_url=service.base_url, backoff=NO_WAIT) as ocr,
        ResultCache(tmp_path / "cache.sqlite3") as cache,
    ):
        counters = CallCounters()
        for _ in range(2):
            [item] = ocr.recognize_many([refused], cache=cache, counters=counters)
            assert item.error is not None
        assert cache.stats().entries == 0
    tally = counters.snapshot()
    assert (tally.cached, tally.failed, tally.succeeded) == (0, 2, 0)
    assert tally.calls >= 2


@pytest.fixture
def refuses_once(responder: Responder) -> Responder:
    responder.route("/oauth/2.0/token", Answer.json({"access_token": "t", "expires_in": 2592000}))
    ok = Answer.json({"log_id": 1, "words_result_num": 1, "words_result": [{"words": "hello"}]})
    too_fast = Answer.json({"error_code": 18, "error_msg": "Open api qps request limit reached"})
    responder.route(GENERAL, [too_fast, ok])
    return responder


def test_a_refusal_slows_the_pace_and_is_counted(refuses_once: Responder) -> None:
    pace = AdaptivePace(50.0, max_qps=50.0)
    counters = CallCounters()
    with OCR("k", "s", base_url=refuses_once.base_url, backoff=NO_WAIT) as ocr:
        items = list(ocr.recognize_many([png(50 + i) for i in range(4)], concurrency=1, pace=pace, counters=counters))
    assert all(item.ok for item in items)
    assert pace.slowdowns == 1
    assert pace.qps < 50.0
    assert counters.snapshot() == CallTally(calls=5, retried=1, rate_limited=1, succeeded=4)


def test_the_async_pace_is_shared_and_counted(refuses_once: Responder) -> None:
    pace = AdaptivePace(50.0, max_qps=50.0)
    counters = CallCounters()

    async def run() -> list[ItemResult]:
        async with AsyncOCR("k", "s", base_url=refuses_once.base_url, backoff=NO_WAIT) as ocr:
            images = [png(50 + i) for i in range(3)]
            return [item async for item in ocr.recognize_many(images, pace=pace, counters=counters)]

    assert all(item.ok for item in asyncio.run(run()))
    assert pace.slowdowns == 1
    assert counters.snapshot() == CallTally(calls=4, retried=1, rate_limited=1, succeeded=3)


def test_qps_starts_an_adaptive_pace_it_never_exceeds() -> None:
    made = batch_pace(4.0, None)
    assert isinstance(made, AdaptivePace)
    assert (made.qps, made.max_qps) == (4.0, 4.0)
    shared = AdaptivePace()
    assert batch_pace(None, shared) is shared
    fixed = RateLimiter(2.0)
    assert batch_pace(fixed, None) is fixed
    assert batch_pace(None, None) is None
    with pytest.raises(InvalidOptionError, match="not both"):
        batch_pace(2.0, shared)
    with pytest.raises(InvalidOptionError, match="positive"):
        batch_pace(0.0, None)


@pytest.mark.parametrize("refusals", [4, PACED_REFUSALS + 1])
def test_with_a_pace_refusals_wait_for_the_next_turn_before_counting_as_retries(
    responder: Responder, refusals: int
) -> None:
    responder.route("/oauth/2.0/token", Answer.json({"access_token": "t", "expires_in": 2592000}))
    too_fast = Answer.json({"error_code": 18, "error_msg": "Open api qps request limit reached"})
    ok = Answer.json({"log_id": 1, "words_result_num": 0, "words_result": []})
    responder.route(GENERAL, [*[too_fast] * refusals, ok])
    pace, counters = AdaptivePace(200.0, max_qps=200.0), CallCounters()
    with OCR("k", "s", base_url=responder.base_url, max_retries=0) as ocr:
        [item] = ocr.recognize_many([png(50)], pace=pace, counters=counters)
    tally = counters.snapshot()
    if refusals <= PACED_REFUSALS:
        assert item.ok
        assert (tally.calls, tally.retried, tally.rate_limited) == (refusals + 1, refusals, refusals)
    else:  # the pace's turns are bounded; then the client's retries (none here) decide
        assert item.error is not None
        assert (tally.calls, tally.rate_limited) == (PACED_REFUSALS + 1, PACED_REFUSALS + 1)
    assert pace.slowdowns == min(refusals, PACED_REFUSALS + 1)
