"""Credential diagnosis: tell a credential's kind by its shape, refuse the unambiguous mix-ups before anything is
sent, and say what a refusal most likely means for the kind that was used.

Nothing here quotes a credential: messages name the value (``the API Key (api_key= / BAIDU_OCR_API_KEY)``), never
show it.
"""

from __future__ import annotations

import enum
import re
from typing import Protocol, runtime_checkable

from baidu_ocr_spec import REFRESH_TOKEN_CODES, ErrorCode

from ._credential_kinds import CredentialKind
from ._errors import APIError, ConfigurationError, api_error

__all__ = [
    "DiagnosableAuth",
    "KeyShape",
    "check_value",
    "diagnose",
    "explain_answer",
    "explain_token_failure",
    "key_shape",
]

_IAM_KEY = re.compile(r"[0-9a-f]{32}")
_APP_API_KEY = re.compile(r"[A-Za-z0-9]{24}")
_ACCESS_TOKEN = re.compile(r"\d{1,3}\.[0-9a-fA-F]{16,}\.\d+\.\d+\.[\w-]+")
_BEARER_PREFIX = "bce-v3/"


class KeyShape(enum.Enum):
    """What a credential string looks like."""

    BEARER_KEY = "a Baidu Cloud API key (bce-v3/ALTAK-…)"
    ACCESS_TOKEN = "an access token (24.…)"
    IAM_KEY = "an IAM Access Key ID or Secret Access Key (32 hex digits)"
    APP_API_KEY = "an application API Key (24 letters and digits)"
    OTHER = "of no known shape"


def key_shape(value: str) -> KeyShape:
    """The shape of ``value``; ``OTHER`` for anything else (a local service may use any key)."""
    if value.lower().startswith(_BEARER_PREFIX) or "/ALTAK-" in value:
        return KeyShape.BEARER_KEY
    if _ACCESS_TOKEN.fullmatch(value):
        return KeyShape.ACCESS_TOKEN
    if _IAM_KEY.fullmatch(value):
        return KeyShape.IAM_KEY
    if _APP_API_KEY.fullmatch(value):
        return KeyShape.APP_API_KEY
    return KeyShape.OTHER


_SHAPE_KINDS = {KeyShape.BEARER_KEY: CredentialKind.BEARER_KEY, KeyShape.ACCESS_TOKEN: CredentialKind.ACCESS_TOKEN}
"""Shapes that tell the kind beyond doubt."""


def check_value(kind: CredentialKind, index: int, value: str) -> str:
    """``value`` stripped of surrounding whitespace, or :class:`ConfigurationError` when it is empty, holds
    whitespace or is, by its shape, beyond doubt another kind of credential."""
    info = kind.info
    what = info.describe(index)
    value = value.strip()
    if not value:
        raise ConfigurationError(f"{what} is empty")
    if kind is CredentialKind.BEARER_KEY and value.lower().startswith("bearer "):
        raise ConfigurationError(f"{what} starts with 'Bearer ': pass the key alone (bce-v3/ALTAK-…/…)")
    if any(character.isspace() for character in value):
        raise ConfigurationError(f"{what} contains whitespace: was it copied whole, and only it?")
    actual = _SHAPE_KINDS.get(key_shape(value))
    if actual is not None and actual is not kind:
        raise ConfigurationError(
            f"{what} is {key_shape(value).value}; that is not a value for the {info.short}: "
            f"pass it as {actual.info.how_to_pass()}"
        )
    return value


def _looks_like(value: str, shape: KeyShape, what: str, kind: CredentialKind) -> str:
    """A sentence when ``value`` has ``shape``, which belongs to ``kind``."""
    if key_shape(value) is not shape:
        return ""
    info = kind.info
    return f" {what} looks like {shape.value}, used for {info.short}: pass it as {info.how_to_pass()}."


