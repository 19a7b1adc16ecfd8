"""``baidu-ocr auth check``: which credential is configured, whether the service accepts it, and what to fix.

It classifies the credential (flags, else the environment), makes one tiny OCR call (a blank 32×32 PNG made in
memory; for an API Key + Secret Key this fetches the token first), compares this machine's clock with the
service's ``Date`` header (bce-auth-v1 signatures depend on it), and prints what the answer means. Secrets are
never printed. Exit codes as ``recognize``: 0 accepted, 3 a credential problem, 4 the service could not be reached.
"""

from __future__ import annotations

import os
import struct
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Annotated, Final

import httpx
import typer

from ._base import DEFAULT_BASE_URL, ENV_BASE_URL
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
from ._cli_errors import in_cli_terms
from ._client import OCR
from ._credential_kinds import CredentialKind
from ._credentials import credential_kind_of
from ._errors import (
    APIError,
    AuthenticationError,
    BaiduOCRError,
    ConfigurationError,
    InvalidResponseError,
    PermissionDeniedError,
    QuotaExceededError,
    TransportError,
)
from ._exit_codes import EXIT_ACCOUNT, EXIT_OK, EXIT_UNREACHABLE

__all__ = ["auth_app", "blank_png", "run_check"]

CLOCK_TOLERANCE_SECONDS: Final = 60
"""A larger difference from the service's clock is reported as a problem for signing."""
EXIT_HELP: Final = "Exit codes: 0 the credential works; 3 a credential problem (the fix is printed); 4 unreachable."

auth_app = typer.Typer(
    name="auth",
    help="Check the configured Baidu credentials.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@auth_app.callback()
def auth_commands() -> None:
    """Check the configured Baidu credentials."""


def blank_png(side: int = 32) -> bytes:
    """A blank white ``side``×``side`` PNG (8-bit grayscale), made without an imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    rows = (b"\x00" + b"\xff" * side) * side  # filter byte 0, then white pixels
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@dataclass
class ClockProbe:
    """Reads the ``Date`` header of each answer: how far the service's clock is ahead of ours (seconds)."""

    now: Callable[[], float] = time.time
    offset: float | None = None

    def observe(self, response: httpx.Response) -> None:
        date = response.headers.get("date")
        if not date:
            return
        try:
            served = parsedate_to_datetime(date).timestamp()
        except (TypeError, ValueError):
            return
        self.offset = served - self.now()

    def describe(self) -> str:
        if self.offset is None:
            return "the service sent no Date header: not compared"
        seconds = round(self.offset)
        if abs(seconds) <= 1:
            return "this machine's clock agrees with the service's"
        direction = "behind" if seconds > 0 else "ahead of"
        return f"this machine's clock is {abs(seconds)} s {direction} the service's"

    def off(self) -> bool:
        return self.offset is not None and abs(self.offset) > CLOCK_TOLERANCE_SECONDS


def run_check(
    flags: CredentialFlags,
    *,
    base_url: str | None,
    token_cache: bool,
    timeout: float,
    echo: Callable[[str], None],
    environ: Mapping[str, str] | None = None,
    now: Callable[[], float] = time.time,
) -> int:
    """Check the credential and print the findings line by line; the exit code."""
    environ = os.environ if environ is None else environ
    url = base_url or environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL
    try:
        auth = flags.auth(token_cache=token_cache, base_url=url, environ=environ)
    except ConfigurationError as error:
        names = [name for kind in CredentialKind for name in kind.info.environment]
        configured = flags.given() or any(environ.get(name) for name in names)
        echo(f"problem: {in_cli_terms(str(error))}" if configured else f"problem: no credentials: {_what_to_give()}")
        return EXIT_ACCOUNT
    kind = credential_kind_of(auth)
    source = "command-line flags" if flags.given() else "the environment"
    echo(f"credential: {kind.info.label if kind else type(auth).__name__}, from {source}")
    echo(f"service: {url}")
    clock = ClockProbe(now)
    failure: BaiduOCRError | None = None
    try:
        with OCR(
            auth=auth,
            base_url=url,
            max_retries=0,
            timeout=timeout,
            httpx_args={"event_hooks": {"response": [clock.observe]}},
        ) as ocr:
            ocr.general_basic(blank_png())
    except BaiduOCRError as error:
        failure = error
    if clock.offset is not None or kind is CredentialKind.IAM_KEYS:
        echo(f"clock: {clock.describe()}")
    return _verdict(failure, kind, clock, echo)


def _what_to_give() -> str:
    """The flags and environment variables of every kind, for a command line given none."""
    ways = [f"{' + '.join(kind.info.flags)} (or {' + '.join(kind.info.environment)})" for kind in CredentialKind]
    return "give one of: " + "; ".join(ways)


def _verdict(
    failure: BaiduOCRError | None, kind: CredentialKind | None, clock: ClockProbe, echo: Callable[[str], None]
) -> int:
    signing = kind is CredentialKind.IAM_KEYS
    if failure is None or (isinstance(failure, APIError) and not _refuses_credential(failure)):
        if failure is not None:
            echo(f"note: the credential was accepted; the test call answered: {failure}")
        if signing and clock.off():
            echo("problem: the clock is off by more than a minute: bce-auth-v1 signatures may be refused")
            echo("fix: synchronize this machine's clock (e.g. `timedatectl set-ntp true`)")
            return EXIT_ACCOUNT
        echo("ok: the service accepted the credential")
        return EXIT_OK
    if isinstance(failure, TransportError | InvalidResponseError):
        echo(f"problem: the service could not be used: {failure}")
        echo("fix: check the base URL, the network and any proxy (HTTPS_PROXY)")
        return EXIT_UNREACHABLE
    problem, fix = _problem_and_fix(failure)
    echo(f"problem: {problem}")
    if signing and clock.off():
        fix = (
            "synchronize this machine's clock (e.g. `timedatectl set-ntp true`): bce-auth-v1 signatures are only "
            "valid near the time they carry"
        )
    if fix:
        echo(f"fix: {fix}")
    return EXIT_ACCOUNT


def _problem_and_fix(error: BaiduOCRError) -> tuple[str, str]:
    """The error without its diagnosis, and the diagnosis."""
    text = str(error)
    if isinstance(error, APIError) and error.hint:
        return text.removesuffix(f" -- {error.hint}"), error.hint
    return text, ""


def _refuses_credential(error: APIError) -> bool:
    """Whether an answer says the credential cannot be used (not merely that the test call failed)."""
    return isinstance(error, AuthenticationError | PermissionDeniedError | QuotaExceededError)


@auth_app.command("check", epilog=EXIT_HELP)
def check(
    api_key: ApiKeyOption = None,
    secret_key: SecretKeyOption = None,
    access_token: AccessTokenOption = None,
    access_key_id: AccessKeyIdOption = None,
    secret_access_key: SecretAccessKeyOption = None,
    bearer_key: BearerKeyOption = None,
    base_url: BaseUrlOption = None,
    token_cache: TokenCacheOption = True,
    timeout: Annotated[float, typer.Option(min=0.1, metavar="SECONDS", help="Seconds per request.")] = 15.0,
) -> None:
    """Classify the configured credential, make one tiny call with it, and print what to fix."""
    flags = CredentialFlags(api_key, secret_key, access_token, access_key_id, secret_access_key, bearer_key)
    code = run_check(flags, base_url=base_url, token_cache=token_cache, timeout=timeout, echo=typer.echo)
    raise typer.Exit(code)
