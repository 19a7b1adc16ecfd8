"""What ``baidu-ocr recognize`` prints: results on stdout (text, the service's JSON, or JSON Lines naming input and
page), failures on stderr, and a progress bar with counts, rate and time left."""

from __future__ import annotations

import ipaddress
import json
import socket
import sys
from dataclasses import dataclass
from typing import Any

import httpx
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, TimeRemainingColumn
from rich.text import Text

from baidu_ocr_spec import ErrorCode

from ._cli_errors import STOPPING_ERRORS, UNREACHABLE_ERRORS, CommandError, QuotaReachedError, stop_message
from ._errors import (
    APIError,
    BaiduOCRError,
    InputError,
    QuotaExceededError,
)
from ._exit_codes import EXIT_ACCOUNT, EXIT_OK, EXIT_SOME_FAILED, EXIT_UNREACHABLE
from ._pace import AdaptivePace
from ._result import OCRResult
from ._results_file import (
    ItemKey,
    ResultLine,
    ResultsFile,
)

__all__ = ["Printer", "ProgressBar", "error_json", "failure_text", "progress_description", "write_line"]


def _private_host(url: str) -> bool:
    """Whether ``url`` names a loopback, private or link-local host (its literal address, or what the name resolves
    to here)."""
    try:
        host = httpx.URL(url).host
        addresses = [host] if host else []
        try:
            ipaddress.ip_address(host)
        except ValueError:
            addresses = [str(info[4][0]) for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)]
        return any(not ipaddress.ip_address(str(address).split("%")[0]).is_global for address in addresses)
    except (httpx.InvalidURL, OSError, ValueError):
        return False


def failure_text(name: str, error: BaiduOCRError) -> str:
    """The line a failed item prints, with the likely cause where the error code alone hides it."""
    text = f"{name}: {error}"
    if isinstance(error, APIError) and error.error_code == ErrorCode.URL_FORMAT_ILLEGAL and _private_host(name):
        text += (
            " — the service refuses urls on private, loopback and link-local addresses (SSRF protection): pass "
            "--allow-private-urls to let the local service that recognize starts fetch them, or run your own with "
            "`baidu-ocr serve --allow-private-urls`"
        )
    return text


def error_json(error: BaiduOCRError) -> dict[str, Any]:
    """The service's error JSON, or one of its shape for an error the service never answered with."""
    if isinstance(error, APIError):
        return error.raw
    code: int | str = error.service_code if isinstance(error, InputError) else type(error).__name__
    return {"error_code": code, "error_msg": str(error)}


class ProgressBar:
    """A rich progress bar on stderr, with the current pace, or nothing when stderr is not a terminal or there is one
    item."""

    def __init__(self, console: Console, total: int, show: bool, pace: AdaptivePace | None = None) -> None:
        self._progress: Progress | None = None
        self._pace = pace
        if show and console.is_terminal:
            # results go to stdout; only when it is the terminal too must they be printed above the bar
            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                _RateColumn(),
                TimeRemainingColumn(),
                console=console,
                transient=True,
                redirect_stdout=sys.stdout.isatty(),
            )
            self._task = self._progress.add_task("recognizing", total=total)

    def __enter__(self) -> ProgressBar:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *_: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def advance(self) -> None:
        if self._progress is not None:
            self._progress.update(self._task, advance=1, description=progress_description(self._pace))

    def add(self, items: int) -> None:
        """Grow the total (a PDF's further pages, once its page count is known)."""
        if self._progress is not None and items:
            total = self._progress.tasks[0].total or 0
            self._progress.update(self._task, total=total + items)


class _RateColumn(ProgressColumn):
    """Items done per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:.1f} items/s", style="progress.data.speed")


def progress_description(pace: AdaptivePace | None) -> str:
    """The progress line's text: what it does, and the pace it keeps."""
    return "recognizing" if pace is None else f"recognizing at {pace.qps:.1f} req/s"


@dataclass
class Printer:
    """Prints each outcome (results on stdout, errors on stderr), or writes it to the results file, and counts them."""

    console: Console
    as_json: bool
    headers: bool
    output: ResultsFile | None = None
    as_jsonl: bool = False
    """Print one ``{"input", "page", "result" | "error"}`` line per item (the results file's format) on stdout."""
    succeeded: int = 0
    failed: int = 0
    skipped: int = 0
    unreachable: int = 0
    _sections: int = 0

    def warn(self, message: str) -> None:
        self.console.print(message, markup=False, highlight=False, soft_wrap=True)

    def show(self, name: str, outcome: OCRResult | BaiduOCRError, item: ItemKey) -> None:
        """Print one item's result or error; raise :class:`CommandError` for an error every later item would meet."""
        if isinstance(outcome, BaiduOCRError):
            self._failure(name, outcome, item)
        else:
            self.succeeded += 1
            self._print(name, outcome.raw, outcome.text, item)

    def _failure(self, name: str, error: BaiduOCRError, item: ItemKey) -> None:
        if isinstance(error, QuotaExceededError):
            raise QuotaReachedError(error)
        if isinstance(error, STOPPING_ERRORS):
            raise CommandError(EXIT_ACCOUNT, stop_message(error))
        self.failed += 1
        self.unreachable += isinstance(error, UNREACHABLE_ERRORS)
        self.warn(failure_text(name, error))
        if self.as_json or self.as_jsonl or self.output is not None:
            self._print(name, error_json(error), None, item)

    def _print(self, name: str, data: dict[str, Any], text: str | None, item: ItemKey) -> None:
        line = ResultLine(*item, result=data) if text is not None else ResultLine(*item, error=data)
        if self.output is not None:
            self.output.write(line)
        elif self.as_jsonl:
            write_line(line.to_bytes().decode("utf-8").rstrip("\n"))
        elif self.as_json:
            write_line(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        elif text is not None:
            if self.headers:
                blank = "\n" if self._sections else ""  # a blank line between sections, as `head` does
                write_line(f"{blank}==> {name} <==")
            if text:
                write_line(text)
            self._sections += 1

    def exit_code(self) -> int:
        if not self.failed:
            return EXIT_OK
        if not self.succeeded and self.unreachable == self.failed:
            return EXIT_UNREACHABLE
        return EXIT_SOME_FAILED


def write_line(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()
