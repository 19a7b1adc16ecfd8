"""Large jobs on the command line, against the real local service: a run killed with SIGKILL and run again, a run
stopped by the daily limit and resumed, the result cache, the dry run and the summary."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from bulk_service import API_KEY, SECRET_KEY, local_service, png
from imaging import render_pdf
from typer.testing import CliRunner

from baidu_ocr import AdaptivePace
from baidu_ocr._cli import app
from baidu_ocr._cli_output import progress_description
from baidu_ocr._result_cache import ENV_RESULT_CACHE_DIR

CLI = [sys.executable, "-c", "from baidu_ocr._entry import main; main()"]


def _inputs(tmp_path: Path, images: int = 12) -> list[str]:
    """``images`` small PNGs of distinct sizes and a 3-page PDF in the middle."""
    folder = tmp_path / "inputs"
    folder.mkdir(exist_ok=True)
    paths = []
    for index in range(images):
        path = folder / f"scan-{index:02d}.png"
        path.write_bytes(png(40 + index))
        paths.append(str(path))
    book = folder / "book.pdf"
    book.write_bytes(render_pdf([["one"], ["two"], ["three"]]))
    return [*paths[: images // 2], str(book), *paths[images // 2 :]]


def _connection(base_url: str) -> list[str]:
    return ["--api-key", API_KEY, "--secret-key", SECRET_KEY, "--base-url", base_url]


def _run(base_url: str, *args: str) -> SimpleNamespace:
    result = CliRunner().invoke(app, ["recognize", *args, *_connection(base_url)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return SimpleNamespace(code=result.exit_code, out=result.stdout, err=result.stderr)


def _lines(path: Path) -> list[dict[str, Any]]:
    """The results file's lines, without the per-call ``log_id``."""
    lines = []
    for raw in path.read_bytes().splitlines():
        line = json.loads(raw)
        for part in ("result", "error"):
            if part in line:
                line[part] = {key: value for key, value in line[part].items() if key != "log_id"}
        lines.append(line)
    return lines


def _line_count(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def test_a_run_killed_midway_and_run_again_writes_what_an_uninterrupted_run_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = _inputs(tmp_path, images=24)
    whole, resumed = tmp_path / "whole.jsonl", tmp_path / "resumed.jsonl"
    with local_service(delay=0.02) as (service, _):
        monkeypatch.setenv(ENV_RESULT_CACHE_DIR, str(tmp_path / "cache-whole"))
        assert _run(service.base_url, "--output", str(whole), *inputs).code == 0

        monkeypatch.setenv(ENV_RESULT_CACHE_DIR, str(tmp_path / "cache-resumed"))
        command = [*CLI, "recognize", "--output", str(resumed), *inputs, *_connection(service.base_url)]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        try:
            while _line_count(resumed) < 8 and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.01)
            os.kill(process.pid, signal.SIGKILL)
        finally:
            assert process.wait(timeout=30) == -signal.SIGKILL  # killed midway, not finished
        written = _line_count(resumed)
        assert 8 <= written < 27

        again = _run(service.base_url, "--output", str(resumed), *inputs)
    assert again.code == 0
    assert f"{written} already done" in again.err
    expected = [(path, None) for path in inputs[:12]] + [(inputs[12], page) for page in (1, 2, 3)]
    expected += [(path, None) for path in inputs[13:]]
    assert [(line["input"], line["page"]) for line in _lines(whole)] == expected  # every item once, in order
    assert _lines(resumed) == _lines(whole)


def test_a_run_stopped_by_the_daily_limit_resumes_and_pays_for_nothing_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = _inputs(tmp_path, images=8)  # 11 items
    output = tmp_path / "results.jsonl"
    with local_service(daily_limit=5) as (limited, first_engine):
        port = limited.port
        stopped = _run(limited.base_url, "--output", str(output), "--concurrency", "2", *inputs)
    assert stopped.code == 3
    assert "quota used up: Baidu OCR error 17: Open api daily request limit reached" in stopped.err
    assert "items done and" in stopped.err
    assert "midnight Beijing time" in stopped.err
    assert "run the same command again: it skips the items done" in stopped.err
    done = _line_count(output)
    assert done <= 5
    assert f"stopped with {done} items done and {11 - done} remaining" in stopped.err
    assert first_engine.calls == 5  # the service counted 5 calls before refusing

    with local_service(port=port) as (lifted, second_engine):  # the limit lifted (a new day, or a new plan)
        resumed = _run(lifted.base_url, "--output", str(output), "--concurrency", "2", *inputs)
    assert resumed.code == 0, resumed.err
    assert first_engine.calls + second_engine.calls == 11  # no page recognized (paid for) twice
    lines = _lines(output)
    assert [(line["input"], line["page"]) for line in lines] == [(path, None) for path in inputs[:4]] + [
        (inputs[4], page) for page in (1, 2, 3)
    ] + [(path, None) for path in inputs[5:]]
    assert all("result" in line for line in lines)


