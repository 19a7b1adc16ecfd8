"""What ``baidu-ocr recognize`` is given: paths, globs, URLs and PDFs expanded in order, and checked before any service
is started or any request sent."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from baidu_ocr_formats import sniff_format

from ._batch import ImageURL, Source
from ._cli_errors import CommandError
from ._exit_codes import EXIT_USAGE

__all__ = ["GLOB_CHARS", "Input", "expand_inputs", "groups"]

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
