"""Which service ``baidu-ocr`` talks to and with which credentials: the flags, the environment, or a local service
started for the command."""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, replace
from typing import Any, Protocol, cast

from ._base import ENV_BASE_URL
from ._cli_credentials import (
    CredentialFlags,
)
from ._cli_errors import STOPPING_ERRORS, UNREACHABLE_ERRORS, CommandError, in_cli_terms, stop_message
from ._cli_output import Printer
from ._client import OCR
from ._credential_kinds import CredentialKind
from ._credentials import ENV_API_KEY, ENV_SECRET_KEY, credential_kind_of
from ._errors import (
    ConfigurationError,
)
from ._exit_codes import EXIT_ACCOUNT, EXIT_UNREACHABLE

__all__ = ["Connection", "ServiceEndpoint", "check_credentials", "open_client", "start_local_service"]


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
    auto_fit: bool = False
    allow_private_urls: bool = False
    """Let the local service started for the command fetch urls on private, loopback and link-local addresses."""

    def given(self) -> bool:
        """Whether credentials or a service URL were given, by flag or environment variable."""
        names = [ENV_BASE_URL, *(name for kind in CredentialKind for name in kind.info.environment)]
        return bool(self.credentials.given() or self.base_url) or any(os.environ.get(name) for name in names)

    def client(self) -> OCR:
        settings: dict[str, Any] = {
            "base_url": self.base_url,
            "cache_file": self.token_cache,
            "auto_fit": self.auto_fit,
        }
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


def start_local_service(*, allow_private_urls: bool = False) -> AbstractContextManager[ServiceEndpoint]:
    """The bundled Baidu-compatible service (``baidu-ocr[server]``) on 127.0.0.1, on a free port."""
    try:  # an optional extra: imported by name so that the SDK does not depend on it
        embedded = importlib.import_module("baidu_ocr_server.embedded")
        config = importlib.import_module("baidu_ocr_server.config").ServiceConfig(allow_private_urls=allow_private_urls)
    except ImportError as error:
        raise CommandError(
            EXIT_ACCOUNT,
            f"no Baidu credentials given, and the local OCR service is not available ({error}): pass --api-key and "
            f"--secret-key (or set {ENV_API_KEY} and {ENV_SECRET_KEY}), or install it: pip install 'baidu-ocr[server]'",
        ) from None
    return cast(AbstractContextManager[ServiceEndpoint], embedded.LocalService(config, wait_for_engine=True))


@contextmanager
def open_client(connection: Connection, printer: Printer) -> Iterator[OCR]:
    """A client for the given service and credentials, or for the local service when none were given."""
    with ExitStack() as stack:
        if not connection.given():
            try:
                service = stack.enter_context(start_local_service(allow_private_urls=connection.allow_private_urls))
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
            raise CommandError(EXIT_ACCOUNT, in_cli_terms(str(error))) from None
        check_credentials(ocr)
        yield ocr


def check_credentials(ocr: OCR) -> None:
    """Fetch the token before any work, so that a wrong key or an unreachable service stops at once (signing and
    bearer keys have no token: their first request tells)."""
    if credential_kind_of(ocr.auth) not in (CredentialKind.APP_KEYS, CredentialKind.ACCESS_TOKEN):
        return
    try:
        ocr.access_token()
    except STOPPING_ERRORS as error:
        raise CommandError(EXIT_ACCOUNT, stop_message(error)) from None
    except UNREACHABLE_ERRORS as error:
        raise CommandError(EXIT_UNREACHABLE, f"cannot use the OCR service at {ocr.base_url}: {error}") from None
