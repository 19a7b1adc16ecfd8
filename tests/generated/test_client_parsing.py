"""The generated client against a real local server: what it sends, what it parses, how it fails."""

from __future__ import annotations

import base64
import inspect
import json
from collections.abc import Generator
from types import ModuleType

import httpx
import pytest
from responder import Answer, Responder

from baidu_ocr_client import Client
from baidu_ocr_client.api.auth import get_access_token
from baidu_ocr_client.api.ocr import accurate_basic, general_basic
from baidu_ocr_client.client import DEFAULT_TIMEOUT
from baidu_ocr_client.errors import UnexpectedResponse, UnexpectedStatus
from baidu_ocr_client.form import encode_file
from baidu_ocr_client.models import (
    AccurateBasicRequest,
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
OCR_PATH = general_basic.PATH
TOKEN_PATH = get_access_token.PATH
IMAGE = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 3  # every byte value: the base64 has + and / and padding
ENDPOINTS = (general_basic, accurate_basic, get_access_token)

FULL_SUCCESS = (
    '{"words_result":[{"words":" TSINGTAO","probability":{"variance":0,"average":0.99,"min":9.5e-1}},'
    '{"words":"青島睥酒","probability":{"average":0.9,"variance":1.2e-05,"min":0.8}}],'
    '"direction":0,"paragraphs_result":[{"words_result_idx":[0,1]}],"paragraphs_result_num":1,'
    f'"language":3,"pdf_file_size":"4","words_result_num":2,"log_id":{BIG_LOG_ID},"new_field":{{"x":1}}}}'
)
TOKEN = {
    "refresh_token": "25.r",
    "expires_in": 2592000,
    "session_key": "s",
    "access_token": "24.abc.2592000.1.-1",
    "scope": "public brain_all_scope",
    "session_secret": "x",
}


class QueryToken(httpx.Auth):
    """What an access-token auth does once it has a token; counts the requests it saw."""

    def __init__(self) -> None:
        self.seen = 0

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self.seen += 1
        request.url = request.url.copy_merge_params({"access_token": "tok"})
        yield request


def test_success_with_every_optional_field_parses_into_ocr_result(responder: Responder) -> None:
    responder.route(OCR_PATH, Answer(body=FULL_SUCCESS.encode()))
    body = GeneralBasicRequest(image=IMAGE, language_type=GeneralLanguageType.CHN_ENG, probability=True, paragraph=True)
    with Client(base_url=responder.base_url, auth=QueryToken()) as client:
        response = general_basic.sync_detailed(client=client, body=body)

    assert response.status_code == 200
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
        "image": [base64.b64encode(IMAGE).decode()],
        "language_type": ["CHN_ENG"],
        "paragraph": ["true"],
        "probability": ["true"],
    }
    assert sent.body == body.to_form()


def test_log_id_sent_as_string_and_integer_pdf_size_parse() -> None:
    payload = {"log_id": str(BIG_LOG_ID), "words_result_num": 0, "words_result": [], "pdf_file_size": 7}
    result = OcrResult.from_dict(payload)
    assert result.log_id == str(BIG_LOG_ID)
    assert result.pdf_file_size == 7


def test_in_band_error_with_http_200_parses_into_ocr_error(responder: Responder) -> None:
    error = {"log_id": BIG_LOG_ID, "error_msg": "image size error", "error_code": 216202}
    responder.route(accurate_basic.PATH, Answer(body=json.dumps(error).encode()))
    with Client(base_url=responder.base_url, auth=QueryToken()) as client:
        parsed = accurate_basic.sync(client=client, body=AccurateBasicRequest(url="http://x/a.png"))
    assert isinstance(parsed, OcrError)
    assert parsed.error_code == 216202
    assert parsed.error_msg == "image size error"
    assert parsed.log_id == BIG_LOG_ID
    assert responder.calls(accurate_basic.PATH)[0].form() == {"url": ["http://x/a.png"]}


