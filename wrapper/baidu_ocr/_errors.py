"""The exception tree. Every error the SDK raises derives from :class:`BaiduOCRError`::

    BaiduOCRError
    ├── ConfigurationError            no credentials, bad client settings
    ├── InputError (ValueError)       caught before any network call
    │   ├── EmptyInputError           216200 on the service
    │   ├── UnsupportedFormatError    216201
    │   ├── InputTooLargeError        216202 (encoded size)
    │   ├── ImageDimensionsError      216202 (shortest / longest side)
    │   ├── URLTooLongError           282114
    │   └── InvalidOptionError        216100 (language_type, unknown combination, ...)
    ├── TransportError                the request did not get an answer
    │   ├── RequestTimeoutError
    │   └── ConnectionFailedError
    ├── InvalidResponseError          an answer that is not Baidu's JSON (HTML 502 page, truncated JSON, 5xx)
    └── APIError                      Baidu's in-band ``error_code`` (or the token endpoint's OAuth error)
        ├── AuthenticationError       110, 111, 216110, token endpoint 401
        ├── PermissionDeniedError     6, 14
        ├── QuotaExceededError        17, 19
        ├── RateLimitError            4, 18
        ├── InvalidParameterError     100, 216100-216103, 282003, ...
        ├── ImageError                216200-216202, ...
        ├── URLError                  282110-282114
        └── ServerError               282000, 216630, 216634, 282810, ...

The code → class mapping comes from the spec's error table (``baidu_ocr_spec.ERROR_CODES``), not from a list here.
"""

from __future__ import annotations

import json
from typing import Any, Final

from baidu_ocr_spec import ERROR_CODES, Category, ErrorCodeInfo

__all__ = [
    "APIError",
    "AuthenticationError",
    "BaiduOCRError",
    "ConfigurationError",
    "ConnectionFailedError",
    "EmptyInputError",
    "ImageDimensionsError",
    "ImageError",
    "InputError",
    "InputTooLargeError",
    "InvalidOptionError",
    "InvalidParameterError",
    "InvalidResponseError",
    "PermissionDeniedError",
    "QuotaExceededError",
    "RateLimitError",
    "RequestTimeoutError",
    "ServerError",
    "TransportError",
    "URLError",
    "URLTooLongError",
    "UnsupportedFormatError",
    "api_error",
    "as_error_code",
    "as_integer",
    "json_object",
]


class BaiduOCRError(Exception):
    """Root of every error this SDK raises."""


class ConfigurationError(BaiduOCRError):
    """The client cannot be used as configured (e.g. no credentials)."""


class InputError(BaiduOCRError, ValueError):
    """The input breaks a documented limit; raised before anything is sent."""

    service_code: int = 216100
    """The error code the service would have answered with."""

    def __init__(self, message: str, *, service_code: int | None = None) -> None:
        super().__init__(message)
        if service_code is not None:
            self.service_code = service_code


class EmptyInputError(InputError):
    """The image, PDF or URL is empty."""

    service_code = 216200


class UnsupportedFormatError(InputError):
    """Not a jpg/png/bmp image (or not a PDF where a PDF is expected)."""

    service_code = 216201


class InputTooLargeError(InputError):
    """The base64 + urlencoded input is larger than the endpoint accepts."""

    service_code = 216202

    def __init__(self, message: str, *, size: int, limit: int) -> None:
        super().__init__(message)
        self.size = size
        self.limit = limit


class ImageDimensionsError(InputError):
    """The image's shortest side is too short or its longest side too long."""

    service_code = 216202

    def __init__(self, message: str, *, width: int, height: int, min_side: int, max_side: int) -> None:
        super().__init__(message)
        self.width, self.height = width, height
        self.min_side, self.max_side = min_side, max_side


class URLTooLongError(InputError):
    """The url is longer than the endpoint accepts."""

    service_code = 282114


class InvalidOptionError(InputError):
    """An option value the endpoint does not accept."""

    service_code = 216100


class TransportError(BaiduOCRError):
    """The request got no answer (timeout, refused connection, TLS failure, ...)."""


class RequestTimeoutError(TransportError):
    """Connecting, writing or reading took longer than the timeout."""


