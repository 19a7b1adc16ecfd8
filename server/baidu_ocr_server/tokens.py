"""Stateless, signed access tokens in Baidu's shape.

A token looks like Baidu's ``24.<32 hex>.<expires_in>.<expiry epoch>.<nonce>-<client id>``. The 32 hex digits
are the first 128 bits of HMAC-SHA256 (keyed with the server's signing key) over the version, client id, a
digest of the app's current secret, ``expires_in``, the expiry and the nonce. Any replica holding the same
signing key and app list verifies a token without shared state; changing an app's secret revokes its tokens.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from baidu_ocr_models.models import TokenResponse
from baidu_ocr_spec import ErrorCode

from .config import AppCredentials

__all__ = ["SCOPE", "TokenError", "TokenIssuer", "TokenStatus", "random_signing_key"]

SCOPE = "public brain_all_scope vis-ocr_ocr brain_ocr_scope brain_ocr_general_basic brain_ocr_accurate_basic"
"""Space-separated scopes, like the real service's (the SDK only looks for ``brain_all_scope``)."""

_VERSION = "24"
_REFRESH_VERSION = "25"
Clock = Callable[[], float]


def random_signing_key() -> str:
    """A fresh random signing key (256 bits, hex)."""
    return secrets.token_hex(32)


class TokenStatus(Enum):
    """Why a token was refused."""

    INVALID = ErrorCode.ACCESS_TOKEN_INVALID
    EXPIRED = ErrorCode.ACCESS_TOKEN_EXPIRED


class TokenError(Exception):
    """A refused token; ``status.value`` is the Baidu error code (110 or 111)."""

    def __init__(self, status: TokenStatus) -> None:
        super().__init__(status.name.lower())
        self.status = status


@dataclass(frozen=True)
class TokenIssuer:
    """Issues and verifies tokens for the apps ``find_app`` knows (e.g. :meth:`ServiceConfig.app`)."""

    signing_key: bytes
    find_app: Callable[[str], AppCredentials | None]
    lifetime: int = 2592000
    clock: Clock = time.time

    def _sign(self, version: str, app: AppCredentials, expires_in: int, expiry: int, nonce: str) -> str:
        secret_digest = hashlib.sha256(app.client_secret.encode()).hexdigest()
        message = "\n".join((version, app.client_id, secret_digest, str(expires_in), str(expiry), nonce))
        return hmac.new(self.signing_key, message.encode(), hashlib.sha256).hexdigest()[:32]

    def _token(self, version: str, app: AppCredentials, now: int) -> str:
        expiry = now + self.lifetime
        nonce = str(secrets.randbelow(900000) + 100000)
        signature = self._sign(version, app, self.lifetime, expiry, nonce)
        return f"{version}.{signature}.{self.lifetime}.{expiry}.{nonce}-{app.client_id}"

    def issue(self, app: AppCredentials) -> TokenResponse:
        """A token response for ``app`` (one that ``find_app`` knows)."""
        now = int(self.clock())
        return TokenResponse(
            access_token=self._token(_VERSION, app, now),
            expires_in=self.lifetime,
            scope=SCOPE,
            session_key=secrets.token_hex(32),
            session_secret=secrets.token_hex(16),
            refresh_token=self._token(_REFRESH_VERSION, app, now),
        )

    def verify(self, token: str) -> AppCredentials:
        """The app a valid access token belongs to; raises :class:`TokenError` (110 invalid, 111 expired)."""
        parts = token.split(".", 4)
        if len(parts) != 5 or parts[0] != _VERSION:
            raise TokenError(TokenStatus.INVALID)
        _, signature, expires_in_text, expiry_text, tail = parts
        nonce, sep, client_id = tail.partition("-")
        if not sep or not all(_is_number(text) for text in (expires_in_text, expiry_text, nonce)):
            raise TokenError(TokenStatus.INVALID)
        if len(expires_in_text) > 12 or len(expiry_text) > 12:
            raise TokenError(TokenStatus.INVALID)
        app = self.find_app(client_id)
        if app is None:
            raise TokenError(TokenStatus.INVALID)
        expected = self._sign(_VERSION, app, int(expires_in_text), int(expiry_text), nonce)
        if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
            raise TokenError(TokenStatus.INVALID)
        if int(expiry_text) <= self.clock():
            raise TokenError(TokenStatus.EXPIRED)
        return app


def _is_number(text: str) -> bool:
    """ASCII digits only (``str.isdigit`` also accepts characters such as ``²`` that ``int`` rejects)."""
    return text.isascii() and text.isdigit()
