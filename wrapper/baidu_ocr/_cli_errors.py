"""How a ``baidu-ocr`` command ends early: the exception that carries its exit code, and the stop messages."""

from __future__ import annotations

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

__all__ = ["STOPPING_ERRORS", "UNREACHABLE_ERRORS", "CommandError", "QuotaReachedError", "stop_message"]

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
