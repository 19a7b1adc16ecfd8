"""Error type and JSON responses in Baidu's shapes, serialized through the generated pydantic models.

Messages always come from the generated error-code table (``baidu_ocr_spec.ERROR_CODES``). ``log_id`` is a random
uint64; JSON is produced by pydantic, which writes Python ints exactly (no float rounding above 2^53 or 2^63).
"""

from __future__ import annotations

import secrets

from pydantic import BaseModel
from starlette.responses import Response

from baidu_ocr_models.models import OAuthError, OcrError
from baidu_ocr_spec import ERROR_CODES, ErrorCode

__all__ = [
    "InBandError",
    "JSONModelResponse",
    "error_message",
    "new_log_id",
    "oauth_error",
    "ocr_error",
]


def new_log_id() -> int:
    """A random uint64 (half of them exceed 2^63)."""
    return secrets.randbits(64)


def error_message(code: int, parameter: str = "") -> str:
    """The table's ``message`` for ``code`` (``internal error`` for an unknown code, which never happens), with
    ``{参数名}`` filled in by ``parameter`` (282003 ``missing parameters: {参数名}``)."""
    entry = ERROR_CODES.get(code)
    message = entry.message if entry is not None else ERROR_CODES[ErrorCode.INTERNAL_ERROR].message
    return message.replace("{参数名}", parameter) if parameter else message


class InBandError(Exception):
    """A Baidu in-band error: ``code`` from the table; ``detail`` is for the server log only, never sent."""

    def __init__(self, code: ErrorCode, detail: str = "", *, parameter: str = "") -> None:
        super().__init__(f"{code} {error_message(code, parameter)}{': ' + detail if detail else ''}")
        self.code = code
        self.detail = detail
        self.parameter = parameter


class JSONModelResponse(Response):
    """``application/json`` from a pydantic model (``None`` fields left out)."""

    media_type = "application/json"

    def __init__(self, model: BaseModel, status_code: int = 200) -> None:
        super().__init__(model.model_dump_json(exclude_none=True).encode(), status_code=status_code)


def ocr_error(code: int, log_id: int, status_code: int = 200, parameter: str = "") -> JSONModelResponse:
    """``{"error_code": …, "error_msg": …, "log_id": …}``; Baidu sends these with HTTP 200."""
    message = error_message(code, parameter)
    return JSONModelResponse(OcrError(error_code=code, error_msg=message, log_id=log_id), status_code)


def oauth_error(error: str, description: str, status_code: int) -> JSONModelResponse:
    """The OAuth error shape of the token endpoint."""
    return JSONModelResponse(OAuthError(error=error, error_description=description), status_code)
