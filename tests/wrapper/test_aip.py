"""AipOcr answers with the same dicts the official ``aip.AipOcr`` returns, field by field."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import parse_qs

import pytest
from baidu_fakes import (
    ACCURATE_PATH,
    API_KEY,
    GENERAL_PATH,
    SECRET_KEY,
    TOKEN_PATH,
    image_bytes,
    pdf_bytes,
    token_answer,
)
from responder import Answer, Responder

from baidu_ocr import AipOcr, Backoff

SUCCESS_JSON = (
    '{"words_result":[{"words":" TSINGTAO","probability":{"average":0.98,"min":0.9,"variance":0}}],'
    '"words_result_num":1,"direction":0,"log_id":18446744073709551615,"language":-1,"unknown_new_field":[1]}'
)
ERROR_JSON = '{"log_id":9223372036854775809,"error_msg":"image size error","error_code":216202}'


@pytest.fixture
def aip(responder: Responder) -> Iterator[AipOcr]:
    responder.route(TOKEN_PATH, token_answer())
    client = AipOcr("app-id", API_KEY, SECRET_KEY, base_url=responder.base_url)
    client._client.backoff = Backoff(0, 0, 0)
    yield client
    client.close()


@pytest.mark.parametrize(
    ("method", "path", "argument", "field"),
    [
        ("basicGeneral", GENERAL_PATH, image_bytes(), "image"),
        ("basicGeneralUrl", GENERAL_PATH, "https://example.com/a.jpg", "url"),
        ("basicGeneralPdf", GENERAL_PATH, pdf_bytes(2), "pdf_file"),
        ("basicAccurate", ACCURATE_PATH, image_bytes(), "image"),
        ("basicAccurateUrl", ACCURATE_PATH, "https://example.com/a.jpg", "url"),
        ("basicAccuratePdf", ACCURATE_PATH, pdf_bytes(2), "pdf_file"),
    ],
)
def test_success_dict_is_the_service_json(
    aip: AipOcr, responder: Responder, method: str, path: str, argument: object, field: str
) -> None:
    responder.route(path, Answer(body=SUCCESS_JSON.encode()))
    answer = getattr(aip, method)(argument, {"probability": "true", "detect_direction": True})
    expected = json.loads(SUCCESS_JSON)
    assert isinstance(answer, dict)
    assert list(answer) == list(expected)
    for key, value in expected.items():
        assert answer[key] == value, key
    assert answer["log_id"] == 18446744073709551615
    assert answer["words_result"][0]["words"] == " TSINGTAO"
    form = responder.calls(path)[0].form()
    assert field in form
    assert form["probability"] == ["true"]
    assert form["detect_direction"] == ["true"], "Python True travels as 'true' (the official SDK sends 'True')"


def test_error_dict_is_the_service_json(aip: AipOcr, responder: Responder) -> None:
    responder.route(GENERAL_PATH, Answer(body=ERROR_JSON.encode()))
    answer = aip.basicGeneral(image_bytes())
    assert answer == {"log_id": 9223372036854775809, "error_msg": "image size error", "error_code": 216202}


def test_pdf_page_option(aip: AipOcr, responder: Responder) -> None:
    responder.route(GENERAL_PATH, Answer(body=SUCCESS_JSON.encode()))
    aip.basicGeneralPdf(pdf_bytes(3), {"pdf_file_num": "3"})
    assert responder.calls(GENERAL_PATH)[0].form()["pdf_file_num"] == ["3"]


def test_bad_input_answers_like_the_service_without_a_request(aip: AipOcr, responder: Responder) -> None:
    assert aip.basicGeneral(b"") == {"error_code": 216200, "error_msg": "empty image"}
    assert aip.basicGeneral(b"GIF89a") == {"error_code": 216201, "error_msg": "image format error"}
    assert aip.basicGeneral(image_bytes(5000, 20)) == {"error_code": 216202, "error_msg": "image size error"}
    assert aip.basicGeneralUrl("http://x/" + "a" * 2000) == {"error_code": 282114, "error_msg": "url size error"}
    assert not responder.calls(GENERAL_PATH)


def test_timeout_answers_sdk108(aip: AipOcr, responder: Responder) -> None:
    responder.route(GENERAL_PATH, Answer(body=b"{}", delay=1.0))
    aip.setSocketTimeoutInMillis(100)
    aip._client.max_retries = 0
    assert aip.basicGeneral(image_bytes()) == {"error_code": "SDK108", "error_msg": "connection or read data timeout"}


def test_expired_token_renewed_and_replayed(aip: AipOcr, responder: Responder) -> None:
    responder.route(TOKEN_PATH, [token_answer("24.old"), token_answer("24.new")])
    responder.route(
        GENERAL_PATH,
        [Answer.json({"error_code": 111, "error_msg": "Access token expired"}), Answer(body=SUCCESS_JSON.encode())],
    )
    assert aip.basicGeneral(image_bytes())["words_result_num"] == 1
    assert [c.query["access_token"] for c in responder.calls(GENERAL_PATH)] == [["24.old"], ["24.new"]]


def test_wrong_key_answers_error_14_like_the_official_sdk_with_the_reason(aip: AipOcr, responder: Responder) -> None:
    oauth = {"error": "invalid_client", "error_description": "unknown client id"}
    responder.route(TOKEN_PATH, Answer.json(oauth, status=401))
    answer = aip.basicGeneral(image_bytes())
    assert answer == {"error_code": 14, "error_msg": "IAM Certification failed", **oauth}
    assert not responder.calls(GENERAL_PATH)
    assert SECRET_KEY not in repr(aip)
    assert aip.getVersion() == "2_0_0"


def test_form_body_decodes_to_the_exact_image(aip: AipOcr, responder: Responder) -> None:
    import base64

    responder.route(GENERAL_PATH, Answer(body=SUCCESS_JSON.encode()))
    data = image_bytes(333, 77)
    aip.basicGeneral(data)
    sent = parse_qs(responder.calls(GENERAL_PATH)[0].body.decode())["image"][0]
    assert base64.b64decode(sent) == data
