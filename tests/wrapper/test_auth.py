"""BceV1Auth and BearerAuth: the bce-auth-v1 conformance vector, signing per attempt, one mechanism per request, and
acceptance by the local service over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from baidu_fakes import GENERAL_PATH, TOKEN_PATH, image_bytes, success
from blank_service import blank_service
from responder import Answer, Responder

from baidu_ocr import (
    OCR,
    AccessTokenAuth,
    AuthenticationError,
    ClientCredentialsAuth,
    ConfigurationError,
    PermissionDeniedError,
)
from baidu_ocr._auth import BceV1Auth, BearerAuth
from baidu_ocr_client import Client
from baidu_ocr_client.api.auth import get_access_token
from baidu_ocr_client.api.ocr import general_basic
from baidu_ocr_client.models import GeneralBasicRequest, GrantType, OcrResult, TokenRequest, TokenResponse
from baidu_ocr_formats.bce_auth import authorization, canonical_request, format_timestamp, parse_timestamp, uri_encode
from baidu_ocr_server.credentials import DEMO_BEARER_KEY, DEMO_IAM_KEY
from baidu_ocr_server.embedded import LocalService

VECTOR = (
    "bce-auth-v1/myak/2024-01-02T03:04:05Z/1800/host;x-bce-date/"
    "bdd1c0ee696f36210499ceb42f06dfef571113d2af1c69e6729dd2f3ed285780"
)
VECTOR_TIME = parse_timestamp("2024-01-02T03:04:05Z")
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DEMO_SECRET = "local-secret-key"
IAM_SHAPED = "5e2bc7a8d2de4b4f8b5d1b8d6a9e7c3f"
ECHOED_ID, ECHOED_SECRET = "echoed-api-key-77", "echoed-secret-88"


@pytest.fixture(scope="module")
def service() -> Iterator[LocalService]:
    with blank_service() as running:
        yield running


def ocr_body() -> bytes:
    return urlencode({"image": base64.b64encode(image_bytes()).decode()}).encode()


def test_conformance_vector() -> None:
    header = authorization(
        "myak",
        "mysk",
        timestamp="2024-01-02T03:04:05Z",
        expiration_seconds=1800,
        method="POST",
        path="/rest/2.0/ocr/v1/general_basic",
        query=[("aipSdk", "python"), ("aipVersion", "4.15.13")],
        signed_headers=[("host", "aip.baidubce.com"), ("x-bce-date", "2024-01-02T03:04:05Z")],
    )
    assert header == VECTOR


def test_conformance_vector_through_the_auth_object() -> None:
    request = httpx.Request(
        "POST", "https://aip.baidubce.com/rest/2.0/ocr/v1/general_basic?aipSdk=python&aipVersion=4.15.13"
    )
    flow = BceV1Auth("myak", "mysk", clock=lambda: VECTOR_TIME).auth_flow(request)
    signed = next(flow)
    assert signed.headers["x-bce-date"] == "2024-01-02T03:04:05Z"
    assert signed.headers["Authorization"] == VECTOR


def test_uri_encode_and_canonical_request() -> None:
    assert uri_encode("a b/ü~*") == "a%20b%2F%C3%BC~%2A"
    assert uri_encode("/a b/c", keep_slash=True) == "/a%20b/c"
    text = canonical_request("post", "/p", [("b", "2"), ("a", "1 2"), ("authorization", "x")], [("Host", " h ")])
    assert text == "POST\n/p\na=1%202&b=2\nhost:h"
    assert format_timestamp(VECTOR_TIME) == "2024-01-02T03:04:05Z"


def test_content_type_is_signed_when_present() -> None:
    request = httpx.Request("POST", "https://aip.baidubce.com/p", headers=FORM, content=b"a=1")
    signed = next(BceV1Auth("ak", "sk", clock=lambda: VECTOR_TIME).auth_flow(request))
    assert "/content-type;host;x-bce-date/" in signed.headers["Authorization"]


def test_every_attempt_is_signed_afresh(responder: Responder) -> None:
    responder.route(GENERAL_PATH, success(["x"]))
    ticks = itertools.count(VECTOR_TIME, 7)
    auth = BceV1Auth("ak", "sk", clock=lambda: next(ticks))
    with httpx.Client(base_url=responder.base_url, auth=auth) as client:
        request = client.build_request("POST", GENERAL_PATH, content=b"a=1", headers=FORM)
        client.send(request)
        client.send(request)  # the same request again (a retry): a new date, a new signature, no complaint
        client.post(GENERAL_PATH, content=b"a=1", headers=FORM)
    calls = responder.calls(GENERAL_PATH)
    dates = [call.headers["x-bce-date"] for call in calls]
    signatures = {call.headers["authorization"] for call in calls}
    assert dates == [format_timestamp(VECTOR_TIME + 7 * i) for i in range(3)]
    assert len(signatures) == 3
    assert all(call.headers["authorization"].startswith("bce-auth-v1/ak/") for call in calls)
    assert not any("access_token" in call.query for call in calls)


def test_bearer_header_and_nothing_else(responder: Responder) -> None:
    responder.route(GENERAL_PATH, success(["x"]))
    with httpx.Client(base_url=responder.base_url, auth=BearerAuth("bce-v3/ALTAK-abc/def")) as client:
        client.post(GENERAL_PATH, content=b"a=1", headers=FORM)
    [call] = responder.calls(GENERAL_PATH)
    assert call.headers["authorization"] == "Bearer bce-v3/ALTAK-abc/def"
    assert call.query == {}


@pytest.mark.parametrize("auth", [BearerAuth("bce-v3/ALTAK-abc/def"), BceV1Auth("ak", "sk")])
def test_a_second_mechanism_on_the_request_is_refused(auth: httpx.Auth) -> None:
    with httpx.Client(base_url="http://127.0.0.1:9", auth=auth) as client:
        with pytest.raises(ConfigurationError, match="exactly one credential") as caught:
            client.post(GENERAL_PATH, params={"access_token": "24.x"}, content=b"")
        with pytest.raises(ConfigurationError, match="Authorization header"):
            client.post(GENERAL_PATH, headers={"Authorization": "Bearer other"}, content=b"")
    assert "24.x" not in str(caught.value)


def test_reprs_hold_no_secret() -> None:
    for auth in (BceV1Auth("my-access-key", "my-secret-access-key"), BearerAuth("bce-v3/ALTAK-id/the-secret")):
        assert "secret" not in repr(auth).replace("secret_access_key=***", "")
        assert "my-access-key" not in repr(auth)


@pytest.mark.parametrize(("expiration", "ok"), [(1, True), (0, False), (-5, False), (True, False), (1.5, False)])
def test_expiration_must_be_a_positive_whole_number(expiration: Any, ok: bool) -> None:
    if ok:
        assert BceV1Auth("ak", "sk", expiration_seconds=expiration).expiration_seconds == expiration
    else:
        with pytest.raises(ConfigurationError, match="expiration_seconds"):
            BceV1Auth("ak", "sk", expiration_seconds=expiration)


# --- against the local service ---------------------------------------------------------------------------------


def post(service: LocalService, auth: httpx.Auth, **params: str) -> dict[str, Any]:
    with httpx.Client(base_url=service.base_url, auth=auth, trust_env=False) as client:
        response = client.post(GENERAL_PATH, params=params, content=ocr_body(), headers=FORM)
    answer: dict[str, Any] = response.json()
    return answer


def test_local_service_accepts_bce_v1_signing(service: LocalService) -> None:
    answer = post(service, BceV1Auth(DEMO_IAM_KEY.access_key_id, DEMO_IAM_KEY.secret_access_key), aipSdk="python")
    assert answer["words_result_num"] == 0
    assert "error_code" not in answer


def test_local_service_refuses_a_stale_or_wrong_signature(service: LocalService) -> None:
    stale = BceV1Auth(DEMO_IAM_KEY.access_key_id, DEMO_IAM_KEY.secret_access_key, clock=lambda: VECTOR_TIME)
    assert post(service, stale)["error_code"] == 14
    wrong = BceV1Auth(DEMO_IAM_KEY.access_key_id, "not-the-secret")
    assert post(service, wrong)["error_code"] == 14


def test_local_service_accepts_the_demo_bearer_key_only(service: LocalService) -> None:
    assert post(service, BearerAuth(DEMO_BEARER_KEY.key))["words_result_num"] == 0
    assert post(service, BearerAuth("bce-v3/ALTAK-unknown/nope"))["error_code"] == 14


# --- the raw generated client, and diagnosis, against the local service ----------------------------------------


def demo_token(service: LocalService) -> str:
    body = TokenRequest(GrantType.CLIENT_CREDENTIALS, client_id=service.api_key, client_secret=service.secret_key)
    with Client(base_url=service.base_url, httpx_args={"trust_env": False}) as client:
        parsed = get_access_token.sync_detailed(client=client, body=body).parsed
    assert isinstance(parsed, TokenResponse)
    return parsed.access_token


def every_auth(service: LocalService) -> list[httpx.Auth]:
    return [
        ClientCredentialsAuth(service.api_key, service.secret_key),
        AccessTokenAuth(demo_token(service)),
        BceV1Auth(DEMO_IAM_KEY.access_key_id, DEMO_IAM_KEY.secret_access_key),
        BearerAuth(DEMO_BEARER_KEY.key),
    ]


def test_raw_generated_client_works_with_each_auth_object(service: LocalService) -> None:
    for auth in every_auth(service):
        with Client(base_url=service.base_url, auth=auth, httpx_args={"trust_env": False}) as client:
            response = general_basic.sync_detailed(client=client, body=GeneralBasicRequest(image=image_bytes()))
        assert isinstance(response.parsed, OcrResult), (auth, response.content)


def test_raw_async_generated_client_works_with_each_auth_object(service: LocalService) -> None:
    async def main() -> list[object]:
        parsed: list[object] = []
        for auth in every_auth(service):
            async with Client(base_url=service.base_url, auth=auth, httpx_args={"trust_env": False}) as client:
                body = GeneralBasicRequest(image=image_bytes())
                parsed.append((await general_basic.asyncio_detailed(client=client, body=body)).parsed)
        return parsed

    assert all(isinstance(parsed, OcrResult) for parsed in asyncio.run(main()))


def test_ocr_takes_each_kind_by_keyword(service: LocalService) -> None:
    keywords: list[dict[str, str]] = [
        {"api_key": service.api_key, "secret_key": service.secret_key},
        {"access_token": demo_token(service)},
        {"access_key_id": DEMO_IAM_KEY.access_key_id, "secret_access_key": DEMO_IAM_KEY.secret_access_key},
        {"bearer_key": DEMO_BEARER_KEY.key},
    ]
    for given in keywords:
        with OCR(base_url=service.base_url, **given) as ocr:  # type: ignore[arg-type]
            assert ocr.general_basic(image_bytes()).lines == []
            assert not any(value in repr(ocr) for value in given.values())


def test_a_refused_signature_raises_14_with_the_signing_diagnosis(service: LocalService) -> None:
    keys = (DEMO_IAM_KEY.access_key_id, "not-the-secret-access-key")
    ocr = OCR(access_key_id=keys[0], secret_access_key=keys[1], base_url=service.base_url)
    with ocr, pytest.raises(PermissionDeniedError) as caught:
        ocr.general_basic(image_bytes())
    assert caught.value.error_code == 14
    message = str(caught.value)
    assert "IAM AK/SK signing (bce-auth-v1) used: the bce-auth-v1 signature was refused" in message
    assert "clock" in message
    for value in keys:
        assert value not in message


def test_a_refused_bearer_key_raises_14_with_its_diagnosis(service: LocalService) -> None:
    ocr = OCR(bearer_key="bce-v3/ALTAK-unknown/secret-part", base_url=service.base_url)
    with ocr, pytest.raises(PermissionDeniedError, match="the bearer API key was refused") as caught:
        ocr.general_basic(image_bytes())
    assert "secret-part" not in str(caught.value)


@pytest.mark.parametrize(
    ("api_key", "secret_key", "meaning"),
    [
        ("wrong-api-key", DEMO_SECRET, "does not know the API Key (api_key= / BAIDU_OCR_API_KEY)"),
        ("local-api-key", "wrong-secret", "the Secret Key (secret_key= / BAIDU_OCR_SECRET_KEY) does not match it"),
        (IAM_SHAPED, IAM_SHAPED, "It looks like an IAM Access Key ID or Secret Access Key (32 hex digits)"),
    ],
)
def test_wrong_app_keys_say_which_one(service: LocalService, api_key: str, secret_key: str, meaning: str) -> None:
    with OCR(api_key, secret_key, base_url=service.base_url) as ocr, pytest.raises(AuthenticationError) as caught:
        ocr.general_basic(image_bytes())
    error = caught.value
    assert meaning in str(error)
    for text in (str(error), repr(error), json.dumps(error.raw)):
        assert secret_key not in text
        assert api_key not in text


def test_an_echoed_secret_is_scrubbed_from_the_error(responder: Responder) -> None:
    echo = {"error": "invalid_client", "error_description": f"bad client_secret={ECHOED_SECRET} for id {ECHOED_ID}"}
    responder.route(TOKEN_PATH, Answer.json(echo, 401))
    ocr = OCR(ECHOED_ID, ECHOED_SECRET, base_url=responder.base_url)
    with ocr, pytest.raises(AuthenticationError) as caught:
        ocr.general_basic(image_bytes())
    error = caught.value
    for text in (str(error), repr(error), json.dumps(error.raw), error.error_msg):
        assert ECHOED_SECRET not in text
        assert ECHOED_ID not in text
    assert error.raw["error_description"] == "bad client_secret=*** for id ***"


def test_error_6_says_the_app_lacks_the_permission(responder: Responder) -> None:
    responder.route(GENERAL_PATH, Answer.json({"error_code": 6, "error_msg": "No permission to access data"}))
    ocr = OCR(bearer_key=DEMO_BEARER_KEY.key, base_url=responder.base_url, max_retries=0)
    with ocr, pytest.raises(PermissionDeniedError, match="enable 通用文字识别 for the application"):
        ocr.general_basic(image_bytes())