class ConnectionFailedError(TransportError):
    """The connection could not be made or broke off."""


class InvalidResponseError(BaiduOCRError):
    """An answer that is not one of the service's JSON shapes (an HTML error page, truncated JSON, a 5xx)."""

    def __init__(self, message: str, *, status_code: int, body_excerpt: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body_excerpt = body_excerpt


class APIError(BaiduOCRError):
    """An error the service reported: Baidu's ``error_code`` and ``error_msg``, with the request's ``log_id``."""

    def __init__(
        self,
        error_code: int | str,
        error_msg: str,
        *,
        log_id: int | None = None,
        status_code: int = 200,
        meaning: str = "",
        raw: dict[str, Any] | None = None,
        hint: str = "",
    ) -> None:
        self.error_code = error_code
        self.raw = raw if raw is not None else {"error_code": error_code, "error_msg": error_msg}
        self.error_msg = error_msg
        self.log_id = log_id
        self.status_code = status_code
        self.meaning = meaning
        self.hint = hint
        """Which credential was used and what the answer most likely means (credential diagnosis), or ``""``."""
        detail = f" ({meaning})" if meaning else ""
        log = f" [log_id {log_id}]" if log_id is not None else ""
        advice = f" -- {hint}" if hint else ""
        super().__init__(f"Baidu OCR error {error_code}: {error_msg}{detail}{log}{advice}")

    @property
    def info(self) -> ErrorCodeInfo | None:
        """The documented row for this code, if it is documented."""
        return ERROR_CODES.get(self.error_code) if isinstance(self.error_code, int) else None


class AuthenticationError(APIError):
    """The token is invalid or expired, or the API key / secret key is wrong."""


class PermissionDeniedError(APIError):
    """The application may not call this API (console setting) or the IAM signature failed."""


class QuotaExceededError(APIError):
    """The daily or total quota is used up; retrying will not help until it resets."""


class RateLimitError(APIError):
    """Too many requests per second (QPS) or the cluster limit; retried with backoff."""


class InvalidParameterError(APIError):
    """A parameter is invalid, missing or too long."""


class ImageError(APIError):
    """The image is empty, of an unsupported format or of an unsupported size."""


class URLError(APIError):
    """The url is missing, malformed, too long, or could not be downloaded."""


class ServerError(APIError):
    """A transient failure on the service's side; retried a bounded number of times."""


_CATEGORY_CLASSES: Final[dict[Category, type[APIError]]] = {
    "quota": QuotaExceededError,
    "rate_limit": RateLimitError,
    "auth": AuthenticationError,
    "permission": PermissionDeniedError,
    "invalid_parameter": InvalidParameterError,
    "image": ImageError,
    "url": URLError,
    "server": ServerError,
}


_MAX_DIGITS = 40
"""Longest decimal text read as a number (a uint64 ``log_id`` has at most 20 digits)."""


def as_integer(value: object) -> int | None:
    """``value`` as an int when it is one or a decimal string (gateways send ``log_id`` and codes as text)."""
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= _MAX_DIGITS:
        return int(value)
    return None


def json_object(content: bytes) -> dict[str, Any] | None:
    """``content`` as a JSON object, or ``None`` when it is not one (not JSON, too deep, a number too long)."""
    try:
        data = json.loads(content)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def as_error_code(value: object) -> int | str:
    """An ``error_code`` as an int when it is a decimal number (some gateways send ``"18"``), else as text."""
    number = as_integer(value)
    return str(value)[:_MAX_DIGITS] if number is None else number


def api_error(
    error_code: int | str,
    error_msg: str,
    *,
    log_id: int | None = None,
    status_code: int = 200,
    raw: dict[str, Any] | None = None,
    hint: str = "",
) -> APIError:
    """The exception for an in-band error, by the spec's error table; undocumented codes give :class:`APIError`."""
    row = ERROR_CODES.get(error_code) if isinstance(error_code, int) else None
    if row is None:
        return APIError(error_code, error_msg, log_id=log_id, status_code=status_code, raw=raw, hint=hint)
    cls = _CATEGORY_CLASSES[row.category]
    return cls(error_code, error_msg, log_id=log_id, status_code=status_code, meaning=row.meaning, raw=raw, hint=hint)
