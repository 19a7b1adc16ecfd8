"""How a ``baidu-ocr`` command ends early: the exception that carries its exit code, and the stop messages."""

from __future__ import annotations

import re

from ._credential_kinds import CredentialKind
from ._errors import (
    AuthenticationError,
    BaiduOCRError,
    ConfigurationError,
    InvalidResponseError,
    PermissionDeniedError,
    QuotaExceededError,
    TransportError,
)
from ._exit_codes import EXIT_ACCOUNT

__all__ = ["STOPPING_ERRORS", "UNREACHABLE_ERRORS", "CommandError", "QuotaReachedError", "in_cli_terms", "stop_message"]

_AUTH_CLASS = re.compile(r"\b[A-Z]\w*Auth\(\.\.\.\), or ")
_KEYWORD = re.compile(r"\b([a-z_]+)=(?=[\s,;)/+]|$)")

STOPPING_ERRORS = (AuthenticationError, PermissionDeniedError, QuotaExceededError, ConfigurationError)
"""Errors that every later request would meet too: stop at the first one (exit 3)."""
UNREACHABLE_ERRORS = (TransportError, InvalidResponseError)


class CommandError(Exception):
    """End the command with ``code`` after printing ``message`` on stderr."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


class QuotaReachedError(CommandError):
    """The quota is used up: stop cleanly (the message, with what is done and what remains, is made by the caller)."""

    def __init__(self, error: QuotaExceededError) -> None:
        super().__init__(EXIT_ACCOUNT, stop_message(error))
        self.error = error


def stop_message(error: BaiduOCRError) -> str:
    if isinstance(error, AuthenticationError):
        return f"authentication failed: {error} (check the API key and secret key, or the access token)"
    if isinstance(error, PermissionDeniedError):
        return f"no permission: {error} (enable the API for this application in the Baidu console)"
    if isinstance(error, QuotaExceededError):
        return f"quota used up: {error}"
    return str(error)


def in_cli_terms(message: str) -> str:
    """An SDK message about credentials, said in the command line's terms: ``api_key=`` becomes ``--api-key``."""
    keywords = {keyword for kind in CredentialKind for keyword in kind.info.keywords}
    message = message.replace("pass auth=, or set one of", "pass one of")
    message = _AUTH_CLASS.sub("", message)  # "BearerAuth(...), or --bearer-key": the flag is the CLI's way

    def flag(match: re.Match[str]) -> str:
        name = match.group(1)
        return "--" + name.replace("_", "-") if name in keywords else match.group(0)

    return _KEYWORD.sub(flag, message)
