"""The ``baidu-ocr`` command line (the ``cli`` extra): ``recognize`` files, globs, image URLs and PDFs, and
``serve`` the local Baidu-compatible service (the ``server`` extra).

Exit codes of ``recognize`` (also in its ``--help``)::

    0  every input was recognized
    1  some inputs failed (each is reported on stderr; the others are printed)
    2  usage error: a bad flag or option value, no such file, a glob that matches nothing
    3  the account or configuration cannot be used: wrong API key / secret key / token, no permission for the
       API, quota used up (the same command resumes with --output), missing credentials; stops at the first
       such error
    4  the service could not be reached (or did not answer like Baidu) for any input
    130  interrupted (Ctrl-C)

With ``--json`` every item (an input, or a page of a PDF) gives exactly one line, in input order: the service's
JSON as received; for an item that failed, the service's error JSON as received, or, when the service never
answered, an object of the same shape, ``{"error_code": ..., "error_msg": ...}``, whose code is the one the service
would have given (input errors caught before sending) or the SDK's exception name (e.g. ``ConnectionFailedError``).
Nothing is added to the service's JSON; the line's position tells its input, and stderr names failed inputs.

Large jobs: ``--output results.jsonl`` writes each item as it is done (``{"input", "page", "result" | "error"}``,
in input order) and, run again, skips what the file holds; results are kept in a cache (``baidu-ocr cache``) for
runs of more than one item (``--no-cache``); the pace adapts to the service's QPS limit; ``--dry-run`` counts the
calls a run would make.
"""

from __future__ import annotations

import argparse
import enum
import glob
import importlib
import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any, Protocol, cast

import typer
from rich.console import Console
from rich.progress import Progress

from baidu_ocr_formats import sniff_format

from ._accounting import CallCounters
from ._base import DEFAULT_BASE_URL, ENV_BASE_URL
from ._batch import ImageURL, ItemResult, PdfPage, Source, resolve_pages
from ._cache_command import cache_app
from ._cli_auth import auth_app
from ._cli_credentials import (
    AccessKeyIdOption,
    AccessTokenOption,
    ApiKeyOption,
    BaseUrlOption,
    BearerKeyOption,
    CredentialFlags,
    SecretAccessKeyOption,
    SecretKeyOption,
    TokenCacheOption,
)
from ._cli_options import request_options, with_request_option_flags
from ._client import OCR
from ._credential_kinds import CredentialKind
from ._credentials import ENV_API_KEY, ENV_SECRET_KEY, credential_kind_of
from ._errors import (
    APIError,
    AuthenticationError,
    BaiduOCRError,
    ConfigurationError,
    InputError,
    InvalidOptionError,
    InvalidResponseError,
    PermissionDeniedError,
    QuotaExceededError,
    TransportError,
)
from ._exit_codes import EXIT_ACCOUNT, EXIT_INTERRUPTED, EXIT_OK, EXIT_SOME_FAILED, EXIT_UNREACHABLE, EXIT_USAGE
from ._options import Endpoint, checked_options
from ._pace import DEFAULT_START_QPS, AdaptivePace
from ._pdf_pages import count_pdf_pages
from ._quota import QuotaStop
from ._result import OCRResult
from ._result_cache import ResultCache, cache_scope, default_cache_path
from ._results_file import (
    ItemKey,
    ResultLine,
    ResultsFile,
    ResultsFileError,
    ResumePoint,
    is_settled,
    read_resume_point,
)
from ._run_plan import PlannedInput, plan_run

__all__ = ["app", "main"]


EXIT_CODES_HELP = "\n".join(
    [
        "Exit codes:",
        "0  every input recognized",
        "1  some inputs failed (each reported on stderr; the others printed)",
        "2  usage error: bad option, no such file, a glob that matched nothing",
        "3  wrong credentials, no permission, quota used up or missing configuration (stops at once; with --output,",
        "   the same command resumes a run stopped by the quota)",
        "4  the service could not be reached for any input",
        "130  interrupted",
    ]
)

