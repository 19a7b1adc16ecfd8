"""Token issuing and checking: the pure issuer and the HTTP token flow."""

from __future__ import annotations

import re

import httpx
import pytest
from servicekit import ACCURATE, DEMO_ID, DEMO_SECRET, GENERAL, TOKEN, Api, FakeEngine, b64, make_config, png

from baidu_ocr_models.models import OAuthError, TokenResponse
from baidu_ocr_server.app import create_app
from baidu_ocr_server.config import AppCredentials, ServiceConfig
from baidu_ocr_server.tokens import TokenError, TokenIssuer, TokenStatus

APP = AppCredentials("app-1", "secret-1")
OTHER = AppCredentials("app-2", "secret-2")
TOKEN_SHAPE = re.compile(r"^24\.[0-9a-f]{32}\.2592000\.\d{10}\.\d{6}-app-1$")


class Clock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def issuer(
    key: bytes = b"key", clock: Clock | None = None, apps: tuple[AppCredentials, ...] = (APP, OTHER)
) -> TokenIssuer:
    return TokenIssuer(key, ServiceConfig(apps=apps).app, 2592000, clock or Clock())


def test_issued_token_verifies_and_looks_like_baidus() -> None:
    response = issuer().issue(APP)
    assert TOKEN_SHAPE.match(response.access_token)
    assert response.expires_in == 2592000
    assert response.scope is not None
    assert "brain_all_scope" in response.scope.split()
    assert response.refresh_token is not None
    assert response.refresh_token.startswith("25.")
    assert issuer().verify(response.access_token) == APP


def test_expiry_is_in_the_token() -> None:
    clock = Clock()
    token = issuer(clock=clock).issue(APP).access_token
    assert int(token.split(".")[3]) == int(clock.now) + 2592000


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t.replace("-app-1", "-app-2"),  # someone else's app
        lambda t: t.replace("-app-1", "-nobody"),  # unknown app
        lambda t: t[:3] + ("0" if t[3] != "0" else "1") + t[4:],  # signature
        lambda t: t.replace(".2592000.", ".9999999."),  # lifetime
        lambda t: "25" + t[2:],  # a refresh token is not an access token
        lambda t: t.rsplit(".", 1)[0],  # truncated
        lambda _t: "",
        lambda _t: "garbage",
        lambda _t: "24.a.b.c.d-e",
        lambda t: t.replace(t.split(".")[1], "é" * 32),  # non-ASCII signature
        lambda t: t.replace(".2592000.", ".²592000."),  # a digit int() does not read
    ],
)
def test_tampered_tokens_are_invalid(mangle: object) -> None:
    token = issuer().issue(APP).access_token
    with pytest.raises(TokenError) as caught:
        issuer().verify(mangle(token))  # type: ignore[operator]
    assert caught.value.status is TokenStatus.INVALID


def test_refresh_token_is_not_accepted() -> None:
    response = issuer().issue(APP)
    assert response.refresh_token is not None
    with pytest.raises(TokenError):
        issuer().verify(response.refresh_token)


def test_token_signed_with_another_key_is_invalid() -> None:
    token = issuer(b"key-a").issue(APP).access_token
    with pytest.raises(TokenError) as caught:
        issuer(b"key-b").verify(token)
    assert caught.value.status is TokenStatus.INVALID


def test_replicas_sharing_the_key_accept_each_others_tokens() -> None:
    token = issuer(b"shared").issue(APP).access_token
    assert issuer(b"shared").verify(token) == APP


def test_changing_the_secret_revokes_tokens() -> None:
    token = issuer().issue(APP).access_token
    rotated = AppCredentials("app-1", "new-secret")
    with pytest.raises(TokenError):
        issuer(apps=(rotated,)).verify(token)


