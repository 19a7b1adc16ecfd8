"""Access-token auth for the generated client: an ``httpx.Auth`` that fetches, caches and renews the token.

``ClientCredentialsAuth`` exchanges the app's API Key and Secret Key for a token (POST, secret in the body, never
in a URL), built and read by the generated ``get_access_token`` endpoint module, so the token request travels the
same code as every other. The token goes into the ``access_token`` query parameter; an answer whose code the
spec marks ``retry: refresh_token`` (110, 111) drops the token, fetches a new one and replays the request once.
Many concurrent calls fetch one token (single flight: a thread lock in the sync flow, an asyncio lock in the async
one). Where the token is kept is a :class:`TokenStore`: in memory by default; a file store shares it across
processes.
"""

from __future__ import annotations

import asyncio
import functools
import json
import math
import threading
import time
from collections.abc import AsyncGenerator, Generator
from contextlib import AbstractContextManager, nullcontext
from typing import Any, NamedTuple, Protocol

import httpx

from baidu_ocr_client.api.auth import get_access_token
from baidu_ocr_client.errors import UnexpectedResponse
from baidu_ocr_client.models import GrantType, OAuthError, TokenRequest, TokenResponse
from baidu_ocr_spec import REFRESH_TOKEN_CODES

from ._credential_kinds import CredentialKind
from ._diagnosis import explain_answer, explain_token_failure
from ._errors import AuthenticationError, InvalidResponseError, api_error, as_error_code, as_integer, json_object

__all__ = [
    "REFRESH_MARGIN_SECONDS",
    "AccessTokenAuth",
    "ClientCredentialsAuth",
    "MemoryTokenStore",
    "StoredToken",
    "TokenStore",
    "scrub",
]

REFRESH_MARGIN_SECONDS = 300.0
"""Renew a token this long before it expires (or a tenth of its lifetime, if that is shorter)."""
_REJECTION_SCAN_BYTES = 4096
"""An answer longer than this is a result, not a token rejection: it is never parsed by the auth flow."""


class StoredToken(NamedTuple):
    """A token, when it expires and when to renew it (wall-clock seconds, so that a file can keep it)."""

    value: str
    expires_at: float
    renew_at: float

    @classmethod
    def issued(cls, value: str, lifetime: float, now: float) -> StoredToken:
        margin = min(REFRESH_MARGIN_SECONDS, lifetime / 10)
        return cls(value, now + lifetime, now + lifetime - margin)


class TokenStore(Protocol):
    """Where a :class:`ClientCredentialsAuth` keeps its token."""

    def load(self) -> StoredToken | None:
        """The stored token, if any (fresh or not)."""
        ...

    def save(self, token: StoredToken) -> None:
        """Keep ``token``."""
        ...

    def discard(self, value: str) -> None:
        """Forget the token ``value`` if it is still the stored one."""
        ...

    def locked(self) -> AbstractContextManager[object]:
        """Held around a fetch, so that one fetch serves every process sharing the store."""
        ...


class MemoryTokenStore:
    """The token of this process only."""

    def __init__(self) -> None:
        self._token: StoredToken | None = None

    def __repr__(self) -> str:
        return f"MemoryTokenStore(stored={self._token is not None})"

    def load(self) -> StoredToken | None:
        return self._token

    def save(self, token: StoredToken) -> None:
        self._token = token

    def discard(self, value: str) -> None:
        if self._token is not None and self._token.value == value:
            self._token = None

    def locked(self) -> AbstractContextManager[object]:
        return nullcontext()


def scrub(value: Any, secrets: tuple[str, ...]) -> Any:
    """``value`` (a JSON document) with every occurrence of ``secrets`` in its strings replaced by ``***``."""
    if isinstance(value, str):
        for secret in secrets:
            if secret:
                value = value.replace(secret, "***")
        return value
    if isinstance(value, dict):
        return {scrub(key, secrets): scrub(item, secrets) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub(item, secrets) for item in value]
    return value


@functools.lru_cache(maxsize=64)
def _url_with_token(url: httpx.URL, token: str) -> httpx.URL:
    """``url`` with the token (memoized: the OCR URLs are few, and httpx parses a URL anew for each copy)."""
    return url.copy_set_param("access_token", token)