_STOPPING_ERRORS = (AuthenticationError, PermissionDeniedError, QuotaExceededError, ConfigurationError)
"""Errors that every later request would meet too: stop at the first one (exit 3)."""
_UNREACHABLE_ERRORS = (TransportError, InvalidResponseError)
_GLOB_CHARS = frozenset("*?[")
LOCAL_SERVICE_SCOPE = "local-service"
"""The result cache's name for the bundled local service that ``recognize`` starts when no credentials are given."""

app = typer.Typer(
    name="baidu-ocr",
    help="Baidu OCR general text recognition from the command line, and a local Baidu-compatible OCR service.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(auth_app, name="auth")  # `baidu-ocr auth check`
app.add_typer(cache_app, name="cache")  # `baidu-ocr cache info|clear`


class CommandError(Exception):
    """End the command with ``code`` after printing ``message`` on stderr."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


class QuotaReachedError(CommandError):
    """The quota is used up: stop cleanly (the message, with what is done and what remains, is made by the caller)."""

    def __init__(self, error: QuotaExceededError) -> None:
        super().__init__(EXIT_ACCOUNT, _stop_message(error))
        self.error = error


# --- inputs ----------------------------------------------------------------------------------------------------


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
    if _GLOB_CHARS.isdisjoint(argument):
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


def _groups(inputs: Sequence[Input]) -> Iterator[list[Input]]:
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


# --- output ----------------------------------------------------------------------------------------------------


def _error_json(error: BaiduOCRError) -> dict[str, Any]:
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
            self._progress = Progress(console=console, transient=True, redirect_stdout=sys.stdout.isatty())
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
        if isinstance(error, _STOPPING_ERRORS):
            raise CommandError(EXIT_ACCOUNT, _stop_message(error))
        self.failed += 1
        self.unreachable += isinstance(error, _UNREACHABLE_ERRORS)
        self.warn(f"{name}: {error}")
        if self.as_json or self.output is not None:
            self._print(name, _error_json(error), None, item)

    def _print(self, name: str, data: dict[str, Any], text: str | None, item: ItemKey) -> None:
        if self.output is not None:
            ok = text is not None
            self.output.write(ResultLine(*item, result=data) if ok else ResultLine(*item, error=data))
        elif self.as_json:
            _write_line(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        elif text is not None:
            if self.headers:
                blank = "\n" if self._sections else ""  # a blank line between sections, as `head` does
                _write_line(f"{blank}==> {name} <==")
            if text:
                _write_line(text)
            self._sections += 1

    def exit_code(self) -> int:
        if not self.failed:
            return EXIT_OK
        if not self.succeeded and self.unreachable == self.failed:
            return EXIT_UNREACHABLE
        return EXIT_SOME_FAILED


def _write_line(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _stop_message(error: BaiduOCRError) -> str:
    if isinstance(error, AuthenticationError):
        return f"authentication failed: {error} (check the API key and secret key, or the access token)"
    if isinstance(error, PermissionDeniedError):
        return f"no permission: {error} (enable the API for this application in the Baidu console)"
    if isinstance(error, QuotaExceededError):
        return f"quota used up: {error}"
    return str(error)


# --- recognition -----------------------------------------------------------------------------------------------


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
    for group in _groups(inputs):
        if group[0].is_pdf:
            _recognize_pdf(ocr, job, group[0], printer, bar, done)
            continue
        todo = [entry for entry in group if not _skip(done, (entry.name, None), printer, bar)]
        for item in job.run(ocr, (entry.source for entry in todo)):
            name = todo[item.index].name
            printer.show(name, _outcome(item), (name, None))
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
                printer.show(f"{pdf.name} [page {page}]", _outcome(first), (pdf.name, page))
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
        printer.show(f"{pdf.name} [page {pages[0]}]", _outcome(first), (pdf.name, pages[0]))
        bar.advance()
        todo = todo[1:]
    for item in job.run(ocr, (PdfPage(data, page) for page in todo)):
        page = todo[item.index]
        printer.show(f"{pdf.name} [page {page}]", _outcome(item), (pdf.name, page))
        bar.advance()


def _outcome(item: ItemResult) -> OCRResult | BaiduOCRError:
    if item.error is not None:
        return item.error
    assert item.result is not None
    return item.result


# --- connection ------------------------------------------------------------------------------------------------


class ServiceEndpoint(Protocol):
    """Where a Baidu-compatible service listens and the credentials of one of its applications."""

    @property
    def base_url(self) -> str: ...
    @property
    def api_key(self) -> str: ...
    @property
    def secret_key(self) -> str: ...


@dataclass(frozen=True)
class Connection:
    """The client settings from the command line (``None``: the environment, then the default)."""

    credentials: CredentialFlags
    base_url: str | None
    timeout: float | None
    max_retries: int | None
    token_cache: bool = True

    def given(self) -> bool:
        """Whether credentials or a service URL were given, by flag or environment variable."""
        names = [ENV_BASE_URL, *(name for kind in CredentialKind for name in kind.info.environment)]
        return bool(self.credentials.given() or self.base_url) or any(os.environ.get(name) for name in names)

    def client(self) -> OCR:
        settings: dict[str, Any] = {"base_url": self.base_url, "cache_file": self.token_cache}
        if self.timeout is not None:
            settings["timeout"] = self.timeout
        if self.max_retries is not None:
            settings["max_retries"] = self.max_retries
        flags = self.credentials
        return OCR(
            flags.api_key,
            flags.secret_key,
            access_token=flags.access_token,
            access_key_id=flags.access_key_id,
            secret_access_key=flags.secret_access_key,
            bearer_key=flags.bearer_key,
            **settings,
        )


def start_local_service() -> AbstractContextManager[ServiceEndpoint]:
    """The bundled Baidu-compatible service (``baidu-ocr[server]``) on 127.0.0.1, on a free port."""
    try:  # an optional extra: imported by name so that the SDK does not depend on it
        embedded = importlib.import_module("baidu_ocr_server.embedded")
    except ImportError as error:
        raise CommandError(
            EXIT_ACCOUNT,
            f"no Baidu credentials given, and the local OCR service is not available ({error}): pass --api-key and "
            f"--secret-key (or set {ENV_API_KEY} and {ENV_SECRET_KEY}), or install it: pip install 'baidu-ocr[server]'",
        ) from None
    return cast(AbstractContextManager[ServiceEndpoint], embedded.LocalService(wait_for_engine=True))


@contextmanager
def open_client(connection: Connection, printer: Printer) -> Iterator[OCR]:
    """A client for the given service and credentials, or for the local service when none were given."""
    with ExitStack() as stack:
        if not connection.given():
            try:
                service = stack.enter_context(start_local_service())
            except (RuntimeError, OSError) as error:
                raise CommandError(
                    EXIT_ACCOUNT, f"no Baidu credentials given, and the local OCR service failed: {error}"
                ) from None
            printer.warn(f"no Baidu credentials given: using the local OCR service at {service.base_url}")
            credentials = CredentialFlags(api_key=service.api_key, secret_key=service.secret_key)
            # its tokens die with it: nothing to keep in the token file
            connection = replace(connection, credentials=credentials, base_url=service.base_url, token_cache=False)
        try:
            ocr = stack.enter_context(connection.client())
        except ConfigurationError as error:
            raise CommandError(EXIT_ACCOUNT, str(error)) from None
        _check_credentials(ocr)
        yield ocr


def _check_credentials(ocr: OCR) -> None:
    """Fetch the token before any work, so that a wrong key or an unreachable service stops at once (signing and
    bearer keys have no token: their first request tells)."""
    if credential_kind_of(ocr.auth) not in (CredentialKind.APP_KEYS, CredentialKind.ACCESS_TOKEN):
        return
    try:
        ocr.access_token()
    except _STOPPING_ERRORS as error:
        raise CommandError(EXIT_ACCOUNT, _stop_message(error)) from None
    except _UNREACHABLE_ERRORS as error:
        raise CommandError(EXIT_UNREACHABLE, f"cannot use the OCR service at {ocr.base_url}: {error}") from None


# --- commands --------------------------------------------------------------------------------------------------

_CONNECTION = "Connection (none given: the environment, else a local OCR service)"


def _options(endpoint: Endpoint, values: dict[str, Any]) -> dict[str, object]:
    """The request options asked for (a flag left out is not sent), checked against the endpoint."""
    options = request_options(values)
    checked_options(endpoint, options)
    return options


def _positive(value: float | None) -> float | None:
    """Option check: a number above zero (or left out)."""
    if value is not None and value <= 0:
        raise typer.BadParameter(f"{value} is not above 0")
    return value


class LogLevel(enum.StrEnum):
    """Log levels of ``serve``."""

    DEBUG = "debug"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@app.command(epilog=EXIT_CODES_HELP)
@with_request_option_flags
def recognize(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH_OR_URL...",
            help="Images (jpg/png/bmp), PDFs (every page of --pages), globs such as 'scans/*.png', http(s) image URLs.",
            show_default=False,
        ),
    ],
    accurate: Annotated[
        bool, typer.Option("--accurate", help="Use the high-accuracy endpoint (accurate_basic).")
    ] = False,
    pages: Annotated[str, typer.Option(help="PDF pages: '1-3,5', '4-' or 'all'.")] = "all",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the service's JSON, one line per input or PDF page (JSON Lines).")
    ] = False,
    concurrency: Annotated[int, typer.Option(min=1, help="Requests in flight at once.")] = 4,
    qps: Annotated[
        float | None,
        typer.Option(
            metavar="FLOAT",
            callback=_positive,
            help=f"Start at this many requests per second and never go faster (default: start at "
            f"{DEFAULT_START_QPS:g}); the pace slows down when the service answers 'QPS limit reached' (18).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="Write each item to this JSON Lines file as it is done ({input, page, result | error}), instead of "
            "printing it; run the same command again to resume: items the file holds are skipped.",
            dir_okay=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Count the calls the run would make (and what the cache and --output already hold)."
        ),
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache", help="Do not use the result cache (used by runs of more than one item, and with --output)."
        ),
    ] = False,
    api_key: ApiKeyOption = None,
    secret_key: SecretKeyOption = None,
    access_token: AccessTokenOption = None,
    access_key_id: AccessKeyIdOption = None,
    secret_access_key: SecretAccessKeyOption = None,
    bearer_key: BearerKeyOption = None,
    token_cache: TokenCacheOption = True,
    base_url: BaseUrlOption = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            metavar="SECONDS",
            callback=_positive,
            help="Seconds per request.",
            rich_help_panel=_CONNECTION,
        ),
    ] = None,
    max_retries: Annotated[
        int | None, typer.Option(min=0, help="Retries of a transient failure.", rich_help_panel=_CONNECTION)
    ] = None,
    **request_option_values: Any,
) -> None:
    """Recognize the text of images, image URLs and PDFs, and print it (or the service's JSON) on stdout."""
    console = Console(stderr=True)
    endpoint: Endpoint = "accurate_basic" if accurate else "general_basic"
    credentials = CredentialFlags(api_key, secret_key, access_token, access_key_id, secret_access_key, bearer_key)
    connection = Connection(credentials, base_url, timeout, max_retries, token_cache)
    printer: Printer | None = None
    with ExitStack() as stack:
        try:
            try:
                options = _options(endpoint, request_option_values)
                resolve_pages(pages, None)
                pace = AdaptivePace(qps, max_qps=qps) if qps else AdaptivePace()  # one pace for every input
            except InvalidOptionError as error:
                raise CommandError(EXIT_USAGE, str(error)) from None
            items = expand_inputs(inputs)
            batch = len(items) > 1 or any(item.is_pdf for item in items)
            use_cache = not no_cache and bool(batch or output) and not (dry_run and not default_cache_path().exists())
            cache = _open_cache(console, connection) if use_cache else None
            if cache is not None:
                stack.callback(cache.close)
            if dry_run:
                _dry_run(items, endpoint, options, pages, connection, cache, output)
                raise typer.Exit(EXIT_OK)
            results = _open_output(output)
            if results is not None:
                stack.callback(results.close)
            counters = CallCounters()
            job = Job(endpoint, options, pages, concurrency, pace, cache, counters)
            printer = Printer(console, as_json, headers=len(items) > 1, output=results)
            done = results.resume if results is not None else ResumePoint()
            with open_client(connection, printer) as ocr, ProgressBar(console, len(items), batch, pace) as bar:
                recognize_all(ocr, job, items, printer, bar, done)
        except QuotaReachedError as stop:
            assert printer is not None
            message = _quota_message(stop.error, printer, _item_count(items, pages), output, cache)
            console.print(f"baidu-ocr: {message}", markup=False, highlight=False, soft_wrap=True)
            _summary(console, printer, counters, pace, batch)
            raise typer.Exit(stop.code) from None
        except CommandError as stop:
            console.print(f"baidu-ocr: {stop}", markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(stop.code) from None
        except KeyboardInterrupt:
            raise typer.Exit(EXIT_INTERRUPTED) from None
        _summary(console, printer, counters, pace, batch)
    raise typer.Exit(printer.exit_code())


def _quota_message(
    error: QuotaExceededError, printer: Printer, total: int | None, output: Path | None, cache: ResultCache | None
) -> str:
    """What a run stopped by the quota says: done, remaining, when the quota resets, how to go on."""
    finished = printer.succeeded + printer.failed + printer.skipped
    then = "run the command again"
    if output is not None:
        then = "run the same command again: it skips the items done"
    elif cache is not None:
        then = "run the command again: the cache answers the items done"
    remaining = total - finished if total is not None else None
    return QuotaStop.from_error(error, done=finished, remaining=remaining).message(then=then)


def _open_cache(console: Console, connection: Connection) -> ResultCache | None:
    """The result cache, or none (with a warning) when it cannot be opened: a run never fails for its cache. The
    local service started for a run listens on another port each time: its results share one scope."""
    try:
        return ResultCache(scope=None if connection.given() else LOCAL_SERVICE_SCOPE)
    except ConfigurationError as error:
        console.print(f"baidu-ocr: running without the result cache: {error}", markup=False, highlight=False)
        return None


def _open_output(output: Path | None) -> ResultsFile | None:
    if output is None:
        return None
    try:
        return ResultsFile(output, keep=is_settled)
    except ResultsFileError as error:
        raise CommandError(EXIT_USAGE, str(error)) from None


def _service_scope(connection: Connection) -> str:
    """The cache scope of the service a run would use (the local one when no credentials are given)."""
    if not connection.given():
        return LOCAL_SERVICE_SCOPE
    return cache_scope(connection.base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL)


def _planned(items: Sequence[Input]) -> list[PlannedInput]:
    return [
        PlannedInput(item.name, url=item.source.url)
        if isinstance(item.source, ImageURL)
        else PlannedInput(item.name, path=str(item.source), is_pdf=item.is_pdf)
        for item in items
    ]


def _item_count(items: Sequence[Input], pages: str) -> int | None:
    """How many items (images, URLs, PDF pages) the run has, or ``None`` when a PDF's page count is unknown."""
    plan = plan_run(_planned(items), endpoint="general_basic", pages=pages)
    return None if plan.unknown_page_counts else plan.items


def _dry_run(
    items: Sequence[Input],
    endpoint: Endpoint,
    options: dict[str, object],
    pages: str,
    connection: Connection,
    cache: ResultCache | None,
    output: Path | None,
) -> None:
    """Print what the run would do, sending nothing and changing no file."""
    try:
        done = read_resume_point(output, is_settled, repair=False).done if output is not None else None
    except ResultsFileError as error:
        raise CommandError(EXIT_USAGE, str(error)) from None
    plan = plan_run(
        _planned(items),
        endpoint=endpoint,
        options=checked_options(endpoint, options),
        pages=pages,
        service=_service_scope(connection),
        cache=cache,
        done=done,
    )
    _write_line(plan.summary())


def _summary(
    console: Console, printer: Printer | None, counters: CallCounters, pace: AdaptivePace, batch: bool
) -> None:
    """The run's accounting on stderr, for runs of more than one item with --output or on a terminal."""
    if printer is None or not batch or not (printer.output is not None or console.is_terminal):
        return
    tally = replace(counters.snapshot(), succeeded=printer.succeeded, failed=printer.failed, skipped=printer.skipped)
    line = f"baidu-ocr: {tally.summary()}; pace {pace.qps:.1f} req/s"
    console.print(line, markup=False, highlight=False, soft_wrap=True)


_SERVER_MISSING = "the local OCR service is not installed: pip install 'baidu-ocr[server]'"


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(min=0, max=65535, help="Port (default 8282).")] = None,
    workers: Annotated[int | None, typer.Option(min=1, help="Worker processes (default 1).")] = None,
    apps: Annotated[
        list[str] | None,
        typer.Option(
            "--app",
            metavar="ID:SECRET[:QPS[:DAILY]]",
            help="An application (repeatable); default: the demo app local-api-key:local-secret-key.",
        ),
    ] = None,
    config: Annotated[str | None, typer.Option(metavar="FILE", help="A .json or .toml config file.")] = None,
    signing_key: Annotated[str | None, typer.Option(help="Token signing key; share it between replicas.")] = None,
    qps: Annotated[float | None, typer.Option(help="Default per-app QPS limit (per replica).")] = None,
    daily_limit: Annotated[int | None, typer.Option(help="Default per-app daily request limit (per replica).")] = None,
    allow_private_urls: Annotated[
        bool, typer.Option("--allow-private-urls", help="Let url inputs reach loopback and private addresses.")
    ] = False,
    engine_threads: Annotated[
        int | None,
        typer.Option(help="Requests processed at once per process."),
    ] = None,
    fetch_timeout: Annotated[float | None, typer.Option(help="Seconds for a url download (default 10).")] = None,
    token_lifetime: Annotated[int | None, typer.Option(help="Token lifetime in seconds (default 2592000).")] = None,
    log_level: Annotated[LogLevel, typer.Option(help="Server log level.")] = LogLevel.INFO,
) -> None:
    """Run the local Baidu-compatible OCR service (settings: flags > BAIDU_OCR_SERVER_* environment > --config)."""
    try:  # an optional extra, imported by name like the local service of `recognize`
        server = importlib.import_module("baidu_ocr_server.serve")
    except ImportError as error:
        typer.echo(f"baidu-ocr: {_SERVER_MISSING} ({error})", err=True)
        raise typer.Exit(EXIT_ACCOUNT) from None
    flags = argparse.Namespace(
        host=host,
        port=port,
        workers=workers,
        app=apps or None,
        config=config,
        signing_key=signing_key,
        qps=qps,
        daily_limit=daily_limit,
        allow_private_urls=allow_private_urls or None,
        engine_threads=engine_threads,
        fetch_timeout=fetch_timeout,
        token_lifetime=token_lifetime,
    )
    try:
        settings = server.config_from_args(flags)
    except (ValueError, OSError) as error:  # the server's ConfigError is a ValueError
        typer.echo(f"baidu-ocr: {error}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    server.run(settings, log_level=log_level.value)


def main() -> None:
    """The ``baidu-ocr`` script."""
    # stamina logs each retry; the command line counts them in its summary instead of printing a line for each
    # (without a handler of its own, Python would print them on stderr)
    logging.getLogger("stamina").addHandler(logging.NullHandler())
    app()