def test_token_success_and_401_oauth_error(responder: Responder) -> None:
    unknown = {"error": "invalid_client", "error_description": "unknown client id"}
    responder.route(TOKEN_PATH, [Answer.json(TOKEN), Answer.json(unknown, status=401)])
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
    sent = responder.calls(TOKEN_PATH)[0]
    assert sent.query == {}, "credentials must travel in the body, never in the URL"
    assert sent.form() == {"grant_type": ["client_credentials"], "client_id": ["id"], "client_secret": ["secret"]}


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda module: module.__name__.rsplit(".", 1)[-1])
def test_endpoint_functions_take_client_body_timeout_and_no_access_token(endpoint: ModuleType) -> None:
    for name in ("sync_detailed", "sync", "asyncio_detailed", "asyncio"):
        parameters = inspect.signature(getattr(endpoint, name)).parameters
        assert list(parameters) == ["client", "body", "timeout"], name
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values())
    assert list(inspect.signature(endpoint.request_kwargs).parameters) == ["body"]
    assert endpoint.METHOD == "POST"
    assert endpoint.PATH.startswith("/")


def test_the_clients_auth_signs_ocr_requests(responder: Responder) -> None:
    responder.route(OCR_PATH, Answer(body=FULL_SUCCESS.encode()))
    auth = QueryToken()
    with Client(base_url=responder.base_url, auth=auth) as client:
        assert client.auth is auth
        assert isinstance(general_basic.sync(client=client, body=GeneralBasicRequest(url="http://x")), OcrResult)
    assert auth.seen == 1
    assert responder.calls(OCR_PATH)[0].query == {"access_token": ["tok"]}


@pytest.mark.anyio
async def test_the_clients_auth_signs_async_requests(responder: Responder) -> None:
    for path in (OCR_PATH, accurate_basic.PATH):
        responder.route(path, Answer(body=FULL_SUCCESS.encode()))
    auth = QueryToken()
    async with Client(base_url=responder.base_url, auth=auth) as client:
        parsed = await accurate_basic.asyncio(client=client, body=AccurateBasicRequest(image=IMAGE, probability=False))
        detailed = await general_basic.asyncio_detailed(client=client, body=GeneralBasicRequest(url="http://x"))
    assert isinstance(parsed, OcrResult)
    assert isinstance(detailed.parsed, OcrResult)
    assert auth.seen == 2
    sent = responder.calls(accurate_basic.PATH)[0]
    assert sent.query == {"access_token": ["tok"]}
    assert sent.form() == {"image": [base64.b64encode(IMAGE).decode()], "probability": ["false"]}


def test_the_token_endpoint_never_runs_the_clients_auth(responder: Responder) -> None:
    responder.route(TOKEN_PATH, Answer.json(TOKEN))
    auth = QueryToken()
    body = TokenRequest(grant_type=GrantType.CLIENT_CREDENTIALS, client_id="id", client_secret="secret")
    with Client(base_url=responder.base_url, auth=auth) as client:
        assert isinstance(get_access_token.sync(client=client, body=body), TokenResponse)
    assert auth.seen == 0
    assert responder.calls(TOKEN_PATH)[0].query == {}


def test_request_kwargs_and_parse_response_work_without_a_client(responder: Responder) -> None:
    responder.route(TOKEN_PATH, Answer.json(TOKEN))
    body = TokenRequest(grant_type=GrantType.CLIENT_CREDENTIALS, client_id="id", client_secret="secret")
    kwargs = get_access_token.request_kwargs(body=body)
    assert kwargs == {
        "method": "POST",
        "url": TOKEN_PATH,
        "headers": {"Content-Type": "application/x-www-form-urlencoded"},
        "content": b"grant_type=client_credentials&client_id=id&client_secret=secret",
    }
    with httpx.Client(base_url=responder.base_url) as raw:
        parsed = get_access_token.parse_response(raw.request(**kwargs))
    assert isinstance(parsed, TokenResponse)
    assert parsed.access_token == TOKEN["access_token"]


def test_a_per_request_timeout_overrides_the_clients(responder: Responder) -> None:
    responder.route(OCR_PATH, Answer(body=FULL_SUCCESS.encode(), delay=2.0))
    with Client(base_url=responder.base_url, timeout=httpx.Timeout(30.0)) as client, pytest.raises(httpx.ReadTimeout):
        general_basic.sync_detailed(client=client, body=GeneralBasicRequest(url="http://x"), timeout=0.2)


