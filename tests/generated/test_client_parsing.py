"""The generated client against a real local server: success, in-band error, OAuth error."""

from __future__ import annotations

import json

from responder import Answer, Responder

from baidu_ocr_client import Client
from baidu_ocr_client.api.auth import get_access_token
from baidu_ocr_client.api.ocr import accurate_basic, general_basic
from baidu_ocr_client.models import (
    AccurateBasicRequest,
    BoolString,
    GeneralBasicRequest,
    GeneralLanguageType,
    GrantType,
    OAuthError,
    OcrError,
    OcrResult,
    Probability,
    TokenRequest,
    TokenResponse,
)

BIG_LOG_ID = 2**63 + 12345  # above int64 and far above 2^53
OCR_PATH = "/rest/2.0/ocr/v1/general_basic"

FULL_SUCCESS = (
    '{"words_result":[{"words":" TSINGTAO","probability":{"variance":0,"average":0.99,"min":9.5e-1}},'
    '{"words":"青島睥酒","probability":{"average":0.9,"variance":1.2e-05,"min":0.8}}],'
    '"direction":0,"paragraphs_result":[{"words_result_idx":[0,1]}],"paragraphs_result_num":1,'
    f'"language":3,"pdf_file_size":"4","words_result_num":2,"log_id":{BIG_LOG_ID},"new_field":{{"x":1}}}}'
)


def test_success_with_every_optional_field_parses_into_ocr_result(responder: Responder) -> None:
    responder.route(OCR_PATH, Answer(body=FULL_SUCCESS.encode()))
    body = GeneralBasicRequest(
        image="aGVsbG8=",
        language_type=GeneralLanguageType.CHN_ENG,
        probability=BoolString.TRUE,
        paragraph=BoolString.TRUE,
    )
    with Client(base_url=responder.base_url) as client:
        response = general_basic.sync_detailed(client=client, body=body, access_token="tok")

    result = response.parsed
    assert isinstance(result, OcrResult)
    assert result.log_id == BIG_LOG_ID
    assert result.words_result_num == 2
    assert [line.words for line in result.words_result] == [" TSINGTAO", "青島睥酒"]
    first_probability = result.words_result[0].probability
    assert isinstance(first_probability, Probability)
    assert first_probability.variance == 0
    assert first_probability.min_ == 0.95
    assert result.direction == 0
    assert result.language == 3
    assert result.pdf_file_size == "4"
    assert result.paragraphs_result_num == 1
    assert isinstance(result.paragraphs_result, list)
    assert [p.words_result_idx for p in result.paragraphs_result] == [[0, 1]]
    assert result.additional_properties == {"new_field": {"x": 1}}
    assert result.to_dict()["log_id"] == BIG_LOG_ID

    sent = responder.calls(OCR_PATH)[0]
    assert sent.query == {"access_token": ["tok"]}
    assert sent.headers["content-type"] == "application/x-www-form-urlencoded"
    assert sent.form() == {
        "image": ["aGVsbG8="],
        "language_type": ["CHN_ENG"],
        "probability": ["true"],
        "paragraph": ["true"],
    }


def test_log_id_sent_as_string_and_integer_pdf_size_parse() -> None:
    payload = {"log_id": str(BIG_LOG_ID), "words_result_num": 0, "words_result": [], "pdf_file_size": 7}
    result = OcrResult.from_dict(payload)
    assert result.log_id == str(BIG_LOG_ID)
    assert result.pdf_file_size == 7


def test_in_band_error_with_http_200_parses_into_ocr_error(responder: Responder) -> None:
    error = {"log_id": BIG_LOG_ID, "error_msg": "image size error", "error_code": 216202}
    responder.route("/rest/2.0/ocr/v1/accurate_basic", Answer(body=json.dumps(error).encode()))
    with Client(base_url=responder.base_url) as client:
        parsed = accurate_basic.sync(client=client, body=AccurateBasicRequest(url="http://x/a.png"), access_token="t")
    assert isinstance(parsed, OcrError)
    assert parsed.error_code == 216202
    assert parsed.error_msg == "image size error"
    assert parsed.log_id == BIG_LOG_ID


def test_token_success_and_401_oauth_error(responder: Responder) -> None:
    token = {
        "refresh_token": "25.r",
        "expires_in": 2592000,
        "session_key": "s",
        "access_token": "24.abc.2592000.1.-1",
        "scope": "public brain_all_scope",
        "session_secret": "x",
    }
    unknown = {"error": "invalid_client", "error_description": "unknown client id"}
    responder.route("/oauth/2.0/token", [Answer.json(token), Answer.json(unknown, status=401)])
    body = TokenRequest(grant_type=GrantType.CLIENT_CREDENTIALS, client_id="id", client_secret="secret")
    with Client(base_url=responder.base_url) as client:
        ok = get_access_token.sync(client=client, body=body)
        failed = get_access_token.sync_detailed(client=client, body=body)

    assert isinstance(ok, TokenResponse)
    assert ok.access_token == "24.abc.2592000.1.-1"
    assert ok.expires_in == 2592000
    assert "brain_all_scope" in str(ok.scope)
    assert failed.status_code == 401
    assert isinstance(failed.parsed, OAuthError)
    assert failed.parsed.error == "invalid_client"
    assert failed.parsed.error_description == "unknown client id"
    sent = responder.calls("/oauth/2.0/token")[0]
    assert sent.query == {}, "credentials must travel in the body, never in the URL"
    assert sent.form()["client_secret"] == ["secret"]
