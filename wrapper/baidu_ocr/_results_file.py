"""A resumable JSON Lines file of results: one line per item, written as results arrive, read back to resume.

Each line is one item (an input, or one page of a PDF)::

    {"input": "scans/a.png", "page": null, "result": {...the service's JSON...}}
    {"input": "book.pdf", "page": 3, "error": {"error_code": 216201, "error_msg": "image format error"}}

A line is written with one ``write`` of the whole line, straight to the file (no buffer in this process), so a
crash loses nothing written; ``fsync=True`` also survives a power cut. Lines go out in input order
(:class:`InOrderRelease` holds a result that arrives before an earlier one), so that a run killed midway and run
again writes the same lines, each item once, as a run never interrupted. On start, :func:`read_resume_point`
reads the file back: a torn last line (the process was killed while writing it) is cut off, and the items of the
lines kept are done.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Generic, Self, TypeAlias, TypeVar

from baidu_ocr_spec import ERROR_CODES

from ._errors import BaiduOCRError

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows: no lock against a second writer there
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "DEFAULT_MAX_PENDING",
    "InOrderRelease",
    "ItemKey",
    "ResultLine",
    "ResultsFile",
    "ResultsFileError",
    "ResumePoint",
    "is_settled",
    "read_resume_point",
]

ItemKey: TypeAlias = tuple[str, int | None]
"""An item: the input as given (path or URL) and the PDF page (``None`` for an image)."""
DEFAULT_MAX_PENDING: Final = 4096
"""Results that may wait for an earlier one before :class:`InOrderRelease` refuses more."""

T = TypeVar("T")


class ResultsFileError(BaiduOCRError):
    """The results file cannot be used: unreadable, not written by this tool, or in use by another run."""


@dataclass(frozen=True)
class ResultLine:
    """One line: the item, and either the service's JSON (``result``) or the error JSON (``error``)."""

    input: str
    page: int | None
    result: Mapping[str, Any] | None = None
    error: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        if (self.result is None) == (self.error is None):
            raise ValueError("a result line holds exactly one of result and error")

    @property
    def key(self) -> ItemKey:
        return (self.input, self.page)

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_bytes(self) -> bytes:
        """The line, ``\\n`` included (compact UTF-8 JSON: a newline inside a value is escaped)."""
        body: dict[str, Any] = {"input": self.input, "page": self.page}
        if self.result is not None:
            body["result"] = self.result
        else:
            body["error"] = self.error
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"

    @classmethod
    def from_bytes(cls, line: bytes) -> ResultLine:
        """Parse one line; :class:`ValueError` when it is not one this module writes."""
        data = json.loads(line)
        if not isinstance(data, dict) or not isinstance(data.get("input"), str):
            raise ValueError("not an object with an input")
        page = data.get("page")
        if page is not None and (not isinstance(page, int) or isinstance(page, bool)):
            raise ValueError("page is not an integer")
        result, error = data.get("result"), data.get("error")
        for value in (result, error):
            if value is not None and not isinstance(value, dict):
                raise ValueError("result / error is not an object")
        return cls(data["input"], page, result, error)


@dataclass
class ResumePoint:
    """What an existing results file already holds."""

    lines: int = 0
    """Lines kept."""
    done: Counter[ItemKey] = field(default_factory=Counter)
    """Items already in the file (an item given twice is counted twice)."""
    failed: int = 0
    """Kept lines that hold an error."""
    torn_bytes: int = 0
    """Bytes of an unfinished last line that were cut off."""
    dropped_lines: int = 0
    """Lines cut off because ``keep`` refused them (and every line after the first such)."""

    def take(self, key: ItemKey) -> bool:
        """Whether this item is already done (each line answers for one occurrence of its item)."""
        if self.done[key] > 0:
            self.done[key] -= 1
            return True
        return False


def is_settled(line: ResultLine) -> bool:
    """Whether a resumed run keeps this line: a result, or an error that trying again would meet again (the
    spec's ``retry: never`` codes, quotas aside). Rate limits, server failures, quotas, undocumented codes and
    failures without a service code (no answer, not Baidu's JSON) may pass: the item is done again."""
    if line.error is None:
        return True
    code = line.error.get("error_code")
    row = ERROR_CODES.get(code) if isinstance(code, int) and not isinstance(code, bool) else None
    return row is not None and row.retry == "never" and row.category != "quota"


def _lines_with_offsets(path: Path) -> Iterator[tuple[int, bytes]]:
    """Each line (newline included, the last one maybe without) and the offset it starts at; one line in memory."""
    with path.open("rb") as file:
        offset = 0
        for line in file:
            yield offset, line
            offset += len(line)


