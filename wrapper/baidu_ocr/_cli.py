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

import importlib
import importlib.metadata
import logging
import os
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from ._accounting import CallCounters
from ._base import DEFAULT_BASE_URL, ENV_BASE_URL
from ._batch import ImageURL, resolve_pages
from ._cache_command import cache_app
from ._cli_auth import auth_app
from ._cli_connection import Connection, open_client
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
from ._cli_errors import CommandError, QuotaReachedError
from ._cli_inputs import Input, expand_inputs, precheck
from ._cli_options import request_options, with_request_option_flags
from ._cli_output import Printer, ProgressBar, write_line
from ._cli_run import Job, recognize_all
from ._errors import (
    ConfigurationError,
    InvalidOptionError,
    QuotaExceededError,
)
from ._exit_codes import EXIT_ACCOUNT, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from ._options import Endpoint, checked_options
from ._pace import DEFAULT_START_QPS, AdaptivePace
from ._quota import QuotaStop
from ._result_cache import ResultCache, cache_scope, default_cache_path
from ._results_file import (
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

LOCAL_SERVICE_SCOPE = "local-service"
"""The result cache's name for the bundled local service that ``recognize`` starts when no credentials are given."""

app = typer.Typer(
    name="baidu-ocr",
    help="Baidu OCR general text recognition from the command line, and a local Baidu-compatible OCR service.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"baidu-ocr {importlib.metadata.version('baidu-ocr')}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Baidu OCR general text recognition from the command line, and a local Baidu-compatible OCR service."""


app.add_typer(auth_app, name="auth")  # `baidu-ocr auth check`
app.add_typer(cache_app, name="cache")  # `baidu-ocr cache info|clear`


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
    as_jsonl: Annotated[
        bool,
        typer.Option(
            "--jsonl",
            help='Print one JSON line per input or PDF page naming it: {"input", "page", "result" | "error"}.',
        ),
    ] = False,
    auto_fit: Annotated[
        bool,
        typer.Option(
            "--auto-fit", help="Shrink, fold or pad images that break the endpoint's limits instead of failing them."
        ),
    ] = False,
    allow_private_urls: Annotated[
        bool,
        typer.Option(
            "--allow-private-urls",
            help="Let the local service started for this command fetch urls on private, loopback and link-local "
            "addresses.",
        ),
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
    connection = Connection(credentials, base_url, timeout, max_retries, token_cache, auto_fit, allow_private_urls)
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
            printer = _printer(console, as_json, as_jsonl, items, results)
            _stop_when_nothing_can_succeed(items, printer, endpoint, pages, auto_fit)
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


def _printer(
    console: Console, as_json: bool, as_jsonl: bool, items: Sequence[Input], results: ResultsFile | None
) -> Printer:
    if as_json and as_jsonl:
        raise CommandError(EXIT_USAGE, "--json and --jsonl are two output formats: choose one")
    return Printer(console, as_json, headers=len(items) > 1, output=results, as_jsonl=as_jsonl)


def _stop_when_nothing_can_succeed(
    items: Sequence[Input], printer: Printer, endpoint: Endpoint, pages: str, auto_fit: bool
) -> None:
    """When every input has a problem the SDK finds before sending, report them all and stop: no service started."""
    problems = precheck(items, endpoint, pages, auto_fit=auto_fit)
    if problems and len(problems) == len(items):
        for item in items:
            printer.show(item.name, problems[item], (item.name, None))
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
    write_line(plan.summary())


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


def _mount_serve() -> None:
    """``baidu-ocr serve``: the service package's own command, flags declared there once; or, without the ``server``
    extra, a command that says how to install it."""
    try:  # an optional extra, imported by name: the SDK does not depend on the service
        server_cli = importlib.import_module("baidu_ocr_server.cli")
    except ImportError as error:
        missing = f"{_SERVER_MISSING} ({error})"

        @app.command("serve", help="Run the local Baidu-compatible OCR service (needs the server extra).")
        def serve_missing() -> None:
            typer.echo(f"baidu-ocr: {missing}", err=True)
            raise typer.Exit(EXIT_ACCOUNT)

        return
    app.command("serve")(server_cli.serve)


_mount_serve()


def main() -> None:
    """The ``baidu-ocr`` script."""
    # stamina logs each retry; the command line counts them in its summary instead of printing a line for each
    # (without a handler of its own, Python would print them on stderr)
    logging.getLogger("stamina").addHandler(logging.NullHandler())
    app()
