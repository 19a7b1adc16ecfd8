"""Honest accounting: the run counters and their summary line, and the dry-run planner."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

import pytest
from imaging import render_pdf, solid_image

from baidu_ocr._accounting import CallCounters, CallTally
from baidu_ocr._result_cache import ResultCache, cache_key
from baidu_ocr._run_plan import PlannedInput, RunPlan, plan_run

OPTIONS = {"detect_direction": True}
SERVICE = "http://127.0.0.1:8282"


@pytest.mark.parametrize(
    ("tally", "line"),
    [
        (CallTally(), "0 calls made, 0 cached; 0 recognized, 0 failed"),
        (CallTally(calls=1, succeeded=1), "1 call made, 0 cached; 1 recognized, 0 failed"),
        (
            CallTally(calls=12, retried=2, rate_limited=1, cached=30, succeeded=41, failed=1, skipped=3),
            "12 calls made (2 retried, 1 too fast), 30 cached, 3 already done; 41 recognized, 1 failed",
        ),
    ],
)
def test_the_summary_line(tally: CallTally, line: str) -> None:
    assert tally.summary() == line


def test_counters_add_up_across_threads() -> None:
    counters = CallCounters()

    def work() -> None:
        for attempt in (1, 2, 1):
            counters.count_attempt(attempt)
        counters.add(cached=1, succeeded=2, failed=1)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert counters.snapshot() == CallTally(calls=24, retried=8, cached=8, succeeded=16, failed=8)
    assert "24 calls made (8 retried)" in repr(counters)
    with pytest.raises(ValueError, match="only grow"):
        counters.add(calls=-1)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    made = {
        "a.png": solid_image(40, 40),
        "b.png": solid_image(50, 40),
        "book.pdf": render_pdf([["one"], ["two"], ["three"]]),
    }
    for name, data in made.items():
        (tmp_path / name).write_bytes(data)
    return {name: tmp_path / name for name in made}


def _inputs(files: dict[str, Path]) -> list[PlannedInput]:
    return [
        PlannedInput("a.png", path=str(files["a.png"])),
        PlannedInput("https://example.com/c.png", url="https://example.com/c.png"),
        PlannedInput("book.pdf", path=str(files["book.pdf"]), is_pdf=True),
        PlannedInput("b.png", path=str(files["b.png"])),
    ]


def test_a_plan_counts_every_page_and_what_needs_no_call(files: dict[str, Path], tmp_path: Path) -> None:
    fresh = plan_run(_inputs(files), endpoint="general_basic", options=OPTIONS, service=SERVICE)
    assert (fresh.items, fresh.calls, fresh.cached, fresh.already_done) == (6, 6, 0, 0)
    with ResultCache(tmp_path / "cache.sqlite3") as cache:
        pdf = files["book.pdf"].read_bytes()
        for key in [
            cache_key("general_basic", data=pdf, options=OPTIONS, page=2, service=SERVICE),
            cache_key("general_basic", url="https://example.com/c.png", options=OPTIONS, service=SERVICE),
            cache_key("general_basic", data=files["b.png"].read_bytes(), options={}, service=SERVICE),  # other options
        ]:
            cache.put(key, {"log_id": 1, "words_result": []})
        done: Counter[tuple[str, int | None]] = Counter({("a.png", None): 1, ("book.pdf", 1): 1})
        plan = plan_run(
            _inputs(files), endpoint="general_basic", options=OPTIONS, service=SERVICE, cache=cache, done=done
        )
    assert (plan.items, plan.calls, plan.cached, plan.already_done) == (6, 2, 2, 2)
    assert done == Counter({("a.png", None): 1, ("book.pdf", 1): 1})  # not used up
    assert plan.summary() == "6 items: 2 calls to make, 2 answered by the cache, 2 already in the results file"


def test_a_closed_page_selection_needs_no_page_count(files: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("baidu_ocr._run_plan.count_pdf_pages", lambda data: None)
    closed = plan_run(_inputs(files), endpoint="general_basic", pages="1-2")
    assert (closed.items, closed.calls, closed.unknown_page_counts) == (5, 5, [])
    unknown = plan_run(_inputs(files), endpoint="general_basic", pages="all")
    assert (unknown.items, unknown.calls, unknown.unknown_page_counts) == (4, 4, ["book.pdf"])
    assert unknown.summary().splitlines() == [
        "4 items: 4+ calls to make, 0 answered by the cache, 0 already in the results file",
        "page count unknown (counted as one page each): book.pdf",
    ]


def test_inputs_that_would_fail_before_any_call(files: dict[str, Path]) -> None:
    inputs = [
        PlannedInput("gone.png", path=str(files["a.png"].with_name("gone.png"))),
        PlannedInput("book.pdf", path=str(files["book.pdf"]), is_pdf=True),
        PlannedInput("memory.png", data=b"bytes in memory"),
    ]
    plan = plan_run(inputs, endpoint="general_basic", pages="2-5")
    assert (plan.items, plan.calls) == (1, 1)
    assert plan.problems == [
        "gone.png: cannot read: No such file or directory",
        "book.pdf: page 5 asked for, but the PDF has 3 pages",
    ]
    assert "would fail: gone.png" in plan.summary()
    assert RunPlan().summary().startswith("0 items")