def test_the_cache_answers_a_second_run_and_no_cache_asks_again(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path, images=4)  # 7 items
    with local_service() as (service, engine):
        first = _run(service.base_url, "--json", *inputs)
        assert engine.calls == 7
        second = _run(service.base_url, "--json", *inputs)
        assert engine.calls == 7
        assert _run(service.base_url, "--json", "--no-cache", *inputs).code == 0
        assert engine.calls == 14
        single = _run(service.base_url, "--json", inputs[0])  # one image is not a batch: no cache
        assert engine.calls == 15
    assert (first.code, second.code, single.code) == (0, 0, 0)

    def texts(out: str) -> list[str]:
        return [json.loads(line)["words_result"][0]["words"] for line in out.splitlines()]

    assert texts(second.out) == texts(first.out)


def test_the_summary_line_counts_calls_cache_and_skips(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path, images=4)
    output = tmp_path / "results.jsonl"
    with local_service() as (service, _):
        first = _run(service.base_url, "--output", str(output), *inputs[:3])
        again = _run(service.base_url, "--output", str(output), *inputs)
    assert first.out == ""  # with --output, results go to the file
    assert "baidu-ocr: 5 calls made, 0 cached; 5 recognized, 0 failed; pace " in first.err  # 2 images, 3 pages
    assert "baidu-ocr: 2 calls made, 0 cached, 5 already done; 2 recognized, 0 failed; pace " in again.err
    assert _line_count(output) == 7


def test_a_dry_run_counts_calls_and_sends_nothing(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path, images=4)  # 7 items: 4 images and 3 pages
    output = tmp_path / "results.jsonl"
    with local_service() as (service, engine):
        assert _run(service.base_url, "--output", str(output), *inputs[:2]).code == 0
        assert _run(service.base_url, "--json", inputs[2], inputs[4]).code == 0  # 4 cached, not in the file
        calls = engine.calls
        output.write_bytes(output.read_bytes() + b'{"input": "torn')
        before = output.read_bytes()
        planned = _run(service.base_url, "--dry-run", "--output", str(output), *inputs)
        assert engine.calls == calls
    assert planned.code == 0
    assert planned.out == "7 items: 1 call to make, 4 answered by the cache, 2 already in the results file\n"
    assert output.read_bytes() == before  # a dry run changes no file
    unreachable = _run("http://127.0.0.1:9", "--dry-run", *inputs)
    assert unreachable.code == 0
    assert unreachable.out.startswith("7 items: 7 calls to make")


def test_a_dry_run_without_a_cache_creates_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_RESULT_CACHE_DIR, str(tmp_path / "cache"))
    planned = _run("http://127.0.0.1:9", "--dry-run", *_inputs(tmp_path, images=2))
    assert planned.out == "5 items: 5 calls to make, 0 answered by the cache, 0 already in the results file\n"
    assert not (tmp_path / "cache").exists()


def test_an_output_file_that_is_not_ours_is_a_usage_error(tmp_path: Path) -> None:
    output = tmp_path / "notes.txt"
    output.write_text("my notes\nmore notes\n")
    with local_service() as (service, engine):
        result = _run(service.base_url, "--output", str(output), *_inputs(tmp_path, images=2))
        assert engine.calls == 0
    assert result.code == 2
    assert "line 1 is not a result line of baidu-ocr" in result.err
    assert output.read_text() == "my notes\nmore notes\n"


def test_cache_info_and_clear_commands(tmp_path: Path) -> None:
    with local_service() as (service, _):
        assert _run(service.base_url, "--json", *_inputs(tmp_path, images=2)).code == 0
    info = CliRunner().invoke(app, ["cache", "info"])
    assert info.exit_code == 0
    assert "entries:  5" in info.stdout
    cleared = CliRunner().invoke(app, ["cache", "clear"])
    assert cleared.stdout.startswith("cleared 5 cached results")


def test_the_progress_line_shows_the_pace() -> None:
    assert progress_description(AdaptivePace(7.5)) == "recognizing at 7.5 req/s"
    assert progress_description(None) == "recognizing"


def test_refusals_are_counted_in_the_summary_not_logged_one_by_one(tmp_path: Path) -> None:
    every = _inputs(tmp_path, images=4)
    inputs = [*every[:2], *every[3:]]  # the four images
    output = tmp_path / "results.jsonl"
    with local_service(qps=2) as (service, _):
        command = [*CLI, "recognize", "--qps", "50", "--output", str(output), *inputs, *_connection(service.base_url)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "too fast)" in done.stderr  # the service refused some, the client slowed down and retried them
    assert "stamina" not in done.stderr
    assert done.stderr.count("\n") == 1  # the summary line only
