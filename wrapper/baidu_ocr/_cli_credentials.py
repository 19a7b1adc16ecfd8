"""The credential flags of the ``baidu-ocr`` commands, declared once (from :class:`CredentialKind`'s keywords and
environment variables), and the auth object they give."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Final

import httpx
import typer

from baidu_ocr_client.api.auth import get_access_token

from ._base import DEFAULT_BASE_URL, ENV_BASE_URL
from ._credential_kinds import CredentialKind
from ._credentials import resolve_auth

__all__ = [
    "AccessKeyIdOption",
    "AccessTokenOption",
    "ApiKeyOption",
    "BaseUrlOption",
    "BearerKeyOption",
    "CredentialFlags",
    "SecretAccessKeyOption",
    "SecretKeyOption",
    "TokenCacheOption",
]

CREDENTIALS_PANEL: Final = "Credentials (flags, else the environment)"


_WHAT: Final = {
    "api_key": "An application's API Key",
    "secret_key": "Its Secret Key",
    "access_token": "A ready access token, instead of keys",
    "access_key_id": "An IAM Access Key ID, to sign each request (bce-auth-v1)",
    "secret_access_key": "Its Secret Access Key",
    "bearer_key": "A Baidu Cloud API key bce-v3/ALTAK-…/…, sent as a bearer token",
}


def _help(kind: CredentialKind, index: int) -> str:
    info = kind.info
    return f"{_WHAT[info.keywords[index]]} (env {info.environment[index]})."


def _credential_option(kind: CredentialKind, index: int) -> Any:
    """The ``Annotated`` type of one credential flag, its name taken from the kind's declaration."""
    flag = kind.info.flags[index]
    return Annotated[str | None, typer.Option(flag, help=_help(kind, index), rich_help_panel=CREDENTIALS_PANEL)]


ApiKeyOption = _credential_option(CredentialKind.APP_KEYS, 0)
SecretKeyOption = _credential_option(CredentialKind.APP_KEYS, 1)
AccessTokenOption = _credential_option(CredentialKind.ACCESS_TOKEN, 0)
AccessKeyIdOption = _credential_option(CredentialKind.IAM_KEYS, 0)
SecretAccessKeyOption = _credential_option(CredentialKind.IAM_KEYS, 1)
BearerKeyOption = _credential_option(CredentialKind.BEARER_KEY, 0)
BaseUrlOption = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        help=f"Service URL, default {DEFAULT_BASE_URL} (env {ENV_BASE_URL}).",
        rich_help_panel=CREDENTIALS_PANEL,
    ),
]
TokenCacheOption = Annotated[
    bool,
    typer.Option(
        "--token-cache/--no-token-cache",
        help="Keep the access token of an API Key + Secret Key in the user cache directory for later runs.",
        rich_help_panel=CREDENTIALS_PANEL,
    ),
]


@dataclass(frozen=True)
class CredentialFlags:
    """The credential flags of one command line (``None``: not given)."""

    api_key: str | None = None
    secret_key: str | None = None
    access_token: str | None = None
    access_key_id: str | None = None
    secret_access_key: str | None = None
    bearer_key: str | None = None

    def __repr__(self) -> str:
        return f"CredentialFlags(given={[kind.name for kind in self.given()]})"

    def given(self) -> list[CredentialKind]:
        """The kinds of credential given by flag."""
        return [kind for kind in CredentialKind if any(getattr(self, name) for name in kind.info.keywords)]

    def auth(self, *, token_cache: bool, base_url: str, environ: Mapping[str, str] | None = None) -> httpx.Auth:
        """The auth object for these flags, else the environment (``ConfigurationError`` for none or two)."""
        return resolve_auth(
            api_key=self.api_key,
            secret_key=self.secret_key,
            access_token=self.access_token,
            access_key_id=self.access_key_id,
            secret_access_key=self.secret_access_key,
            bearer_key=self.bearer_key,
            token_url=base_url.rstrip("/") + get_access_token.PATH,
            cache_file=token_cache,
            environ=os.environ if environ is None else environ,
        )
