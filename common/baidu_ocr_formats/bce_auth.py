"""bce-auth-v1, Baidu Cloud's IAM request signing: the canonical request and the ``Authorization`` header.

Shared by the SDK (``BceV1Auth`` signs) and the local service (it verifies), so that both compute one algorithm;
a conformance vector pins it. The steps, as Baidu documents them:

- ``authStringPrefix`` = ``bce-auth-v1/{AK}/{timestamp}/{expirationPeriodInSeconds}``, ``timestamp`` in UTC as
  ``YYYY-MM-DDTHH:MM:SSZ`` (also sent as the ``x-bce-date`` header);
- ``signingKey`` = hex HMAC-SHA256(key=SK, msg=authStringPrefix); that hex text keys the next HMAC;
- ``CanonicalRequest`` = method, canonical URI, canonical query string, canonical headers, joined by ``\\n``;
- ``signature`` = hex HMAC-SHA256(key=signingKey, msg=CanonicalRequest);
- header = ``{authStringPrefix}/{signed header names joined by ';'}/{signature}``.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

__all__ = [
    "AUTH_VERSION",
    "DATE_HEADER",
    "DEFAULT_EXPIRATION_SECONDS",
    "REQUIRED_SIGNED_HEADERS",
    "AuthorizationHeader",
    "authorization",
    "canonical_request",
    "format_timestamp",
    "parse_timestamp",
    "signature",
    "uri_encode",
]

AUTH_VERSION = "bce-auth-v1"
DATE_HEADER = "x-bce-date"
DEFAULT_EXPIRATION_SECONDS = 1800
REQUIRED_SIGNED_HEADERS = ("host", DATE_HEADER)
"""Headers every signature must cover."""
_TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_UNRESERVED = "-._~"  # with ASCII letters and digits, which quote() never escapes


def uri_encode(text: str, *, keep_slash: bool = False) -> str:
    """Percent-encode the UTF-8 bytes of ``text`` except ``A-Z a-z 0-9 - . _ ~`` (and ``/`` for a path), in
    upper-case hex."""
    return quote(text, safe=_UNRESERVED + ("/" if keep_slash else ""))


def format_timestamp(epoch_seconds: float) -> str:
    """``epoch_seconds`` as bce-auth-v1's UTC timestamp, e.g. ``2024-01-02T03:04:05Z``."""
    return time.strftime(_TIMESTAMP_FORMAT, time.gmtime(int(epoch_seconds)))


def parse_timestamp(text: str) -> float:
    """Epoch seconds of a bce-auth-v1 timestamp; :class:`ValueError` when it is not one."""
    return datetime.strptime(text, _TIMESTAMP_FORMAT).replace(tzinfo=UTC).timestamp()


def canonical_request(
    method: str, path: str, query: Iterable[tuple[str, str]], signed_headers: Iterable[tuple[str, str]]
) -> str:
    """The text that is signed. ``path`` and ``query`` are decoded (as a server sees them); ``authorization``
    in the query is left out; ``signed_headers`` are the (name, value) pairs the signature covers."""
    query_text = "&".join(
        sorted(f"{uri_encode(key)}={uri_encode(value)}" for key, value in query if key.lower() != "authorization")
    )
    header_text = "\n".join(
        sorted(f"{uri_encode(name.strip().lower())}:{uri_encode(value.strip())}" for name, value in signed_headers)
    )
    return "\n".join((method.upper(), uri_encode(path, keep_slash=True), query_text, header_text))


def signature(
    access_key_id: str,
    secret_access_key: str,
    *,
    timestamp: str,
    expiration_seconds: int,
    method: str,
    path: str,
    query: Iterable[tuple[str, str]],
    signed_headers: Iterable[tuple[str, str]],
) -> str:
    """The hex signature of this request (the last part of the ``Authorization`` header)."""
    prefix = _prefix(access_key_id, timestamp, expiration_seconds)
    signing_key = hmac.new(secret_access_key.encode(), prefix.encode(), hashlib.sha256).hexdigest()
    text = canonical_request(method, path, query, signed_headers)
    return hmac.new(signing_key.encode(), text.encode(), hashlib.sha256).hexdigest()


def authorization(
    access_key_id: str,
    secret_access_key: str,
    *,
    timestamp: str,
    expiration_seconds: int,
    method: str,
    path: str,
    query: Iterable[tuple[str, str]],
    signed_headers: Iterable[tuple[str, str]],
) -> str:
    """The ``Authorization`` header value signing this request."""
    headers = list(signed_headers)
    hex_signature = signature(
        access_key_id,
        secret_access_key,
        timestamp=timestamp,
        expiration_seconds=expiration_seconds,
        method=method,
        path=path,
        query=query,
        signed_headers=headers,
    )
    names = ";".join(sorted(name.strip().lower() for name, _ in headers))
    return f"{_prefix(access_key_id, timestamp, expiration_seconds)}/{names}/{hex_signature}"


def _prefix(access_key_id: str, timestamp: str, expiration_seconds: int) -> str:
    return f"{AUTH_VERSION}/{access_key_id}/{timestamp}/{expiration_seconds}"


@dataclass(frozen=True)
class AuthorizationHeader:
    """A parsed bce-auth-v1 ``Authorization`` header."""

    access_key_id: str
    timestamp: str
    expiration_seconds: int
    signed_headers: tuple[str, ...]
    signature: str

    @classmethod
    def parse(cls, value: str) -> AuthorizationHeader:
        """Split the header; :class:`ValueError` when it is not a well-formed bce-auth-v1 header."""
        parts = value.strip().split("/")
        if len(parts) != 6 or parts[0] != AUTH_VERSION:
            raise ValueError("not a bce-auth-v1 authorization")
        _, access_key_id, timestamp, expiration, names, signature = parts
        if not access_key_id or not signature:
            raise ValueError("empty access key id or signature")
        if not (expiration.isascii() and expiration.isdigit()) or len(expiration) > 9 or int(expiration) <= 0:
            raise ValueError("bad expiration period")
        parse_timestamp(timestamp)
        signed = tuple(name for name in names.split(";") if name)
        if not signed:
            raise ValueError("no signed headers")
        return cls(access_key_id, timestamp, int(expiration), signed, signature)
