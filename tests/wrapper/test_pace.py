"""The adaptive pace's decisions, with an injected clock: classification, slow-downs, speed-ups, bounds, slots."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass

import pytest

from baidu_ocr import APIError, InvalidOptionError, InvalidResponseError, RequestTimeoutError
from baidu_ocr._errors import InvalidParameterError, api_error
from baidu_ocr._pace import DEFAULT_START_QPS, AdaptivePace, PaceSignal, pace_signal


def _bad_answer(status: int) -> InvalidResponseError:
    return InvalidResponseError("bad", status_code=status, body_excerpt="")


@pytest.mark.parametrize(
    ("error", "signal"),
    [
        (None, "ok"),
        (api_error(18, "Open api qps request limit reached"), "too_fast"),
        (api_error(4, "Open api request limit reached"), "too_fast"),
        (api_error("18", "a gateway sending the code as text"), "ok"),
        (api_error(282000, "internal error"), "server_error"),
        (api_error(216630, "recognize error"), "server_error"),
        (api_error(216201, "image format error"), "ok"),
        (api_error(17, "Open api daily request limit reached"), "ok"),
        (APIError(999999, "undocumented"), "ok"),
        (_bad_answer(429), "too_fast"),
        (_bad_answer(502), "server_error"),
        (_bad_answer(404), "neutral"),
        (RequestTimeoutError("timed out"), "neutral"),
        (InvalidParameterError(100, "Invalid parameter"), "ok"),
        (ValueError("not ours"), "neutral"),
    ],
)
def test_outcomes_are_classified_by_the_spec_categories(error: BaseException | None, signal: PaceSignal) -> None:
    assert pace_signal(error) == signal


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _pace(start: float = 8.0, **settings: float) -> tuple[AdaptivePace, Clock]:
    clock = Clock()
    return AdaptivePace(start, clock=clock, **settings), clock  # type: ignore[arg-type]


@dataclass(frozen=True)
class Case:
    name: str
    signals: tuple[PaceSignal, ...]
    rate: float
    slowdowns: int


# Every signal comes with a ticket reserved just before it, so each is "sent" in the current epoch.
SEQUENCES = [
    Case("one 18 cuts the rate by the factor", ("too_fast",), 8.0 * 0.7, 1),
    Case("a second 18 with nothing accepted between cuts deeper", ("too_fast", "too_fast"), 8.0 * 0.7 * 0.49, 2),
    Case(
        "a second 18 after an accepted request cuts as deep",
        ("too_fast", "ok", "too_fast"),
        (5.6 + 0.05 * 8 / 5.6) * 0.7,
        2,
    ),
    Case("two server errors are not a run yet", ("server_error", "server_error"), 8.0, 0),
    Case("three server errors in a row are", ("server_error",) * 3, 8.0 * 0.7, 1),
    Case("a success breaks the run", ("server_error", "server_error", "ok", "server_error"), 8.0, 0),
    Case("neutral outcomes change nothing", ("neutral",) * 5, 8.0, 0),
    Case("the rate never exceeds max_qps", ("ok",) * 50, 8.0, 0),
]


@pytest.mark.parametrize("case", SEQUENCES, ids=lambda case: case.name)
def test_decision_sequences(case: Case) -> None:
    pace, _ = _pace(8.0, max_qps=8.0)
    for signal in case.signals:
        pace.record_signal(pace.reserve(), signal)
    assert pace.qps == pytest.approx(case.rate)
    assert pace.slowdowns == case.slowdowns


def test_answers_to_requests_sent_before_a_slowdown_do_not_cut_again() -> None:
    pace, _ = _pace(8.0)
    in_flight = [pace.reserve() for _ in range(4)]  # four requests sent at 8 qps, all refused
    for ticket in in_flight:
        pace.record_signal(ticket, "too_fast")
    assert pace.qps == pytest.approx(8.0 * 0.7)
    assert pace.slowdowns == 1
    pace.record_signal(in_flight[0], "ok")  # a late success of the old epoch does not speed it up either
    assert pace.qps == pytest.approx(8.0 * 0.7)


def test_successes_raise_the_rate_additively() -> None:
    pace, _ = _pace(10.0, max_qps=20.0, increase=0.05)
    pace.record_signal(pace.reserve(), "too_fast")  # 10 -> 7, reference 10
    assert pace.qps == pytest.approx(7.0)
    rates = []
    for _ in range(3):
        before = pace.qps
        pace.record_signal(pace.reserve(), "ok")
        rates.append(pace.qps - before)
    # each accepted request adds increase * reference / rate: a second's worth of requests adds 0.5 qps
    assert rates[0] == pytest.approx(0.05 * 10.0 / 7.0)
    assert all(step > 0 for step in rates)
    for _ in range(500):  # rate² grows by 2 * 0.5 per request: 7 -> 20 takes about 350
        pace.record_signal(pace.reserve(), "ok")
    assert pace.qps == pytest.approx(20.0)


def test_the_rate_never_falls_below_min_qps() -> None:
    pace, _ = _pace(1.0, min_qps=0.5)
    for _ in range(10):
        pace.record_signal(pace.reserve(), "too_fast")
    assert pace.qps == pytest.approx(0.5)


def test_slots_are_spaced_and_idle_time_is_not_banked() -> None:
    pace, clock = _pace(4.0)
    assert [pace.reserve().delay for _ in range(3)] == pytest.approx([0.0, 0.25, 0.5])
    clock.now += 60.0
    assert [pace.reserve().delay for _ in range(2)] == pytest.approx([0.0, 0.25])


def test_a_slowdown_voids_the_slots_handed_out_and_leaves_the_service_a_new_interval() -> None:
    pace, _ = _pace(4.0, decrease=0.5)
    first = pace.reserve()
    waiting = [pace.reserve() for _ in range(3)]  # slots at 0.25, 0.5, 0.75
    pace.record_signal(first, "too_fast")  # now 2 qps
    assert not any(pace.is_current(ticket) for ticket in waiting)  # their holders reserve again
    assert [pace.reserve().delay for _ in range(3)] == pytest.approx([0.5, 1.0, 1.5])
    assert all(pace.is_current(ticket) for ticket in [pace.reserve()])


def test_near_the_rate_the_service_accepted_the_pace_creeps() -> None:
    pace, clock = _pace(2.5, max_qps=10.0, decrease=0.5, increase=0.05, probe_increase=0.01)
    assert pace.accepted_qps is None
    pace.reserve()
    for _ in range(20):  # 20 requests accepted in 10 s
        clock.now += 0.5
        pace.record_signal(pace.reserve(), "ok")
    pace.record_signal(pace.reserve(), "too_fast")
    assert pace.accepted_qps == pytest.approx(2.0)
    cut = pace.qps
    assert cut < 0.95 * 2.0
    steps = []
    for _ in range(40):
        before = pace.qps
        pace.record_signal(pace.reserve(), "ok")
        steps.append((before, pace.qps - before))
    below = [step * rate for rate, step in steps if rate < 0.95 * 2.0]
    above = [step * rate for rate, step in steps if rate >= 0.95 * 2.0]
    assert below
    assert above
    assert all(value == pytest.approx(below[0]) for value in below)
    assert all(value == pytest.approx(below[0] / 5) for value in above)  # probe_increase / increase
    assert below[0] == pytest.approx(0.05 * pace_reference(cut, 0.5))


def pace_reference(rate_after_cut: float, decrease: float) -> float:
    """The rate before the cut, which scales the additive steps."""
    return rate_after_cut / decrease


def test_too_few_accepted_requests_measure_nothing() -> None:
    pace, clock = _pace(4.0)
    pace.reserve()
    for _ in range(3):
        clock.now += 1.0
        pace.record_signal(pace.reserve(), "ok")
    pace.record_signal(pace.reserve(), "too_fast")
    assert pace.accepted_qps is None


def test_one_pace_shared_by_threads_hands_out_distinct_slots() -> None:
    pace, _ = _pace(10.0)
    delays: list[float] = []
    lock = threading.Lock()

    def take() -> None:
        for _ in range(25):
            ticket = pace.reserve()
            with lock:
                delays.append(ticket.delay)

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(round(delay, 6) for delay in delays) == [round(k * 0.1, 6) for k in range(200)]


def test_wait_helpers_return_the_ticket() -> None:
    pace = AdaptivePace(1000.0, max_qps=1000.0)
    first = pace.wait_turn()
    assert first.delay == 0.0
    assert first.epoch == 0
    pace.record(first, api_error(18, "Open api qps request limit reached"))
    ticket = asyncio.run(pace.await_turn())
    assert ticket.epoch == 1
    assert ticket.delay > 0


def test_defaults_and_bad_settings() -> None:
    assert AdaptivePace().qps == DEFAULT_START_QPS
    assert AdaptivePace(max_qps=1.0).qps == 1.0
    assert "qps=10" in repr(AdaptivePace())
    for settings, match in [
        ({"start_qps": 0.0}, "starting pace"),
        ({"start_qps": 20.0, "max_qps": 10.0}, "starting pace"),
        ({"min_qps": 0.0}, "min_qps"),
        ({"decrease": 1.0}, "decrease"),
        ({"increase": 0.0}, "increase"),
        ({"probe_increase": 0.0}, "probe_increase"),
        ({"server_error_run": 0}, "server_error_run"),
    ]:
        with pytest.raises(InvalidOptionError, match=match):
            AdaptivePace(**settings)  # type: ignore[arg-type]


def test_a_waiter_whose_slot_was_voided_reserves_again(monkeypatch: pytest.MonkeyPatch) -> None:
    pace = AdaptivePace(1.0, decrease=0.5)
    first = pace.reserve()
    slept: list[float] = []

    def sleep(seconds: float) -> None:  # the service refuses `first` while the second request waits
        slept.append(seconds)
        if len(slept) == 1:
            pace.record_signal(first, "too_fast")

    monkeypatch.setattr("baidu_ocr._pace.time.sleep", sleep)
    ticket = pace.wait_turn()
    assert ticket.epoch == 1
    assert len(slept) == 2
    assert slept[1] == pytest.approx(2.0, abs=0.1)  # one interval at the new rate, 0.5 qps


def test_a_pace_that_holds_nothing_back_is_not_raised() -> None:
    pace, clock = _pace(4.0, max_qps=10.0)
    for _ in range(20):  # requests come slower than the pace: none waits for its turn
        clock.now += 1.0
        ticket = pace.reserve()
        assert ticket.delay == 0
        pace.record_signal(ticket, "ok")
    assert pace.qps == 4.0
    waiting = [pace.reserve() for _ in range(3)]  # now they queue up behind the pace
    for ticket in waiting:
        pace.record_signal(ticket, "ok")
    assert pace.qps > 4.0
