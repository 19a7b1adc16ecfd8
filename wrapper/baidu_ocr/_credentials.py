"""Which credential a client uses: an explicit ``auth=`` object, the keyword shorthands, or the environment, and
never two kinds at once (Baidu accepts one mechanism per request; a guess would hide a mistake).

The environment variables (declared once, in :class:`~baidu_ocr._credential_kinds.CredentialKind`):

==================================  ==============================================================
``BAIDU_OCR_API_KEY`` +             an app's API Key + Secret Key (``ClientCredentialsAuth``)
``BAIDU_OCR_SECRET_KEY``
``BAIDU_OCR_ACCESS_TOKEN``          a ready access token (``AccessTokenAuth``)
``BAIDU_OCR_ACCESS_KEY_ID`` +       an IAM Access Key ID + Secret Access Key (``BceV1Auth``)
``BAIDU_OCR_SECRET_ACCESS_KEY``
``BAIDU_OCR_BEARER_KEY``            a Baidu Cloud API key ``bce-v3/ALTAK-…/…`` (``BearerAuth``)
==================================  ==============================================================
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Final

import httpx

from ._auth import BceV1Auth, BearerAuth
from ._credential_kinds import CredentialKind
from ._diagnosis import check_value
from ._errors import ConfigurationError
from ._token import AccessTokenAuth, ClientCredentialsAuth
from ._token_file import TokenFile, TokenFileStore

__all__ = ["ENV_ACCESS_TOKEN", "ENV_API_KEY", "ENV_SECRET_KEY", "credential_kind_of", "resolve_auth"]

ENV_API_KEY: Final = CredentialKind.APP_KEYS.info.environment[0]
ENV_SECRET_KEY: Final = CredentialKind.APP_KEYS.info.environment[1]
ENV_ACCESS_TOKEN: Final = CredentialKind.ACCESS_TOKEN.info.environment[0]


def _named(kind: CredentialKind, source: str) -> str:
    info = kind.info
    if source == "keywords":
        return " + ".join(f"{keyword}=" for keyword in info.keywords)
    return " + ".join(info.environment)


def _what_to_set() -> str:
    return "; ".join(
        f"{' + '.join(f'{k}=' for k in kind.info.keywords)} (or {' + '.join(kind.info.environment)})"
        for kind in CredentialKind
    )


def resolve_auth(
    *,
    auth: httpx.Auth | None = None,
    api_key: str | None = None,
    secret_key: str | None = None,
    access_token: str | None = None,
    access_key_id: str | None = None,
    secret_access_key: str | None = None,
    bearer_key: str | None = None,
    token_url: str,
    cache_file: bool | str | os.PathLike[str] = False,
    environ: Mapping[str, str] | None = None,
) -> httpx.Auth:
    """The ``httpx.Auth`` for these settings; :class:`ConfigurationError` when there is none or more than one.

    Keywords win over the environment; the other half of a keyword pair may come from the environment
    (``api_key=`` with ``BAIDU_OCR_SECRET_KEY``). ``token_url`` and ``cache_file`` go to ``ClientCredentialsAuth``:
    ``cache_file=True`` keeps its token in the user cache directory, a path in that file (see :mod:`._token_file`).
    """
    environ = os.environ if environ is None else environ
    keywords = {
        "api_key": api_key,
        "secret_key": secret_key,
        "access_token": access_token,
        "access_key_id": access_key_id,
        "secret_access_key": secret_access_key,
        "bearer_key": bearer_key,
    }
    by_keyword = [kind for kind in CredentialKind if any(keywords[name] for name in kind.info.keywords)]
    if auth is not None:
        if by_keyword:
            raise ConfigurationError(
                f"auth= and {_named(by_keyword[0], 'keywords')} were both given: pass one credential, not two"
            )
        if not isinstance(auth, httpx.Auth):
            raise ConfigurationError(f"auth= must be an httpx.Auth (e.g. BearerAuth(...)), not {type(auth).__name__}")
        return auth
    if len(by_keyword) > 1:
        raise ConfigurationError(_two_kinds(by_keyword, "keywords"))
    if by_keyword:
        kind = by_keyword[0]
        pairs = zip(kind.info.keywords, kind.info.environment, strict=True)
        values = [keywords[name] or environ.get(env) or None for name, env in pairs]
    else:
        by_environment = [kind for kind in CredentialKind if any(environ.get(name) for name in kind.info.environment)]
        if len(by_environment) > 1:
            raise ConfigurationError(_two_kinds(by_environment, "environment"))
        if not by_environment:
            raise ConfigurationError(f"no credentials: pass auth=, or set one of: {_what_to_set()}")
        kind = by_environment[0]
        values = [environ.get(name) or None for name in kind.info.environment]
    checked = []
    for index, value in enumerate(values):
        if value is None:
            given = kind.info.describe(1 - index)
            raise ConfigurationError(f"{given} was given without {kind.info.describe(index)}")
        checked.append(check_value(kind, index, value))
    return _build(kind, checked, token_url, cache_file)


def _two_kinds(kinds: list[CredentialKind], source: str) -> str:
    first, second = kinds[0], kinds[1]
    return (
        f"two kinds of credentials were given ({_named(first, source)} and {_named(second, source)}): Baidu "
        f"accepts one per request: keep only the {first.info.short} or the {second.info.short}"
    )


def _build(
    kind: CredentialKind, values: list[str], token_url: str, cache_file: bool | str | os.PathLike[str]
) -> httpx.Auth:
    if kind is CredentialKind.IAM_KEYS:
        return BceV1Auth(values[0], values[1])
    if kind is CredentialKind.BEARER_KEY:
        return BearerAuth(values[0])
    if kind is CredentialKind.ACCESS_TOKEN:
        return AccessTokenAuth(values[0])
    store = None
    if cache_file is not False:
        file = TokenFile(None if cache_file is True else cache_file)
        store = TokenFileStore(file, token_url=token_url, api_key=values[0])
    return ClientCredentialsAuth(values[0], values[1], token_url=token_url, store=store)


def credential_kind_of(auth: httpx.Auth) -> CredentialKind | None:
    """The kind of credential an SDK auth object carries (``None`` for another ``httpx.Auth``)."""
    kind = getattr(auth, "credential_kind", None)
    return kind if isinstance(kind, CredentialKind) else None