def _with_token(request: httpx.Request, token: str) -> httpx.Request:
    request.url = _url_with_token(request.url, token)
    return request


def rejected_token(response: httpx.Response) -> bool:
    """Whether an OCR answer says the token is invalid or expired (a code the spec marks ``refresh_token``)."""
    content = response.content
    if len(content) > _REJECTION_SCAN_BYTES or b"error_code" not in content:
        return False
    try:
        data = json.loads(content)
    except (ValueError, RecursionError):
        return False
    return isinstance(data, dict) and as_integer(data.get("error_code")) in REFRESH_TOKEN_CODES


class AccessTokenAuth(httpx.Auth):
    """A fixed access token (it cannot be renewed: a rejected one raises ``AuthenticationError``)."""

    credential_kind = CredentialKind.ACCESS_TOKEN

    def __init__(self, token: str) -> None:
        if not token:
            raise ValueError("the access token is empty")
        self._token = token

    def __repr__(self) -> str:
        return "AccessTokenAuth(token=***)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        yield _with_token(request, self._token)

    def token(self, client: httpx.Client | None = None) -> str:
        """The token."""
        return self._token

    async def atoken(self, client: httpx.AsyncClient | None = None) -> str:
        """The token."""
        return self._token

    def explain(self, error_code: int | str) -> str:
        """What an OCR answer's ``error_code`` most likely means for this credential (credential diagnosis)."""
        return explain_answer(self.credential_kind, error_code)


