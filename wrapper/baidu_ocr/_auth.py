"""Auth objects with no token: IAM AK/SK signing (bce-auth-v1) and a Baidu Cloud API key sent as a bearer token.
Each is an ``httpx.Auth``, so it works on the generated client as well (``baidu_ocr_client.Client(base_url=…,
auth=…)``). The access-token ones (``ClientCredentialsAuth``, ``AccessTokenAuth``) live in ``_token``.

Baidu accepts exactly one mechanism per request: an auth object refuses a request that already carries another.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator

import httpx

from baidu_ocr_formats.bce_auth import (
    AUTH_VERSION,
    DATE_HEADER,
    DEFAULT_EXPIRATION_SECONDS,
    authorization,
    format_timestamp,
)

from ._credential_kinds import CredentialKind
from ._diagnosis import check_value, explain_answer
from ._errors import ConfigurationError

__all__ = [
    "ACCESS_TOKEN_PARAMETER",
    "BceV1Auth",
    "BearerAuth",
    "refuse_second_mechanism",
]

ACCESS_TOKEN_PARAMETER = "access_token"
_SIGNED_IF_PRESENT = ("content-type",)
"""Signed besides ``host`` and ``x-bce-date`` when the request has them."""


def refuse_second_mechanism(request: httpx.Request, mine: CredentialKind, own_header_prefix: str = "") -> None:
    """:class:`ConfigurationError` when ``request`` already carries a credential of another mechanism (an
    ``Authorization`` header starting with ``own_header_prefix`` is this auth's own, from an earlier send)."""
    others = []
    if mine is not CredentialKind.ACCESS_TOKEN and ACCESS_TOKEN_PARAMETER in request.url.params:
        others.append("an access_token query parameter")
    header = request.headers.get("authorization")
    if header is not None and not (own_header_prefix and header.startswith(own_header_prefix)):
        others.append("an Authorization header")
    if others:
        raise ConfigurationError(
            f"the request already carries {' and '.join(others)}, and {mine.info.auth_class} would add its own: "
            "Baidu accepts exactly one credential per request (remove the other one, or the auth object)"
        )


class BearerAuth(httpx.Auth):
    """A Baidu Cloud API key (``bce-v3/ALTAK-…/…``) sent as ``Authorization: Bearer …``."""

    credential_kind = CredentialKind.BEARER_KEY

    def __init__(self, api_key: str) -> None:
        self._api_key = check_value(self.credential_kind, 0, api_key)
        self._header = "Bearer " + self._api_key

    def __repr__(self) -> str:
        return "BearerAuth(api_key=***)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        refuse_second_mechanism(request, self.credential_kind, self._header)
        request.headers["Authorization"] = self._header
        yield request

    def explain(self, error_code: int | str) -> str:
        """What an OCR answer's ``error_code`` most likely means for this credential."""
        return explain_answer(self.credential_kind, error_code, self._api_key)


class BceV1Auth(httpx.Auth):
    """IAM AK/SK request signing (bce-auth-v1): ``x-bce-date`` and an ``Authorization`` header, computed afresh
    for every attempt. Signs ``host``, ``x-bce-date`` and, when present, ``content-type``.

    ``expiration_seconds``: how long a signature stays valid (Baidu's default 1800); ``clock``: epoch seconds.
    """

    credential_kind = CredentialKind.IAM_KEYS

    def __init__(
        self,
        access_key_id: str,
        secret_access_key: str,
        *,
        expiration_seconds: int = DEFAULT_EXPIRATION_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._access_key_id = check_value(self.credential_kind, 0, access_key_id)
        self._secret_access_key = check_value(self.credential_kind, 1, secret_access_key)
        if isinstance(expiration_seconds, bool) or not isinstance(expiration_seconds, int) or expiration_seconds <= 0:
            raise ConfigurationError(f"expiration_seconds must be a positive whole number, not {expiration_seconds!r}")
        self.expiration_seconds = expiration_seconds
        self._clock = clock

    def __repr__(self) -> str:
        return f"BceV1Auth(access_key_id=***, secret_access_key=***, expiration_seconds={self.expiration_seconds})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        refuse_second_mechanism(request, self.credential_kind, f"{AUTH_VERSION}/{self._access_key_id}/")
        self.sign(request)
        yield request

    def sign(self, request: httpx.Request) -> None:
        """Set ``x-bce-date`` and ``Authorization`` on ``request`` (replacing an earlier signature)."""
        request.headers.pop("Authorization", None)
        timestamp = format_timestamp(self._clock())
        request.headers[DATE_HEADER] = timestamp
        names = ["host", DATE_HEADER, *(name for name in _SIGNED_IF_PRESENT if name in request.headers)]
        request.headers["Authorization"] = authorization(
            self._access_key_id,
            self._secret_access_key,
            timestamp=timestamp,
            expiration_seconds=self.expiration_seconds,
            method=request.method,
            path=request.url.path,
            query=request.url.params.multi_items(),
            signed_headers=[(name, request.headers[name]) for name in names],
        )

    def explain(self, error_code: int | str) -> str:
        """What an OCR answer's ``error_code`` most likely means for this credential."""
        return explain_answer(self.credential_kind, error_code, self._access_key_id)
