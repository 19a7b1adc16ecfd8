"""Many requests from one call: page selections, in-order collection, a client-side QPS limit."""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeAlias

from ._encoding import encode_form
from ._errors import BaiduOCRError, InvalidOptionError
from ._inputs import FileSource
from ._options import Endpoint
from ._result import OCRResult

if TYPE_CHECKING:
    from ._base import BaseOCR

__all__ = [
    "ImageURL",
    "ItemResult",
    "PageSelection",
    "PdfPage",
    "PdfPlan",
    "Prepared",
    "RateLimiter",
    "Source",
    "as_limiter",
    "collect_in_order",
    "pdf_page_body",
    "prepare_sources",
    "raise_first_error",
    "resolve_pages",
]


class ImageURL(NamedTuple):
    """An image to fetch by url, as an item of ``recognize_many``."""

    url: str


class PdfPage(NamedTuple):
    """One page (1-based) of a PDF, as an item of ``recognize_many``."""

    pdf: FileSource
    page: int = 1


Source: TypeAlias = FileSource | ImageURL | PdfPage
PageSelection: TypeAlias = Literal["all"] | str | int | range | Sequence[int]


@dataclass(frozen=True)
class ItemResult:
    """The outcome for one source of ``recognize_many``: a result or the error that item met."""

    index: int
    source: Source
    result: OCRResult | None = None
    error: BaiduOCRError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


Prepared: TypeAlias = tuple[Source, "bytes | BaiduOCRError"]

_PAGE_PART = re.compile(r"^\s*(\d+)?\s*(-)?\s*(\d+)?\s*$")


def _parse_page_text(text: str, page_count: int | None) -> list[int]:
    if text.strip().lower() == "all":
        return [1] if page_count is None else list(range(1, page_count + 1))
    pages: list[int] = []
    for part in text.split(","):
        match = _PAGE_PART.match(part)
        if match is None or not any(match.groups()) or (match[2] is None and match[3] is not None):
            raise InvalidOptionError(f"pages: cannot read {part.strip()!r}; use e.g. '1-3,5', '4-' or 'all'")
        start = int(match[1] or 1)
        if match[2] is None:
            pages.append(start)
        elif match[3] is not None:
            pages.extend(range(start, int(match[3]) + 1))
        else:  # open range "4-": up to the last page, once it is known
            pages.extend(range(start, (page_count or start) + 1))
    return pages


def resolve_pages(selection: PageSelection, page_count: int | None) -> list[int]:
    """Ascending, distinct, 1-based page numbers. Without ``page_count``, "all" and open ranges give their first
    page only; with it, every page asked for must exist."""
    if isinstance(selection, str):
        pages = _parse_page_text(selection, page_count)
    elif isinstance(selection, int):
        pages = [selection]
    else:
        pages = list(selection)
    pages = sorted(set(pages))
    if not pages:
        raise InvalidOptionError("pages: no page selected")
    if pages[0] < 1:
        raise InvalidOptionError(f"pages are 1-based, got {pages[0]}")
    if page_count is not None and pages[-1] > page_count:
        raise InvalidOptionError(f"page {pages[-1]} asked for, but the PDF has {page_count} pages")
    return pages


