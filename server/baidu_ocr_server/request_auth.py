"""Who is calling: the one credential of an OCR request, verified.

Baidu accepts exactly one mechanism per request:

- ``access_token`` query parameter: a token of :mod:`.tokens` (110 invalid, 111 expired);
- ``Authorization: bce-auth-v1/…``: IAM AK/SK signing, verified exactly (the signature recomputed over the signed
  headers, which must include ``host`` and ``x-bce-date``; ``x-bce-date`` equal to the signed timestamp and
  within its expiration period — at most ``MAX_EXPIRATION_SECONDS`` — allowing ``CLOCK_SKEW_SECONDS`` either way);
- ``Authorization: Bearer bce-v3/…``: a configured Baidu Cloud API key.

Any failure of the two IAM mechanisms answers 14 "IAM Certification failed", as Baidu does: a bearer key is an IAM
credential too, and 110/111 would wrongly tell a client to fetch a new access token. A request carrying an
``access_token`` and an ``Authorization`` header answers 100 "Invalid parameter"; one carrying neither, 110.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from starlette.requests import Request

from baidu_ocr_formats.bce_auth import (
    AUTH_VERSION,
    DATE_HEADER,
    REQUIRED_SIGNED_HEADERS,
    AuthorizationHeader,
    parse_timestamp,
    signature,
)
from baidu_ocr_spec import ErrorCode

from .config import AppCredentials
from .credentials import BearerKey, IamKeyPair
from .responses import ApiError
from .tokens import TokenError, TokenIssuer

__all__ = ["CLOCK_SKEW_SECONDS", "Caller", "RequestAuthenticator"]

CLOCK_SKEW_SECONDS = 300
"""How far a signer's clock may be off ours, either way."""
MAX_EXPIRATION_SECONDS = 7 * 24 * 3600
"""The longest validity a signature may claim (Baidu's SDKs use 1800 s)."""
IAM_CERTIFICATION_FAILED = ErrorCode.IAM_CERTIFICATION_FAILED
_BEARER_SCHEME = "bearer "


@dataclass(frozen=True)
class Caller:
    """The verified caller: its id for logs and limits (an app's client id, an IAM access key id, a bearer key's
    public id — never a secret) and its limits (``None``: the service's defaults)."""

    client_id: str
    qps: float | None = None
    daily_limit: int | None = None

    @classmethod
    def of_app(cls, app: AppCredentials) -> Caller:
        return cls(app.client_id, app.qps, app.daily_limit)


class RequestAuthenticator:
    """Verifies the credential of an OCR request against the token issuer and the configured keys."""

    def __init__(
        self,
        issuer: TokenIssuer,
        iam_keys: Iterable[IamKeyPair],
        bearer_keys: Iterable[BearerKey],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._issuer = issuer
        self._iam_keys = {pair.access_key_id: pair for pair in iam_keys}
        self._bearer_keys = tuple(bearer_keys)
        self._clock = clock

    def authenticate(self, request: Request) -> Caller:
        """The caller of ``request``, or :class:`ApiError` (100 two mechanisms, 110/111 token, 14 IAM)."""
        token = request.query_params.get("access_token")
        header = request.headers.get("authorization")
        if token is not None and header is not None:
            raise ApiError(ErrorCode.INVALID_PARAMETER, "both an access_token and an Authorization header")
        if header is None:
            try:
                return Caller.of_app(self._issuer.verify(token or ""))
            except TokenError as exc:
                raise ApiError(exc.status.value) from None
        if header[: len(_BEARER_SCHEME)].lower() == _BEARER_SCHEME:
            return self._bearer(header[len(_BEARER_SCHEME) :].strip())
        if header.lstrip().startswith(AUTH_VERSION + "/"):
            return self._signed(request, header)
        raise ApiError(IAM_CERTIFICATION_FAILED, "unknown Authorization scheme")

    def _bearer(self, given: str) -> Caller:
        found = None
        for bearer in self._bearer_keys:  # every key compared, in constant time
            if hmac.compare_digest(bearer.key.encode(), given.encode("utf-8", "replace")):
                found = bearer
        if found is None:
            raise ApiError(IAM_CERTIFICATION_FAILED, "unknown bearer key")
        return Caller(found.key_id)

    def _signed(self, request: Request, header: str) -> Caller:
        try:
            auth = AuthorizationHeader.parse(header)
            signed_at = parse_timestamp(auth.timestamp)
        except ValueError as exc:
            raise ApiError(IAM_CERTIFICATION_FAILED, f"malformed bce-auth-v1: {exc}") from None
        pair = self._iam_keys.get(auth.access_key_id)
        if pair is None:
            raise ApiError(IAM_CERTIFICATION_FAILED, "unknown access key id")
        if auth.expiration_seconds > MAX_EXPIRATION_SECONDS:
            raise ApiError(IAM_CERTIFICATION_FAILED, f"expiration over {MAX_EXPIRATION_SECONDS} s")
        missing = [name for name in REQUIRED_SIGNED_HEADERS if name not in auth.signed_headers]
        if missing:
            raise ApiError(IAM_CERTIFICATION_FAILED, f"not signed: {', '.join(missing)}")
        if request.headers.get(DATE_HEADER) != auth.timestamp:
            raise ApiError(IAM_CERTIFICATION_FAILED, f"{DATE_HEADER} differs from the signed timestamp")
        now = self._clock()
        if signed_at > now + CLOCK_SKEW_SECONDS:
            raise ApiError(IAM_CERTIFICATION_FAILED, "signed in the future (clock skew)")
        if now > signed_at + auth.expiration_seconds + CLOCK_SKEW_SECONDS:
            raise ApiError(IAM_CERTIFICATION_FAILED, "signature expired")
        values = [(name, request.headers.get(name)) for name in auth.signed_headers]
        absent = [name for name, value in values if value is None]
        if absent:
            raise ApiError(IAM_CERTIFICATION_FAILED, f"signed header missing: {', '.join(absent)}")
        expected = signature(
            pair.access_key_id,
            pair.secret_access_key,
            timestamp=auth.timestamp,
            expiration_seconds=auth.expiration_seconds,
            method=request.method,
            path=request.url.path,
            query=request.query_params.multi_items(),
            signed_headers=[(name, value or "") for name, value in values],
        )
        if not hmac.compare_digest(expected.encode(), auth.signature.encode("utf-8", "replace")):
            raise ApiError(IAM_CERTIFICATION_FAILED, "signature mismatch")
        return Caller(pair.access_key_id)
