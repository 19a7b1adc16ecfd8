"""Many requests from one call: the items of ``recognize_many``, page selections, a client-side QPS limit."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Literal, NamedTuple, TypeAlias, TypeVar

from ._errors import BaiduOCRError, InvalidOptionError
from ._inputs import FileSource
from ._result import OCRResult

__all__ = [
    "MAX_PDF_PAGES",
    "ImageURL",
    "ItemResult",
    "PageSelection",
    "PdfPage",
    "PdfPlan",
    "RateLimiter",
    "Source",
    "raise_first_error",
    "resolve_pages",
]

CallT = TypeVar("CallT")


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


_PAGE_PART = re.compile(r"^\s*(\d+)?\s*(-)?\s*(\d+)?\s*$")
MAX_PDF_PAGES = 10_000
"""The largest page number a page selection may name, and the most pages one PDF may report (a bound on the lists
built from a selection or from a service's ``pdf_file_size``)."""


def _page_number(text: str) -> int:
    if len(text) > len(str(MAX_PDF_PAGES)) or int(text) > MAX_PDF_PAGES:
        raise InvalidOptionError(f"pages: page {text} is beyond the {MAX_PDF_PAGES:,} pages a PDF may have here")
    return int(text)


def _parse_page_text(text: str, page_count: int | None) -> list[int]:
    if text.strip().lower() == "all":
        return [1] if page_count is None else list(range(1, page_count + 1))
    pages: list[int] = []
    for part in text.split(","):
        match = _PAGE_PART.match(part)
        if match is None or not any(match.groups()) or (match[2] is None and match[3] is not None):
            raise InvalidOptionError(f"pages: cannot read {part.strip()!r}; use e.g. '1-3,5', '4-' or 'all'")
        start = _page_number(match[1] or "1")
        if match[2] is None:
            pages.append(start)
        elif match[3] is not None:
            pages.extend(range(start, _page_number(match[3]) + 1))
        else:  # open range "4-": up to the last page, once it is known
            pages.extend(range(start, (page_count or start) + 1))
    return pages


def resolve_pages(selection: PageSelection, page_count: int | None) -> list[int]:
    """Ascending, distinct, 1-based page numbers. Without ``page_count``, "all" and open ranges give their first
    page only; with it, every page asked for must exist."""
    if page_count is not None and page_count > MAX_PDF_PAGES:
        raise InvalidOptionError(f"the PDF reports {page_count:,} pages; at most {MAX_PDF_PAGES:,} are read")
    if isinstance(selection, str):
        pages = _parse_page_text(selection, page_count)
    elif isinstance(selection, int):
        pages = [selection]
    elif len(selection) > MAX_PDF_PAGES:
        raise InvalidOptionError(f"pages: {len(selection):,} pages asked for; a PDF may have {MAX_PDF_PAGES:,} here")
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


@dataclass(frozen=True)
class PdfPlan(Generic[CallT]):
    """``recognize_pdf``'s plan: the PDF encoded once; the first page asked for goes alone, because its answer
    tells the page count (``pdf_file_size``) that open selections such as ``"all"`` or ``"4-"`` need."""

    pdf: FileSource
    pages: PageSelection
    page_call: Callable[[int], CallT]

    @property
    def first_call(self) -> CallT:
        return self.page_call(resolve_pages(self.pages, None)[0])

    def other_pages(self, first: OCRResult) -> list[int]:
        """The remaining pages asked for, once the first answer is in."""
        return resolve_pages(self.pages, first.page_count)[1:]


def raise_first_error(item: ItemResult) -> OCRResult:
    """The item's result, or its error raised (``recognize_pdf`` fails on its first failing page)."""
    if item.error is not None:
        raise item.error
    assert item.result is not None
    return item.result