def read_resume_point(
    path: str | os.PathLike[str], keep: Callable[[ResultLine], bool] | None = None, *, repair: bool = True
) -> ResumePoint:
    """Read ``path`` (missing: nothing done) and cut it back to what a resumed run continues from (with
    ``repair=False``, only tell: the file is left as it is, e.g. for a dry run).

    A last line without its newline (torn by a crash) is cut off. ``keep`` may refuse a line (e.g. one whose
    error may pass if tried again); that line and every line after it are cut off too, so that the file stays in
    input order and the resumed run does those items again. A complete line that cannot be read is an error.
    """
    target = Path(path)
    point = ResumePoint()
    if not target.exists():
        return point
    cut_at: int | None = None
    size = 0
    try:
        for number, (offset, raw) in enumerate(_lines_with_offsets(target), start=1):
            size = offset + len(raw)
            if cut_at is not None:
                point.dropped_lines += raw.endswith(b"\n")
                continue
            if not raw.endswith(b"\n"):
                cut_at = offset
                point.torn_bytes = len(raw)
                continue
            try:
                line = ResultLine.from_bytes(raw)
            except ValueError as error:
                raise ResultsFileError(
                    f"{target}: line {number} is not a result line of baidu-ocr ({error}); "
                    "use another --output file or repair this one"
                ) from None
            if keep is not None and not keep(line):
                cut_at = offset
                point.dropped_lines += 1
                continue
            point.lines += 1
            point.done[line.key] += 1
            point.failed += not line.ok
    except OSError as error:
        raise ResultsFileError(f"{target}: cannot read: {error.strerror}") from None
    if repair and cut_at is not None and cut_at < size:
        try:
            os.truncate(target, cut_at)
        except OSError as error:
            raise ResultsFileError(f"{target}: cannot cut off its unfinished end: {error.strerror}") from None
    return point


class ResultsFile:
    """Appends :class:`ResultLine` s to a JSON Lines file, each written and flushed at once.

    ``resume=True`` (default) keeps what the file holds, after :func:`read_resume_point` (see :attr:`resume`);
    ``resume=False`` starts it afresh. ``keep`` is passed to :func:`read_resume_point`. ``fsync=True`` syncs each
    line to disk. An advisory lock keeps a second run from writing to the same file at the same time.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        resume: bool = True,
        keep: Callable[[ResultLine], bool] | None = None,
        fsync: bool = False,
    ) -> None:
        self.path = Path(path)
        self._fsync = fsync
        self.written = 0
        try:
            self._fd: int | None = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        except OSError as error:
            raise ResultsFileError(f"{self.path}: cannot open for writing: {error.strerror}") from None
        try:
            self._lock()
            if resume:
                self.resume = read_resume_point(self.path, keep)
            else:
                os.ftruncate(self._fd, 0)
                self.resume = ResumePoint()
        except BaseException:
            self.close()
            raise

    def _lock(self) -> None:
        if fcntl is None or self._fd is None:  # pragma: no cover
            return
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ResultsFileError(f"{self.path}: another run is writing to it") from None

    def __repr__(self) -> str:
        return f"ResultsFile(path={str(self.path)!r}, written={self.written})"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def write(self, line: ResultLine) -> None:
        """Append one line (one ``write`` call, retried for the rest if the system writes it in parts)."""
        if self._fd is None:
            raise ResultsFileError(f"{self.path}: already closed")
        data = memoryview(line.to_bytes())
        try:
            while data:
                data = data[os.write(self._fd, data) :]
            if self._fsync:
                os.fsync(self._fd)
        except OSError as error:
            raise ResultsFileError(f"{self.path}: cannot write: {error.strerror}") from None
        self.written += 1

    def close(self) -> None:
        """Close the file (which releases the lock)."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)


class InOrderRelease(Generic[T]):
    """Hands items to ``release`` in order of their sequence numbers (0, 1, 2, …), however they arrive.

    An item that arrives early waits (at most ``max_pending`` of them) until every earlier one has arrived.
    """

    def __init__(self, release: Callable[[T], None], *, max_pending: int = DEFAULT_MAX_PENDING) -> None:
        if max_pending < 1:
            raise ValueError("max_pending must be at least 1")
        self._release = release
        self._max_pending = max_pending
        self._pending: dict[int, T] = {}
        self.next_index = 0
        """The sequence number released next."""

    @property
    def pending(self) -> int:
        """Items waiting for an earlier one."""
        return len(self._pending)

    def add(self, index: int, item: T) -> None:
        """Take item ``index``; release it and every waiting item that follows it without a gap."""
        if index < self.next_index or index in self._pending:
            raise ValueError(f"item {index} was already given")
        if index != self.next_index and len(self._pending) >= self._max_pending:
            raise ValueError(f"more than {self._max_pending} items wait for item {self.next_index}")
        self._pending[index] = item
        while self.next_index in self._pending:
            self._release(self._pending.pop(self.next_index))
            self.next_index += 1
