"""How ``baidu-ocr recognize`` runs: every input in order, runs of images concurrently, PDFs page by page."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._accounting import CallCounters
from ._batch import ItemResult, PdfPage, Source, resolve_pages
from ._cli_inputs import Input, groups
from ._cli_output import Printer, ProgressBar
from ._client import OCR
from ._errors import (
    BaiduOCRError,
    InputError,
    InvalidOptionError,
)
from ._options import Endpoint
from ._pace import AdaptivePace
from ._pdf_pages import count_pdf_pages
from ._result import OCRResult
from ._result_cache import ResultCache
from ._results_file import (
    ItemKey,
    ResumePoint,
)

__all__ = ["Job", "item_outcome", "recognize_all"]


@dataclass(frozen=True)
class Job:
    """What to ask for every item, at what pace, with which cache, counted where."""

    endpoint: Endpoint
    options: dict[str, object]
    pages: str
    concurrency: int
    pace: AdaptivePace
    cache: ResultCache | None = None
    counters: CallCounters | None = None

    def run(self, ocr: OCR, sources: Iterable[Source]) -> Iterator[ItemResult]:
        options: dict[str, Any] = self.options
        return ocr.recognize_many(
            sources,
            endpoint=self.endpoint,
            concurrency=self.concurrency,
            pace=self.pace,
            cache=self.cache,
            counters=self.counters,
            **options,
        )


def recognize_all(
    ocr: OCR, job: Job, inputs: Sequence[Input], printer: Printer, bar: ProgressBar, done: ResumePoint
) -> None:
    """Recognize every input in order, a run of images / URLs concurrently, a PDF page by page; skip the items an
    earlier run's results file holds (``done``)."""
    for group in groups(inputs):
        if group[0].is_pdf:
            _recognize_pdf(ocr, job, group[0], printer, bar, done)
            continue
        todo = [entry for entry in group if not _skip(done, (entry.name, None), printer, bar)]
        for item in job.run(ocr, (entry.source for entry in todo)):
            name = todo[item.index].name
            printer.show(name, item_outcome(item), (name, None))
            bar.advance()


def _skip(done: ResumePoint, item: ItemKey, printer: Printer, bar: ProgressBar) -> bool:
    """Whether the results file already holds ``item`` (counted as skipped)."""
    if not done.take(item):
        return False
    printer.skipped += 1
    bar.advance()
    return True


def _recognize_pdf(ocr: OCR, job: Job, pdf: Input, printer: Printer, bar: ProgressBar, done: ResumePoint) -> None:
    """Every page asked for, in order, concurrently. The page count comes from the PDF itself, or else from the
    answer to the first page asked for (sent alone)."""
    try:
        data = Path(str(pdf.source)).read_bytes()
    except OSError as error:
        printer.show(pdf.name, InputError(f"cannot read: {error.strerror}"), (pdf.name, None))
        return
    page_count = count_pdf_pages(data)
    first: ItemResult | None = None
    if page_count is None:
        [first] = job.run(ocr, [PdfPage(data, resolve_pages(job.pages, None)[0])])
        if first.result is None:
            page = resolve_pages(job.pages, None)[0]
            if not _skip(done, (pdf.name, page), printer, bar):
                printer.show(f"{pdf.name} [page {page}]", item_outcome(first), (pdf.name, page))
                bar.advance()
            return
        page_count = first.result.page_count
    try:
        pages = resolve_pages(job.pages, page_count)
    except InvalidOptionError as error:
        printer.show(pdf.name, error, (pdf.name, None))
        return
    printer.headers = printer.headers or len(pages) > 1
    bar.add(len(pages) - 1)
    todo = [page for page in pages if not _skip(done, (pdf.name, page), printer, bar)]
    if first is not None and todo and todo[0] == pages[0]:  # the first page is answered already
        printer.show(f"{pdf.name} [page {pages[0]}]", item_outcome(first), (pdf.name, pages[0]))
        bar.advance()
        todo = todo[1:]
    for item in job.run(ocr, (PdfPage(data, page) for page in todo)):
        page = todo[item.index]
        printer.show(f"{pdf.name} [page {page}]", item_outcome(item), (pdf.name, page))
        bar.advance()


def item_outcome(item: ItemResult) -> OCRResult | BaiduOCRError:
    if item.error is not None:
        return item.error
    assert item.result is not None
    return item.result