class RateLimiter:
    """At most ``qps`` requests per second: each caller reserves the next free slot and waits until it comes."""

    def __init__(self, qps: float, clock: Callable[[], float] = time.monotonic) -> None:
        if qps <= 0:
            raise InvalidOptionError(f"qps must be positive, got {qps}")
        self.interval = 1.0 / qps
        self._clock = clock
        self._next_slot = 0.0
        self._lock = threading.Lock()

    def reserve(self) -> float:
        """Seconds to wait before sending (0 when a slot is free now)."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_slot)
            self._next_slot = slot + self.interval
            return slot - now


def as_limiter(qps: float | RateLimiter | None) -> RateLimiter | None:
    """A limiter for ``qps`` (a shared :class:`RateLimiter` is used as it is, so that several calls keep one pace)."""
    if qps is None or isinstance(qps, RateLimiter):
        return qps
    return RateLimiter(qps)


def pdf_page_body(encoded_pdf: bytes, page: int, fields: list[tuple[str, str]]) -> bytes:
    """The request body for one page of an encoded PDF."""
    if page < 1:
        raise InvalidOptionError(f"pdf_page is 1-based, got {page}")
    return encode_form([("pdf_file", encoded_pdf)], [("pdf_file_num", str(page)), *fields])


@dataclass(frozen=True)
class PdfPlan:
    """``recognize_pdf``'s plan: the PDF encoded once; the first page asked for goes alone, because its answer
    tells the page count (``pdf_file_size``) that open selections such as ``"all"`` or ``"4-"`` need."""

    pdf: FileSource
    encoded: bytes
    pages: PageSelection
    fields: list[tuple[str, str]]

    @property
    def first_body(self) -> bytes:
        return pdf_page_body(self.encoded, resolve_pages(self.pages, None)[0], self.fields)

    def other_pages(self, first: OCRResult) -> list[Prepared]:
        """The bodies of the remaining pages, once the first answer is in."""
        wanted = resolve_pages(self.pages, first.page_count)
        return [(PdfPage(self.pdf, page), pdf_page_body(self.encoded, page, self.fields)) for page in wanted[1:]]


def raise_first_error(item: ItemResult) -> OCRResult:
    """The item's result, or its error raised (``recognize_pdf`` fails on its first failing page)."""
    if item.error is not None:
        raise item.error
    assert item.result is not None
    return item.result


def prepare_sources(
    client: BaseOCR[Any], endpoint: Endpoint, sources: Iterable[Source], fields: list[tuple[str, str]]
) -> Iterator[Prepared]:
    """Each source with its request body, or with the input error that keeps it from being sent. A PDF given as
    several :class:`PdfPage` items (the same object) is read and encoded once."""
    encoded_pdfs: dict[int, bytes] = {}
    for source in sources:
        try:
            if isinstance(source, ImageURL):
                body = client.body_from_fields(endpoint, None, source.url, None, None, fields)
            elif isinstance(source, PdfPage):
                key = id(source.pdf)
                if key not in encoded_pdfs:
                    encoded_pdfs[key] = client.encode_pdf(endpoint, source.pdf)
                body = pdf_page_body(encoded_pdfs[key], source.page, fields)
            else:
                body = client.body_from_fields(endpoint, source, None, None, None, fields)
        except BaiduOCRError as error:
            yield source, error
        else:
            yield source, body


def _outcome(index: int, source: Source, run: Callable[[bytes], OCRResult], body: bytes) -> ItemResult:
    try:
        return ItemResult(index, source, result=run(body))
    except BaiduOCRError as error:
        return ItemResult(index, source, error=error)


def collect_in_order(
    prepared: Iterable[Prepared], run: Callable[[bytes], OCRResult], concurrency: int
) -> Iterator[ItemResult]:
    """Run ``run`` on each body in a pool of ``concurrency`` threads; yield outcomes in input order, reading the
    input lazily (at most ``2 * concurrency`` requests ahead)."""
    if concurrency < 1:
        raise InvalidOptionError(f"concurrency must be at least 1, got {concurrency}")
    window: deque[Future[ItemResult]] = deque()
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="baidu-ocr") as pool:
        try:
            for index, (source, body) in enumerate(prepared):
                if isinstance(body, BaiduOCRError):
                    done: Future[ItemResult] = Future()
                    done.set_result(ItemResult(index, source, error=body))
                    window.append(done)
                else:
                    window.append(pool.submit(_outcome, index, source, run, body))
                while len(window) > 2 * concurrency or (window and window[0].done()):
                    yield window.popleft().result()
            while window:
                yield window.popleft().result()
        finally:  # the caller stopped early: send nothing more than what is already running
            for pending in window:
                pending.cancel()