def test_expired_token() -> None:
    clock = Clock()
    tokens = issuer(clock=clock)
    token = tokens.issue(APP).access_token
    clock.now += 2592000 - 1
    assert tokens.verify(token) == APP
    clock.now += 1
    with pytest.raises(TokenError) as caught:
        tokens.verify(token)
    assert caught.value.status is TokenStatus.EXPIRED


# --- over HTTP ---------------------------------------------------------------------------------------------------


def _token_request(api: Api, **params: str) -> httpx.Response:
    return api.http.post(TOKEN, data=params)


def test_token_endpoint_success(api: Api) -> None:
    response = _token_request(api, grant_type="client_credentials", client_id=DEMO_ID, client_secret=DEMO_SECRET)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = TokenResponse.model_validate(response.json())
    assert body.expires_in == 2592000
    assert body.scope is not None
    assert "brain_all_scope" in body.scope
    assert body.session_key
    assert body.session_secret
    assert body.refresh_token
    assert body.access_token.endswith(f"-{DEMO_ID}")


def test_token_endpoint_accepts_query_parameters_like_the_official_sdk(api: Api) -> None:
    params = {"grant_type": "client_credentials", "client_id": DEMO_ID, "client_secret": DEMO_SECRET}
    assert api.http.post(TOKEN, params=params).status_code == 200
    assert api.http.get(TOKEN, params=params).status_code == 200


def test_wrong_secret_is_401(api: Api) -> None:
    response = _token_request(api, grant_type="client_credentials", client_id=DEMO_ID, client_secret="wrong")
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_client", "error_description": "Client authentication failed"}


def test_unknown_client_is_401(api: Api) -> None:
    response = _token_request(api, grant_type="client_credentials", client_id="nobody", client_secret="x")
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_client", "error_description": "unknown client id"}


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"grant_type": "client_credentials", "client_id": DEMO_ID},
        {"grant_type": "client_credentials", "client_secret": DEMO_SECRET},
        {"client_id": DEMO_ID, "client_secret": DEMO_SECRET},
        {"grant_type": "client_credentials", "client_id": "", "client_secret": DEMO_SECRET},
    ],
)
def test_missing_parameters_are_400(api: Api, params: dict[str, str]) -> None:
    response = _token_request(api, **params)
    assert response.status_code == 400
    body = OAuthError.model_validate(response.json())
    assert body.error == "invalid_request"


def test_wrong_grant_type_is_400(api: Api) -> None:
    response = _token_request(api, grant_type="password", client_id=DEMO_ID, client_secret=DEMO_SECRET)
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


@pytest.mark.parametrize("path", [GENERAL, ACCURATE])
def test_missing_token_is_110(api: Api, path: str) -> None:
    response = api.http.post(path, data={"image": b64(png())})
    assert response.status_code == 200
    body = response.json()
    assert body["error_code"] == 110
    assert body["error_msg"] == "Access token invalid or no longer valid"
    assert isinstance(body["log_id"], int)


def test_token_signed_by_another_key_is_110(api: Api) -> None:
    foreign = TokenIssuer(b"another-key", make_config().app).issue(make_config().apps[0]).access_token
    assert api.ocr(token=foreign, image=b64(png()))["error_code"] == 110
    assert api.ocr(token=api.token(), image=b64(png()))["words_result_num"] == 3


@pytest.mark.anyio
async def test_expired_token_is_111_over_http() -> None:
    clock = Clock()
    app = create_app(make_config(), FakeEngine(), clock=clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        response = await client.post(
            TOKEN, data={"grant_type": "client_credentials", "client_id": DEMO_ID, "client_secret": DEMO_SECRET}
        )
        token = response.json()["access_token"]
        form = {"image": b64(png())}
        ok = await client.post(GENERAL, params={"access_token": token}, data=form)
        assert ok.json()["words_result_num"] == 3
        clock.now += 2592000
        expired = await client.post(GENERAL, params={"access_token": token}, data=form)
        assert expired.json()["error_code"] == 111
        assert expired.json()["error_msg"] == "Access token expired"
