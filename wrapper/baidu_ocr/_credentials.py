"""Which credentials a client uses: an ``auth=`` object, keyword shorthands, or the environment — one kind only."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Final

import httpx

from ._errors import ConfigurationError
from ._token import AccessTokenAuth, ClientCredentialsAuth

__all__ = ["ENV_ACCESS_TOKEN", "ENV_API_KEY", "ENV_SECRET_KEY", "resolve_auth"]

ENV_API_KEY: Final = "BAIDU_OCR_API_KEY"
ENV_SECRET_KEY: Final = "BAIDU_OCR_SECRET_KEY"
ENV_ACCESS_TOKEN: Final = "BAIDU_OCR_ACCESS_TOKEN"


def resolve_auth(
    *,
    auth: httpx.Auth | None = None,
    api_key: str | None = None,
    secret_key: str | None = None,
    access_token: str | None = None,
    token_url: str,
    environ: Mapping[str, str] = os.environ,
) -> httpx.Auth:
    """The auth object for these settings: ``auth`` itself, else the keywords, else the environment.

    Raises :class:`ConfigurationError` when two kinds are given at once or none at all.
    """
    given = {
        name
        for name, value in (
            ("auth=", auth),
            ("api_key=/secret_key=", api_key or secret_key),
            ("access_token=", access_token),
        )
        if value
    }
    if len(given) > 1:
        raise ConfigurationError(f"give one kind of credentials, got {' and '.join(sorted(given))}")
    if auth is not None:
        return auth
    if not given:
        api_key = environ.get(ENV_API_KEY) or None
        secret_key = environ.get(ENV_SECRET_KEY) or None
        if not (api_key or secret_key):
            access_token = environ.get(ENV_ACCESS_TOKEN) or None
    if access_token:
        return AccessTokenAuth(access_token)
    if api_key and secret_key:
        return ClientCredentialsAuth(api_key, secret_key, token_url=token_url)
    missing = "secret_key (BAIDU_OCR_SECRET_KEY)" if api_key else "api_key (BAIDU_OCR_API_KEY)"
    if api_key or secret_key:
        raise ConfigurationError(f"the API Key and the Secret Key go together: {missing} is missing")
    raise ConfigurationError(
        f"no credentials: pass api_key= and secret_key= (or access_token=, or auth=), or set {ENV_API_KEY} and "
        f"{ENV_SECRET_KEY} (or {ENV_ACCESS_TOKEN})"
    )
