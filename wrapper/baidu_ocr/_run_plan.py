"""A dry run: how many calls a run would make, before making any.

Each input is an item (an image, an image URL) or, for a PDF, one item per page asked for: the page count comes
from :func:`~baidu_ocr._pdf_pages.count_pdf_pages` (needed for open selections such as ``"all"`` and ``"4-"``;
it also tells pages asked for beyond the document). An item the results file of an earlier run already holds, or
the result cache answers, needs no call. Retries are not foreseen: the figure is the calls a run makes when every
first attempt is answered.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ._batch import PageSelection, resolve_pages
from ._errors import InvalidOptionError
from ._pdf_pages import count_pdf_pages
from ._result_cache import ResultCache, cache_key
from ._results_file import ItemKey

__all__ = ["PlannedInput", "RunPlan", "plan_run"]


@dataclass(frozen=True)
class PlannedInput:
    """One input of a run, as the user named it: a file (``path``), bytes in memory (``data``) or a ``url``."""

    name: str
    path: str | None = None
    data: bytes | None = None
    url: str | None = None
    is_pdf: bool = False

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        if self.path is None:
            raise ValueError(f"{self.name}: neither a path nor data")
        return Path(self.path).read_bytes()


@dataclass
class RunPlan:
    """What a run would do."""

    items: int = 0
    """Items: images, URLs and PDF pages (a PDF whose page count is unknown counts its first page)."""
    calls: int = 0
    """Items that need a call (at least one request each)."""
    cached: int = 0
    """Items the result cache answers."""
    already_done: int = 0
    """Items the results file already holds."""
    unknown_page_counts: list[str] = field(default_factory=list)
    """PDFs whose page count could not be told (at least one call each; more once it is known)."""
    problems: list[str] = field(default_factory=list)
    """Inputs that would fail before any call (unreadable, pages beyond the document)."""

    def summary(self) -> str:
        """A few lines for ``--dry-run``."""
        calls = f"{self.calls}+" if self.unknown_page_counts else str(self.calls)
        noun = "call" if calls == "1" else "calls"
        lines = [
            f"{self.items} items: {calls} {noun} to make, {self.cached} answered by the cache, "
            f"{self.already_done} already in the results file"
        ]
        if self.unknown_page_counts:
            names = ", ".join(self.unknown_page_counts)
            lines.append(f"page count unknown (counted as one page each): {names}")
        lines.extend(f"would fail: {problem}" for problem in self.problems)
        return "\n".join(lines)


def _is_open(selection: PageSelection) -> bool:
    """Whether the selection needs the page count ("all", "4-")."""
    first = resolve_pages(selection, None)
    return first != resolve_pages(selection, first[-1] + 1)


def plan_run(
    inputs: Iterable[PlannedInput],
    *,
    endpoint: str,
    options: Mapping[str, object] | Iterable[tuple[str, object]] = (),
    pages: PageSelection = "all",
    service: str = "",
    cache: ResultCache | None = None,
    done: Counter[ItemKey] | None = None,
) -> RunPlan:
    """Count the items of ``inputs`` and the calls they need (reads one file at a time; sends nothing).

    ``endpoint``, ``options`` and ``service`` make the cache keys (as the run makes them); ``done`` is what the
    results file holds (:attr:`~baidu_ocr._results_file.ResumePoint.done`; not changed).
    """
    plan = RunPlan()
    remaining_done = Counter(done or {})
    fixed_options = list(options.items() if isinstance(options, Mapping) else options)
    open_selection = _is_open(pages)

    def count(key: ItemKey, *, data: bytes | None = None, url: str | None = None) -> None:
        plan.items += 1
        if remaining_done[key] > 0:
            remaining_done[key] -= 1
            plan.already_done += 1
            return
        if cache is not None and (data is not None or url is not None):
            stored = cache.get(
                cache_key(endpoint, data=data, url=url, options=fixed_options, page=key[1], service=service)
            )
            if stored is not None:
                plan.cached += 1
                return
        plan.calls += 1

    for item in inputs:
        if item.url is not None:
            count((item.name, None), url=item.url)
            continue
        try:
            if not item.is_pdf and cache is None:  # nothing to look up: no need to read it, only to find it
                if item.path is not None:
                    Path(item.path).stat()
                count((item.name, None))
                continue
            data = item.read()
        except OSError as error:
            plan.problems.append(f"{item.name}: cannot read: {error.strerror}")
            continue
        if not item.is_pdf:
            count((item.name, None), data=data)
            continue
        page_count = count_pdf_pages(data)
        if open_selection and page_count is None:
            plan.unknown_page_counts.append(item.name)
        try:
            selected = resolve_pages(pages, page_count)
        except InvalidOptionError as error:
            plan.problems.append(f"{item.name}: {error}")
            continue
        for page in selected:
            count((item.name, page), data=data)
    return plan