class ClientCredentialsAuth(httpx.Auth):
    """API Key + Secret Key: a token fetched once, cached, renewed before it expires and when it is rejected.

    ``token_url`` is where the token endpoint is (default: the OCR request's origin plus the spec's path);
    ``store`` where the token is kept (default: in memory, for this object only).
    """

    requires_response_body = True
    credential_kind = CredentialKind.APP_KEYS

    def __init__(
        self,
        api_key: str,
        secret_key: str,
        *,
        token_url: str | httpx.URL | None = None,
        store: TokenStore | None = None,
    ) -> None:
        if not api_key or not secret_key:
            raise ValueError("client credentials need both an API Key and a Secret Key")
        self._api_key = api_key
        self._secret_key = secret_key
        self._token_url = httpx.URL(token_url) if token_url is not None else None
        self._store: TokenStore = store if store is not None else MemoryTokenStore()
        self._thread_lock = threading.Lock()
        self._async_locks: dict[asyncio.AbstractEventLoop, asyncio.Lock] = {}

    def __repr__(self) -> str:
        return f"ClientCredentialsAuth(api_key=***, secret_key=***, store={self._store!r})"

    @property
    def api_key(self) -> str:
        """The API Key (not secret on its own, but kept out of reprs and messages)."""
        return self._api_key

    def explain(self, error_code: int | str) -> str:
        """What an OCR answer's ``error_code`` most likely means for this credential (credential diagnosis)."""
        return explain_answer(self.credential_kind, error_code, self._api_key)

    # --- the flows ------------------------------------------------------------------------------------------

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._is_token_request(request):
            yield request
            return
        token = self._fresh()
        if token is None:
            with self._thread_lock, self._store.locked():
                token = self._fresh()
                if token is None:
                    token = self._accept(self._read((yield self._token_request(request))))
        response = yield _with_token(request, token)
        response.read()
        if rejected_token(response):
            with self._thread_lock, self._store.locked():
                self._store.discard(token)
                token = self._fresh()
                if token is None:
                    token = self._accept(self._read((yield self._token_request(request))))
            yield _with_token(request, token)

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if self._is_token_request(request):
            yield request
            return
        token = self._fresh()
        if token is None:
            async with self._async_lock():
                with self._store.locked():
                    token = self._fresh()
                    if token is None:
                        token_response = yield self._token_request(request)
                        await token_response.aread()
                        token = self._accept(token_response)
        response = yield _with_token(request, token)
        await response.aread()
        if rejected_token(response):
            async with self._async_lock():
                with self._store.locked():
                    self._store.discard(token)
                    token = self._fresh()
                    if token is None:
                        token_response = yield self._token_request(request)
                        await token_response.aread()
                        token = self._accept(token_response)
            yield _with_token(request, token)

    # --- a token outside a request --------------------------------------------------------------------------

    def token(self, client: httpx.Client) -> str:
        """A valid token (the cached one, or one fetched now through ``client``)."""
        token = self._fresh()
        if token is not None:
            return token
        with self._thread_lock, self._store.locked():
            token = self._fresh()
            if token is None:
                token = self._accept(client.send(self._token_request(None), auth=None))
            return token

    async def atoken(self, client: httpx.AsyncClient) -> str:
        """A valid token (the cached one, or one fetched now through ``client``)."""
        token = self._fresh()
        if token is not None:
            return token
        async with self._async_lock():
            with self._store.locked():
                token = self._fresh()
                if token is None:
                    token = self._accept(await client.send(self._token_request(None), auth=None))
                return token

    # --- helpers -----------------------------------------------------------------------------------------------

    def _async_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        lock = self._async_locks.get(loop)
        if lock is None:
            for stale in [known for known in self._async_locks if known.is_closed()]:
                del self._async_locks[stale]
            lock = self._async_locks[loop] = asyncio.Lock()
        return lock

    def _fresh(self) -> str | None:
        stored = self._store.load()
        if stored is None or time.time() >= stored.renew_at:
            return None
        return stored.value

    def _is_token_request(self, request: httpx.Request) -> bool:
        return request.url.path == (self._token_url.path if self._token_url is not None else get_access_token.PATH)

    def _token_request(self, request: httpx.Request | None) -> httpx.Request:
        body = TokenRequest(
            grant_type=GrantType.CLIENT_CREDENTIALS, client_id=self._api_key, client_secret=self._secret_key
        )
        kwargs = get_access_token.request_kwargs(body=body)
        if self._token_url is not None:
            url = self._token_url
        elif request is not None:
            url = request.url.copy_with(path=kwargs["url"], query=None, fragment=None)
        else:
            raise ValueError("token_url is needed to fetch a token outside a request")
        return httpx.Request(kwargs["method"].upper(), url, headers=kwargs["headers"], content=kwargs["content"])

    @staticmethod
    def _read(response: httpx.Response) -> httpx.Response:
        response.read()
        return response

    def _accept(self, response: httpx.Response) -> str:
        """Store the token of a (read) token-endpoint answer, or raise what it means."""
        token = self._token_of(response)
        lifetime = float(token.expires_in)
        stored = StoredToken.issued(token.access_token, lifetime, time.time())
        self._store.save(stored)
        return stored.value

    def _token_of(self, response: httpx.Response) -> TokenResponse:
        secrets = (self._secret_key, self._api_key)
        try:
            parsed = get_access_token.parse_response(response)
        except UnexpectedResponse:
            parsed = None
        if isinstance(parsed, TokenResponse) and _usable(parsed):
            return parsed
        data = json_object(response.content)
        if isinstance(parsed, OAuthError) or (data is not None and "error" in data):
            raw = scrub(data, secrets) if data is not None else {}
            code = str(raw.get("error", "invalid_client"))
            description = raw.get("error_description")
            message = description if isinstance(description, str) else code
            hint = explain_token_failure(code, message, self._api_key, self._secret_key)
            raise AuthenticationError(code, message, status_code=response.status_code, raw=raw, hint=hint)
        if data is not None and "error_code" in data:
            raw = scrub(data, secrets)
            message = str(raw.get("error_msg", ""))
            error_code = as_error_code(raw["error_code"])
            hint = self.explain(error_code)
            raise api_error(error_code, message, status_code=response.status_code, raw=raw, hint=hint)
        kind = "a body that is not JSON" if data is None else "no usable access_token / expires_in"
        raise InvalidResponseError(
            f"token endpoint answered HTTP {response.status_code} with {kind}",
            status_code=response.status_code,
            body_excerpt="(not shown: may echo credentials)",
        )


def _usable(token: TokenResponse) -> bool:
    try:
        lifetime = float(token.expires_in)
    except (TypeError, ValueError, OverflowError):
        return False
    return isinstance(token.access_token, str) and bool(token.access_token) and lifetime > 0 and math.isfinite(lifetime)
