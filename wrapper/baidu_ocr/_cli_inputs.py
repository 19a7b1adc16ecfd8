"""What ``baidu-ocr recognize`` is given: paths, globs, URLs and PDFs expanded in order, and checked before any service
is started or any request sent."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from baidu_ocr_formats import sniff_format
from baidu_ocr_spec import LIMITS

from ._batch import ImageURL, Source, resolve_pages
from ._cli_errors import CommandError
from ._errors import BaiduOCRError, UnsupportedFormatError
from ._exit_codes import EXIT_USAGE
from ._inputs import image_problem, read_source, validate_url
from ._options import Endpoint
from ._pdf_pages import count_pdf_pages

__all__ = ["GLOB_CHARS", "Input", "expand_inputs", "groups", "precheck"]

GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class Input:
    """One input after expansion: what to show for it, what to send, and whether it is a PDF."""

    name: str
    source: Source
    is_pdf: bool = False


def expand_inputs(arguments: Sequence[str]) -> list[Input]:
    """URLs, files (PDFs told by their content) and the files a glob matches, in the order given."""
    inputs: list[Input] = []
    for argument in arguments:
        if argument.lower().startswith(("http://", "https://")):
            inputs.append(Input(argument, ImageURL(argument)))
        else:
            inputs.extend(Input(path, path, _is_pdf(path)) for path in _paths(argument))
    return inputs


def _paths(argument: str) -> list[str]:
    """The file ``argument`` names, or the files its glob matches (sorted); a usage error otherwise."""
    path = Path(argument)
    if path.is_file():
        return [argument]
    if path.is_dir():
        raise CommandError(EXIT_USAGE, f"{argument}: is a directory (pass a glob such as '{argument}/*.png')")
    if GLOB_CHARS.isdisjoint(argument):
        raise CommandError(EXIT_USAGE, f"{argument}: no such file")
    matches = sorted(
        match for match in glob.glob(os.path.expanduser(argument), recursive=True) if Path(match).is_file()
    )
    if not matches:
        raise CommandError(EXIT_USAGE, f"{argument}: no file matches")
    return matches


def _is_pdf(path: str) -> bool:
    try:
        with open(path, "rb") as file:
            return sniff_format(file.read(1024)) == "pdf"
    except OSError as error:
        raise CommandError(EXIT_USAGE, f"{path}: cannot read: {error.strerror}") from None


def groups(inputs: Sequence[Input]) -> Iterator[list[Input]]:
    """Runs of consecutive images / URLs, and each PDF on its own (its page count is known only once asked)."""
    run: list[Input] = []
    for item in inputs:
        if item.is_pdf:
            if run:
                yield run
                run = []
            yield [item]
        else:
            run.append(item)
    if run:
        yield run


def precheck(items: Sequence[Input], endpoint: Endpoint, pages: str, *, auto_fit: bool) -> dict[Input, BaiduOCRError]:
    """The problems the SDK would find before sending, found now, without a service: an unreadable file, not an
    image, sides or size beyond the endpoint's limits (unless ``auto_fit`` may fix them), a url too long, PDF pages
    beyond the page count. A run whose every input has one starts no service."""
    limits = LIMITS[endpoint]
    problems: dict[Input, BaiduOCRError] = {}
    for item in items:
        try:
            if isinstance(item.source, ImageURL):
                validate_url(item.source.url, limits, endpoint)
                continue
            data = read_source(str(item.source), "pdf" if item.is_pdf else "image")
            if item.is_pdf:
                page_count = count_pdf_pages(data)
                if page_count is not None:
                    resolve_pages(pages, page_count)
                continue
            problem = image_problem(data, limits, endpoint)
            if problem is not None and not (auto_fit and not isinstance(problem, UnsupportedFormatError)):
                raise problem
        except BaiduOCRError as error:
            problems[item] = error
    return problems