def explain_token_failure(error: str, description: str, api_key: str, secret_key: str) -> str:
    """What the token endpoint's OAuth error most likely means for this API Key / Secret Key."""
    info = CredentialKind.APP_KEYS.info
    text = description.lower()
    if "unknown client" in text:
        return (
            f"{info.short} used: the token endpoint does not know {info.describe(0)}: copy the API Key of the "
            "application (Baidu console, 文字识别 > 应用列表)."
            + _looks_like(api_key, KeyShape.IAM_KEY, "It", CredentialKind.IAM_KEYS)
        )
    if "authentication failed" in text or error == "invalid_client":
        return (
            f"{info.short} used: the API Key is known but {info.describe(1)} does not match it: copy the "
            "Secret Key of the same application (it changes when it is reset in the console)."
            + _looks_like(secret_key, KeyShape.IAM_KEY, "It", CredentialKind.IAM_KEYS)
        )
    if error in ("invalid_request", "unsupported_grant_type"):
        return "the token request arrived malformed: is a proxy or gateway between here and the service changing it?"
    return f"{info.short} used: the token endpoint refused the keys."


_PERMISSION = (
    "the credential is valid, but it may not call this OCR API: in the Baidu console enable 通用文字识别 for the "
    "application (for an IAM user or API key: grant it the OCR permission), then retry."
)


def explain_answer(kind: CredentialKind, error_code: int | str, key_id: str = "") -> str:
    """What an OCR answer's auth-related ``error_code`` most likely means for ``kind`` (``""`` for other codes).

    ``key_id`` is the first value (API Key, Access Key ID, bearer key), used only for its shape, never shown.
    """
    info = kind.info
    if error_code == ErrorCode.NO_PERMISSION:
        return f"{info.short} used: {_PERMISSION}"
    if error_code == ErrorCode.IAM_CERTIFICATION_FAILED:
        return f"{info.short} used: " + _explain_14(kind, key_id)
    if error_code in REFRESH_TOKEN_CODES:
        state = "expired" if error_code == ErrorCode.ACCESS_TOKEN_EXPIRED else "invalid"
        if kind is CredentialKind.ACCESS_TOKEN:
            return (
                f"{info.short} used: the token is {state} and a fixed token cannot be renewed: pass the app's "
                f"API Key + Secret Key instead ({CredentialKind.APP_KEYS.info.how_to_pass()}), or a new token."
            )
        if kind is CredentialKind.APP_KEYS:
            return (
                f"{info.short} used: a newly fetched token was refused too: does the token endpoint belong to "
                "the same service as the OCR endpoint (base URL, token URL)?"
            )
        return f"{info.short} used: the service asked for an access token: does it accept this kind of credential?"
    return ""


def _explain_14(kind: CredentialKind, key_id: str) -> str:
    if kind is CredentialKind.IAM_KEYS:
        return (
            "the bce-auth-v1 signature was refused: check the Access Key ID and Secret Access Key (Baidu console, "
            "安全认证 > Access Key; not an application's API Key / Secret Key) and this machine's clock (the "
            "signature's x-bce-date must be within its expiration period; `baidu-ocr auth check` compares clocks)."
            + _looks_like(key_id, KeyShape.APP_API_KEY, "The Access Key ID", CredentialKind.APP_KEYS)
        )
    if kind is CredentialKind.BEARER_KEY:
        return (
            "the bearer API key was refused: check that it was copied whole (bce-v3/ALTAK-…/…), is enabled and "
            "not expired (Baidu console, API Key), and has the OCR permission."
            + _looks_like(key_id, KeyShape.IAM_KEY, "The key", CredentialKind.IAM_KEYS)
            + _looks_like(key_id, KeyShape.APP_API_KEY, "The key", CredentialKind.APP_KEYS)
        )
    return (
        "IAM certification failed for a request that carried an access token: the token may belong to another "
        "account or service; fetch one with this application's API Key + Secret Key."
    )


@runtime_checkable
class DiagnosableAuth(Protocol):
    """An auth object that can say what a refusal means for its credential."""

    credential_kind: CredentialKind

    def explain(self, error_code: int | str) -> str:
        """What an OCR answer's ``error_code`` most likely means for this credential (``""``: nothing to add)."""
        ...


def diagnose(error: APIError, auth: object) -> APIError:
    """``error`` with the diagnosis of ``auth`` (one of the SDK's auth objects) as its hint; else unchanged."""
    if error.hint or not isinstance(auth, DiagnosableAuth):
        return error
    hint = auth.explain(error.error_code)
    if not hint:
        return error
    return api_error(
        error.error_code, error.error_msg, log_id=error.log_id, status_code=error.status_code, raw=error.raw, hint=hint
    )
