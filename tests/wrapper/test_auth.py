"""BceV1Auth and BearerAuth: the bce-auth-v1 conformance vector, signing per attempt, one mechanism per request, and
acceptance by the local service over real HTTP on 127.0.0.1."""

from __future__ import annotations

import base64
import itertools
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from baidu_fakes import GENERAL_PATH, image_bytes, success
from responder import Responder

from baidu_ocr._auth import BceV1Auth, BearerAuth
from baidu_ocr._errors import ConfigurationError
from baidu_ocr_formats.bce_auth import authorization, canonical_request, format_timestamp, parse_timestamp, uri_encode
from baidu_ocr_server.config import ServiceConfig
from baidu_ocr_server.credentials import DEMO_BEARER_KEY, DEMO_IAM_KEY
from baidu_ocr_server.embedded import LocalService
from baidu_ocr_server.engine import EngineProfile, EngineResult

VECTOR = (
    "bce-auth-v1/myak/2024-01-02T03:04:05Z/1800/host;x-bce-date/"
    "bdd1c0ee696f36210499ceb42f06dfef571113d2af1c69e6729dd2f3ed285780"
)
VECTOR_TIME = parse_timestamp("2024-01-02T03:04:05Z")
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class BlankEngine:
    """An OCR engine that finds no text (these tests are about who may call, not what is read)."""

    def recognize(self, image: Any, profile: EngineProfile, detect_direction: bool) -> EngineResult:
        return EngineResult((), 0, image.size[0], image.size[1])


@pytest.fixture(scope="module")
def service() -> Iterator[LocalService]:
    config = ServiceConfig(preload_engine=False, engine_threads=1)
    with LocalService(config, engine=BlankEngine()) as running:
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
