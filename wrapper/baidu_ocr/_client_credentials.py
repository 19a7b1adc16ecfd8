"""``ClientCredentialsAuth``: an app's API Key + Secret Key, exchanged for an access token that rides in the
``access_token`` query parameter.

- The token is fetched by ``POST /oauth/2.0/token`` with the secret in the form body (the generated
  ``get_access_token.request_kwargs``), read with the generated ``parse_response``, and kept until
  ``REFRESH_MARGIN_SECONDS`` or a tenth of its lifetime before it expires.
- Single flight: a lock (a ``threading.Lock`` for the sync flow, an ``anyio.Lock`` for the async one) lets one
  caller fetch while the others wait and then find it cached. With a token file (``cache_file=``), a file lock
  does the same between processes, and the token outlives the process.
- An OCR answer whose ``error_code`` the spec marks ``refresh_token`` (110, 111) drops the token, if it is still
  the cached one (in memory and in the file), fetches a new one and replays the request once.
- Requests to the token endpoint itself pass through untouched.
- Failures raise the SDK's exceptions with a diagnosis; neither key appears in a message, ``repr``, ``raw`` or log,
  even when the token endpoint echoes the request back.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final

import anyio
import anyio.to_thread
import filelock
import httpx

from baidu_ocr_client.api.auth import get_access_token
from baidu_ocr_client.errors import UnexpectedResponse
from baidu_ocr_client.models import OAuthError, TokenRequest, TokenResponse
from baidu_ocr_spec import REFRESH_TOKEN_CODES

from ._auth import ACCESS_TOKEN_PARAMETER, refuse_second_mechanism
from ._credential_kinds import CredentialKind
from ._diagnosis import check_value, explain_answer, explain_token_failure, scrub
from ._errors import (
    AuthenticationError,
    ConnectionFailedError,
    InvalidResponseError,
    RequestTimeoutError,
    TransportError,
    api_error,
    as_error_code,
    as_integer,
)
from ._redact import install_log_redaction
from ._token_file import StoredToken, TokenFile

__all__ = ["REFRESH_MARGIN_SECONDS", "ClientCredentialsAuth"]

REFRESH_MARGIN_SECONDS: Final = 300.0
_OCR_PATH_MARK: Final = "/rest/2.0/"
"""Where Baidu's OCR paths begin: what comes before it is the base URL's own path (a gateway prefix)."""
_MAX_ERROR_BODY: Final = 4096
"""OCR answers longer than this are results, never an error asking for a new token: not parsed here."""
logger = logging.getLogger("baidu_ocr")

TokenFlow = Generator[httpx.Request, httpx.Response, str]


@dataclass(frozen=True)
class _Cached:
    value: str
    renew_at: float  # on the monotonic clock


def _renewal_margin(lifetime: float) -> float:
    return min(REFRESH_MARGIN_SECONDS, lifetime / 10)


def _asks_for_new_token(response: httpx.Response) -> bool:
    """Whether an OCR answer is an error whose spec ``retry`` is ``refresh_token`` (110, 111)."""
    content = response.content
    if len(content) > _MAX_ERROR_BODY or b"error_code" not in content:
        return False
    try:
        data = json.loads(content)
    except ValueError:
        return False
    return isinstance(data, dict) and as_integer(data.get("error_code")) in REFRESH_TOKEN_CODES


def _scrubbed(value: Any, secrets: tuple[str, ...]) -> Any:
    """``value`` (parsed JSON) with every secret removed from its strings."""
    if isinstance(value, str):
        return scrub(value, secrets)
    if isinstance(value, dict):
        return {scrub(str(key), secrets): _scrubbed(item, secrets) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrubbed(item, secrets) for item in value]
    return value


def _transport_failure(error: httpx.TransportError) -> TransportError:
    if isinstance(error, httpx.TimeoutException):
        return RequestTimeoutError(f"token request timed out ({type(error).__name__})")
    return ConnectionFailedError(f"token request failed: {type(error).__name__}: {error}")


class ClientCredentialsAuth(httpx.Auth):
    """An app's API Key + Secret Key: an access token fetched, cached, renewed and, when refused, replaced once.

    ``token_url``: where to fetch tokens (default: ``/oauth/2.0/token`` on the base URL of the request).
    ``cache_file``: ``True`` keeps tokens in the user cache directory, a path keeps them there, ``False`` (the
    default) keeps them in memory only. ``clock`` (monotonic) and ``wall_clock`` (epoch) are for tests.
    """

    requires_response_body = True
    credential_kind = CredentialKind.APP_KEYS

    def __init__(
        self,
        api_key: str,
        secret_key: str,
        *,
        token_url: str | None = None,
        cache_file: bool | str | os.PathLike[str] = False,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._api_key = check_value(self.credential_kind, 0, api_key)
        self._secret_key = check_value(self.credential_kind, 1, secret_key)
        self._token_url = httpx.URL(token_url) if token_url else None
        if cache_file is True:
            self._file: TokenFile | None = TokenFile()
        elif cache_file is False:
            self._file = None
        else:
            self._file = TokenFile(cache_file)
        self._clock = clock
        self._wall_clock = wall_clock
        self._cached: dict[str, _Cached] = {}
        self._thread_lock = threading.Lock()
        self._task_lock = anyio.Lock()
        install_log_redaction()

    def __repr__(self) -> str:
        where = "memory" if self._file is None else repr(str(self._file.path))
        return f"ClientCredentialsAuth(api_key=***, secret_key=***, cache={where})"

    @property
    def cache_file(self) -> TokenFile | None:
        """The token file, if tokens outlive the process."""
        return self._file

    # --- the flows -------------------------------------------------------------------------------------------

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._is_token_request(request):
            yield request
            return
        refuse_second_mechanism(request, self.credential_kind)
        url = self._token_url_for(request.url)
        for attempt in range(2):
            token = yield from self._sync_token_steps(url)
            response = yield self._with_token(request, token)
            response.read()
            if attempt or not _asks_for_new_token(response):
                return
            self._sync_forget(url, token)

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if self._is_token_request(request):
            yield request
            return
        refuse_second_mechanism(request, self.credential_kind)
        url = self._token_url_for(request.url)
        for attempt in range(2):
            steps = self._async_token_steps(url)
            try:
                step = await anext(steps)
                while isinstance(step, httpx.Request):  # the token request, then the token
                    answer = yield step
                    step = await steps.asend(answer)
            finally:
                await steps.aclose()
            response = yield self._with_token(request, step)
            await response.aread()
            if attempt or not _asks_for_new_token(response):
                return
            await self._async_forget(url, step)

    # --- a token outside a request ---------------------------------------------------------------------------

    def token(self, client: httpx.Client) -> str:
        """A valid access token for ``client``'s base URL: the cached one, or one fetched now."""
        steps = self._sync_token_steps(self._token_url_for(client.base_url.join(get_access_token.PATH)))
        failure: TransportError | None = None
        try:
            request = next(steps)
            while True:
                try:
                    response = client.send(request, auth=None)
                except httpx.TransportError as error:
                    failure = _transport_failure(error)
                    break
                request = steps.send(response)
        except StopIteration as done:
            token: str = done.value
            return token
        finally:
            steps.close()
        raise failure  # outside the handler: no __context__ holding httpx's request

    async def atoken(self, client: httpx.AsyncClient) -> str:
        """A valid access token for ``client``'s base URL: the cached one, or one fetched now."""
        steps = self._async_token_steps(self._token_url_for(client.base_url.join(get_access_token.PATH)))
        failure: TransportError | None = None
        try:
            step = await anext(steps)
            while isinstance(step, httpx.Request):
                try:
                    response = await client.send(step, auth=None)
                except httpx.TransportError as error:
                    failure = _transport_failure(error)
                    break
                step = await steps.asend(response)
        finally:
            await steps.aclose()
        if failure is not None:
            raise failure
        return step

    def explain(self, error_code: int | str) -> str:
        """What an OCR answer's ``error_code`` most likely means for this credential."""
        return explain_answer(self.credential_kind, error_code, self._api_key)

    # --- single flight ---------------------------------------------------------------------------------------

    def _sync_token_steps(self, url: httpx.URL) -> TokenFlow:
        """Yields the token request if one must be sent (and receives its answer); returns the token."""
        token = self._memory(url)
        if token is not None:
            return token
        with self._thread_lock:
            token = self._memory(url)
            if token is not None:
                return token
            with self._sync_file_lock() as file:
                token = self._from_file(url, file)
                if token is None:
                    answer = yield self._token_request(url)
                    answer.read()
                    token = self._accept(url, answer, file)
            return token

    async def _async_token_steps(self, url: httpx.URL) -> AsyncGenerator[httpx.Request | str, httpx.Response]:
        """Yields the token request if one must be sent (and receives its answer), then the token."""
        token = self._memory(url)
        if token is None:
            async with self._task_lock:
                token = self._memory(url)
                if token is None:
                    lock = await self._async_file_lock()
                    try:
                        file = self._file if lock is not None else None
                        token = self._from_file(url, file)
                        if token is None:
                            answer = yield self._token_request(url)
                            await answer.aread()
                            token = self._accept(url, answer, file)
                    finally:
                        if lock is not None:
                            lock.release()
        yield token

    def _sync_forget(self, url: httpx.URL, token: str) -> None:
        with self._thread_lock, self._sync_file_lock() as file:
            self._forget(url, token, file)

    async def _async_forget(self, url: httpx.URL, token: str) -> None:
        async with self._task_lock:
            lock = await self._async_file_lock()
            try:
                self._forget(url, token, self._file if lock is not None else None)
            finally:
                if lock is not None:
                    lock.release()

    @contextmanager
    def _sync_file_lock(self) -> Iterator[TokenFile | None]:
        """The token file, locked against other processes; ``None`` without one, or when the lock cannot be had."""
        if self._file is None:
            yield None
            return
        lock = self._file.lock()
        try:
            lock.acquire()
        except (filelock.Timeout, OSError) as error:
            self._file_unusable(error)
            yield None
            return
        try:
            yield self._file
        finally:
            lock.release()

    async def _async_file_lock(self) -> filelock.FileLock | None:
        """The acquired lock of the token file (waited for in a worker thread), or ``None``."""
        if self._file is None:
            return None
        lock = self._file.lock()
        try:
            await anyio.to_thread.run_sync(lock.acquire)
        except (filelock.Timeout, OSError) as error:
            self._file_unusable(error)
            return None
        return lock

    def _file_unusable(self, error: Exception) -> None:
        reason = "another process holds it too long" if isinstance(error, filelock.Timeout) else str(error)
        logger.warning("token file %s cannot be locked (%s): fetching a token without it", self._file, reason)

    # --- state (no I/O but the token file) -------------------------------------------------------------------

    def _memory(self, url: httpx.URL) -> str | None:
        cached = self._cached.get(str(url))
        if cached is None or self._clock() >= cached.renew_at:
            return None
        return cached.value

    def _keep(self, url: httpx.URL, stored: StoredToken) -> str:
        remaining = stored.expires_at - self._wall_clock()
        renew_at = self._clock() + remaining - _renewal_margin(stored.lifetime)
        self._cached[str(url)] = _Cached(stored.access_token, renew_at)
        return stored.access_token

    def _from_file(self, url: httpx.URL, file: TokenFile | None) -> str | None:
        """The token another process stored, while it is fresh (then also kept in memory)."""
        if file is None:
            return None
        stored = file.load(self._file_key(url))
        if stored is None or self._wall_clock() >= stored.expires_at - _renewal_margin(stored.lifetime):
            return None
        return self._keep(url, stored)

    def _accept(self, url: httpx.URL, answer: httpx.Response, file: TokenFile | None) -> str:
        """Read the token endpoint's answer; keep the token in memory and the file."""
        token = self._parse_token_answer(answer)
        lifetime = float(token.expires_in)
        stored = StoredToken(token.access_token, self._wall_clock() + lifetime, lifetime)
        if file is not None:
            try:
                file.store(self._file_key(url), stored, self._wall_clock())
            except OSError as error:
                logger.warning("token file %s cannot be written (%s): token kept in memory", file.path, error)
        return self._keep(url, stored)

    def _forget(self, url: httpx.URL, token: str, file: TokenFile | None) -> None:
        cached = self._cached.get(str(url))
        if cached is not None and cached.value == token:
            del self._cached[str(url)]
        if file is not None:
            try:
                file.drop(self._file_key(url), token)
            except OSError as error:
                logger.warning("token file %s cannot be written (%s)", file.path, error)

    def _file_key(self, url: httpx.URL) -> str:
        return TokenFile.key(str(url), self._api_key)

    # --- requests and answers --------------------------------------------------------------------------------

    def _is_token_request(self, request: httpx.Request) -> bool:
        if self._token_url is not None and request.url.copy_with(query=None) == self._token_url.copy_with(query=None):
            return True
        return request.url.path.endswith(get_access_token.PATH)

    def _token_url_for(self, url: httpx.URL) -> httpx.URL:
        """The token endpoint for a request to ``url``: ``token_url``, or the token path under the same base URL."""
        if self._token_url is not None:
            return self._token_url
        path = url.path
        prefix = path[: path.index(_OCR_PATH_MARK)] if _OCR_PATH_MARK in path else ""
        if path.endswith(get_access_token.PATH):
            prefix = path[: -len(get_access_token.PATH)]
        return url.copy_with(path=prefix + get_access_token.PATH, query=None, fragment=None)

    def _token_request(self, url: httpx.URL) -> httpx.Request:
        body = TokenRequest(client_id=self._api_key, client_secret=self._secret_key)
        kwargs = get_access_token.request_kwargs(body=body)
        return httpx.Request(kwargs["method"], url, headers=kwargs.get("headers"), content=kwargs.get("content"))

    @staticmethod
    def _with_token(request: httpx.Request, token: str) -> httpx.Request:
        request.url = request.url.copy_set_param(ACCESS_TOKEN_PARAMETER, token)
        return request

    def _parse_token_answer(self, answer: httpx.Response) -> TokenResponse:
        """The token, or the SDK's exception for the answer (secret-free, with a diagnosis)."""
        secrets = (self._secret_key, self._api_key)
        status = answer.status_code
        try:
            parsed = get_access_token.parse_response(answer)
        except (UnexpectedResponse, KeyError, TypeError, ValueError):
            parsed = None
        if isinstance(parsed, TokenResponse):
            if isinstance(parsed.access_token, str) and parsed.access_token and _positive(parsed.expires_in):
                return parsed
        elif isinstance(parsed, OAuthError):
            raw = _scrubbed(parsed.to_dict(), secrets)
            description = parsed.error_description if isinstance(parsed.error_description, str) else ""
            hint = explain_token_failure(parsed.error, description, self._api_key, self._secret_key)
            message = scrub(description or parsed.error, secrets)
            raise AuthenticationError(scrub(parsed.error, secrets), message, status_code=status, raw=raw, hint=hint)
        data = _json_object(answer.content)
        if data is not None and "error_code" in data:  # an in-band Baidu error, e.g. 6 (no permission)
            raw = _scrubbed(data, secrets)
            code = as_error_code(raw["error_code"])
            message = str(raw.get("error_msg", ""))
            hint = explain_answer(self.credential_kind, code, self._api_key)
            raise api_error(code, message, log_id=as_integer(raw.get("log_id")), status_code=status, raw=raw, hint=hint)
        raise InvalidResponseError(
            f"token endpoint answered HTTP {status} without a usable access_token / expires_in",
            status_code=status,
            body_excerpt="(not shown: may echo credentials)",
        )


def _positive(value: object) -> bool:
    try:
        return float(value) > 0  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _json_object(content: bytes) -> dict[str, Any] | None:
    try:
        data = json.loads(content)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None
