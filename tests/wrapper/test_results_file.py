"""The resumable JSON Lines results file: lines, resume points, torn ends, the lock, in-order release, and a run
killed with SIGKILL that, run again, writes the same file as a run never interrupted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from baidu_ocr._results_file import (
    InOrderRelease,
    ResultLine,
    ResultsFile,
    ResultsFileError,
    is_settled,
    read_resume_point,
)

RUNNER = Path(__file__).with_name("results_run.py")


def _line(name: str, page: int | None = None, ok: bool = True) -> ResultLine:
    if ok:
        return ResultLine(name, page, result={"log_id": 1, "words_result": [{"words": f"{name}\n第{page}页"}]})
    return ResultLine(name, page, error={"error_code": 216201, "error_msg": "image format error"})


def test_lines_are_compact_json_and_read_back() -> None:
    line = _line("a b.png")
    data = line.to_bytes()
    assert data.endswith(b"\n")
    assert data.count(b"\n") == 1  # a newline in the text is escaped
    assert json.loads(data) == {"input": "a b.png", "page": None, "result": line.result}
    assert ResultLine.from_bytes(data) == line
    error = _line("book.pdf", 3, ok=False)
    assert json.loads(error.to_bytes())["error"]["error_code"] == 216201
    assert ResultLine.from_bytes(error.to_bytes()) == error
    assert not error.ok
    with pytest.raises(ValueError, match="exactly one"):
        ResultLine("x", None)
    for bad in [b"[]", b'{"page": 1}', b'{"input": "x", "page": "1", "result": {}}', b'{"input": "x", "result": 3}']:
        with pytest.raises(ValueError):  # noqa: PT011 - json's errors and ours
            ResultLine.from_bytes(bad)


def test_a_file_is_resumed_where_it_stopped(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    with ResultsFile(path) as output:
        assert output.resume.lines == 0
        for line in [_line("a.png"), _line("book.pdf", 1), _line("book.pdf", 2, ok=False), _line("a.png")]:
            output.write(line)
        assert output.written == 4
    with ResultsFile(path) as again:
        point = again.resume
        assert (point.lines, point.failed, point.torn_bytes, point.dropped_lines) == (4, 1, 0, 0)
        assert [point.take(("a.png", None)) for _ in range(3)] == [True, True, False]  # given twice: done twice
        assert point.take(("book.pdf", 2))
        assert not point.take(("book.pdf", 3))
        again.write(_line("c.png"))
    assert len(path.read_bytes().splitlines()) == 5


def test_a_torn_last_line_is_cut_off(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    whole = _line("a.png").to_bytes() + _line("b.png").to_bytes()
    path.write_bytes(whole + _line("c.png").to_bytes()[:20])
    with ResultsFile(path) as output:
        assert output.resume.lines == 2
        assert output.resume.torn_bytes == 20
        assert path.read_bytes() == whole
        output.write(_line("c.png"))
    assert path.read_bytes() == whole + _line("c.png").to_bytes()


def test_a_refused_line_and_everything_after_it_are_done_again(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    lines = [_line("a.png"), _line("b.png", ok=False), _line("c.png"), _line("d.png")]
    path.write_bytes(b"".join(line.to_bytes() for line in lines) + b'{"inp')
    content = path.read_bytes()
    looked = read_resume_point(path, keep=lambda line: line.ok, repair=False)
    assert (looked.lines, looked.dropped_lines) == (1, 3)
    assert path.read_bytes() == content  # only looked
    point = read_resume_point(path, keep=lambda line: line.ok)
    assert (point.lines, point.dropped_lines, point.torn_bytes) == (1, 3, 0)
    assert path.read_bytes() == lines[0].to_bytes()


def test_a_file_that_is_not_ours_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    content = _line("a.png").to_bytes() + b"this is not json\n" + _line("b.png").to_bytes()
    path.write_bytes(content)
    with pytest.raises(ResultsFileError, match="line 2 is not a result line"):
        ResultsFile(path)
    assert path.read_bytes() == content
    with ResultsFile(path, resume=False) as fresh:  # unless asked to start afresh
        assert fresh.resume.lines == 0
    assert path.read_bytes() == b""


def test_a_missing_file_is_nothing_done(tmp_path: Path) -> None:
    assert read_resume_point(tmp_path / "none.jsonl").lines == 0
    with pytest.raises(ResultsFileError, match="cannot open"):
        ResultsFile(tmp_path / "no-such-dir" / "results.jsonl")


def test_a_second_writer_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    with ResultsFile(path) as first:
        with pytest.raises(ResultsFileError, match="another run"):
            ResultsFile(path)
        first.write(_line("a.png"))
    with ResultsFile(path) as after:  # the lock goes with the first writer
        assert after.resume.lines == 1
    with pytest.raises(ResultsFileError, match="closed"):
        after.write(_line("b.png"))


@pytest.mark.parametrize(
    "arrivals",
    [[0, 1, 2, 3], [3, 2, 1, 0], [1, 0, 3, 2], [2, 0, 3, 1]],
    ids=lambda order: "".join(map(str, order)),
)
def test_items_are_released_in_order_however_they_arrive(arrivals: list[int]) -> None:
    released: list[int] = []
    release: InOrderRelease[int] = InOrderRelease(released.append)
    for index in arrivals:
        release.add(index, index * 10)
        assert released == [10 * k for k in range(len(released))]  # always a prefix, never a gap
    assert released == [0, 10, 20, 30]
    assert release.pending == 0
    assert release.next_index == 4


def test_in_order_release_is_bounded_and_refuses_repeats() -> None:
    release: InOrderRelease[str] = InOrderRelease(lambda _: None, max_pending=2)
    release.add(1, "b")
    release.add(2, "c")
    with pytest.raises(ValueError, match="more than 2 items wait for item 0"):
        release.add(3, "d")
    release.add(0, "a")  # the awaited one is always taken
    with pytest.raises(ValueError, match="already given"):
        release.add(1, "b")
    with pytest.raises(ValueError, match="at least 1"):
        InOrderRelease(print, max_pending=0)


def _run(path: Path, items: int, *kill: str) -> int:
    done = subprocess.run([sys.executable, str(RUNNER), str(path), str(items), *kill], timeout=60, check=False)
    return done.returncode


@pytest.mark.parametrize("torn", [False, True], ids=["killed-between-lines", "killed-mid-line"])
def test_a_run_killed_and_run_again_writes_what_an_uninterrupted_run_writes(tmp_path: Path, torn: bool) -> None:
    whole, resumed = tmp_path / "whole.jsonl", tmp_path / "resumed.jsonl"
    assert _run(whole, 40) == 0
    assert _run(resumed, 40, "13", *(["torn"] if torn else [])) == -9  # SIGKILL
    assert len(resumed.read_bytes().splitlines()) == 13 + torn
    assert _run(resumed, 40, "20") == -9  # killed again, later
    assert _run(resumed, 40) == 0
    assert resumed.read_bytes() == whole.read_bytes()
    names = [json.loads(line)["input"] for line in whole.read_bytes().splitlines()]
    assert names == [f"scan-{index:03d}.png" for index in range(40)]  # every item once, in input order


def _error_line(code: object) -> ResultLine:
    return ResultLine("x.png", None, error={"error_code": code, "error_msg": "..."})


@pytest.mark.parametrize(
    ("line", "settled"),
    [
        (_line("a.png"), True),
        (_error_line(216201), True),  # image format error: the same image fails again
        (_error_line(282111), True),  # url format illegal
        (_error_line(216100), True),  # an option the endpoint refuses
        (_error_line(18), False),  # QPS limit
        (_error_line(17), False),  # daily quota: resets
        (_error_line(282000), False),  # internal error: backoff
        (_error_line(282112), False),  # url download timeout: once
        (_error_line(999999), False),  # undocumented
        (_error_line("ConnectionFailedError"), False),  # no answer
        (_error_line(True), False),
    ],
)
def test_which_lines_a_resumed_run_keeps(line: ResultLine, settled: bool) -> None:
    assert is_settled(line) is settled
