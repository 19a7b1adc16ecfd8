"""Access tokens: the request that fetches one (secret in the body, never the URL) and a cache that renews it
shortly before it expires. The cache holds no lock; the sync and async clients each guard it with their own so
that many concurrent calls fetch one token (single flight)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass

from baidu_ocr_client.models import OAuthError, TokenResponse

from ._encoding import encode_form
from ._errors import AuthenticationError, InvalidResponseError, api_error, as_error_code

__all__ = ["TOKEN_PATH", "TokenCache", "parse_token_response", "token_request_body"]

TOKEN_PATH = "/oauth/2.0/token"
REFRESH_MARGIN_SECONDS = 300.0


def token_request_body(api_key: str, secret_key: str) -> bytes:
    """The form body of the client-credentials grant."""
    fields = [("grant_type", "client_credentials"), ("client_id", api_key), ("client_secret", secret_key)]
    return encode_form((), fields)


def parse_token_response(status_code: int, content: bytes) -> TokenResponse:
    """The token, or :class:`AuthenticationError` with Baidu's own description of what is wrong.

    Nothing of the body is quoted in errors: a misbehaving proxy could echo the request, secret included.
    """
    try:
        data = json.loads(content)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise InvalidResponseError(
            f"token endpoint answered HTTP {status_code} with a body that is not JSON",
            status_code=status_code,
            body_excerpt="(not shown: may echo credentials)",
        )
    if "error" in data:
        error = OAuthError.from_dict(data)
        description = error.error_description if isinstance(error.error_description, str) else error.error
        raise AuthenticationError(error.error, description, status_code=status_code, raw=data)
    if "error_code" in data:
        code = as_error_code(data["error_code"])
        raise api_error(code, str(data.get("error_msg", "")), status_code=status_code, raw=data)
    try:
        token = TokenResponse.from_dict(data)
        if not isinstance(token.access_token, str) or not token.access_token or int(token.expires_in) <= 0:
            raise ValueError("access_token / expires_in")
    except (KeyError, TypeError, ValueError) as err:
        raise InvalidResponseError(
            f"token endpoint answered HTTP {status_code} without a usable access_token / expires_in",
            status_code=status_code,
            body_excerpt="(not shown: may hold credentials)",
        ) from err
    return token


@dataclass
class _Entry:
    value: str
    renew_at: float


class TokenCache:
    """The current token and when to renew it (``REFRESH_MARGIN_SECONDS`` or a tenth of its life before expiry)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._entry: _Entry | None = None

    def __repr__(self) -> str:
        return f"TokenCache(cached={self._entry is not None})"

    def current(self) -> str | None:
        """The cached token if it is still fresh."""
        entry = self._entry
        if entry is None or self._clock() >= entry.renew_at:
            return None
        return entry.value

    def store(self, token: TokenResponse) -> str:
        """Cache a newly fetched token and return its value."""
        lifetime = float(token.expires_in)
        margin = min(REFRESH_MARGIN_SECONDS, lifetime / 10)
        self._entry = _Entry(token.access_token, self._clock() + lifetime - margin)
        return token.access_token

    def invalidate(self, value: str) -> None:
        """Forget ``value`` if it is still the cached token (another caller may have renewed it already)."""
        if self._entry is not None and self._entry.value == value:
            self._entry = None