def test_an_encoded_file_is_sent_as_is(responder: Responder) -> None:
    responder.route(OCR_PATH, Answer(body=FULL_SUCCESS.encode()))
    with Client(base_url=responder.base_url) as client:
        general_basic.sync(client=client, body=GeneralBasicRequest(image=encode_file(IMAGE)))
    assert responder.calls(OCR_PATH)[0].form() == {"image": [base64.b64encode(IMAGE).decode()]}


MALFORMED_BODIES = {
    "html": b"<html><body>502 Bad Gateway secret-looking-text</body></html>",
    "truncated": FULL_SUCCESS.encode()[:40],
    "deeply nested": b"[" * 100_000 + b"]" * 100_000,
    "huge integer": b'{"log_id": ' + b"9" * 5000 + b', "words_result_num": 0, "words_result": []}',
    "not an object": b'["log_id", 1]',
    "missing fields": b'{"log_id": 1}',
    "words_result not a list": b'{"log_id": 1, "words_result_num": 1, "words_result": 5}',
    "line not an object": b'{"log_id": 1, "words_result_num": 1, "words_result": ["secret-looking-text"]}',
    "invalid utf-8": b'{"log_id": 1, "words_result_num": 0, "words_result": [], "x": "\xff"}',
}


@pytest.mark.parametrize("content", MALFORMED_BODIES.values(), ids=MALFORMED_BODIES.keys())
def test_a_body_that_is_not_the_documented_json_raises_unexpected_response(content: bytes) -> None:
    response = httpx.Response(200, content=content)
    with pytest.raises(UnexpectedResponse) as caught:
        general_basic.parse_response(response)
    assert caught.value.status_code == 200
    assert caught.value.content == content
    assert str(len(content)) in str(caught.value)
    assert "secret-looking-text" not in str(caught.value)
    assert "html" not in str(caught.value)
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


@pytest.mark.parametrize(
    ("status", "content"), [(401, b"<html>unauthorized</html>"), (200, b'{"access_token": 5}'[:10])]
)
def test_the_token_endpoint_raises_unexpected_response_for_its_documented_statuses(status: int, content: bytes) -> None:
    with pytest.raises(UnexpectedResponse):
        get_access_token.parse_response(httpx.Response(status, content=content))


def test_an_undocumented_status_is_none_or_unexpected_status_without_the_body(responder: Responder) -> None:
    responder.route(OCR_PATH, Answer(status=503, body=b"<html>secret-looking-text</html>", content_type="text/html"))
    body = GeneralBasicRequest(url="http://x")
    with Client(base_url=responder.base_url) as client:
        response = general_basic.sync_detailed(client=client, body=body)
    assert response.status_code == 503
    assert response.parsed is None
    client = Client(base_url=responder.base_url, raise_on_unexpected_status=True)
    with client, pytest.raises(UnexpectedStatus) as caught:
        general_basic.sync(client=client, body=body)
    assert caught.value.status_code == 503
    assert "secret-looking-text" not in str(caught.value)


def test_a_status_unknown_to_httpstatus_keeps_its_number() -> None:
    assert general_basic.parse_response(httpx.Response(520, content=b"")) is None
    with Client(base_url="http://127.0.0.1:9", httpx_args={"transport": httpx.MockTransport(_answer_520)}) as client:
        response = general_basic.sync_detailed(client=client, body=GeneralBasicRequest(url="http://x"))
    assert response.status_code == 520
    assert response.parsed is None


def _answer_520(request: httpx.Request) -> httpx.Response:
    return httpx.Response(520, content=b"origin error")


def test_the_client_has_a_bounded_default_timeout() -> None:
    client = Client(base_url="http://127.0.0.1:9")
    assert client.get_httpx_client().timeout == DEFAULT_TIMEOUT
    assert client.get_async_httpx_client().timeout == DEFAULT_TIMEOUT
    assert DEFAULT_TIMEOUT.connect is not None
    assert DEFAULT_TIMEOUT.read is not None
    client.get_httpx_client().close()
