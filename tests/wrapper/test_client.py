"""OCR and AsyncOCR against a real local HTTP server playing Baidu (faults a server can't easily make: respx)."""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import respx
from baidu_fakes import (
    ACCURATE_PATH,
    API_KEY,
    GENERAL_PATH,
    SECRET_KEY,
    TOKEN_PATH,
    baidu,
    error,
    image_bytes,
    pdf_bytes,
    success,
    token_answer,
)
from responder import Answer, Recorded, Responder

from baidu_ocr import (
    OCR,
    APIError,
    AsyncOCR,
    AuthenticationError,
    Backoff,
    ConfigurationError,
    ConnectionFailedError,
    ImageURL,
    InvalidParameterError,
    InvalidResponseError,
    PdfPage,
    PermissionDeniedError,
    QuotaExceededError,
    RequestTimeoutError,
    ServerError,
    Source,
    UnsupportedFormatError,
    URLError,
)

NO_WAIT = Backoff(initial=0, maximum=0, jitter=0)


def client(responder: Responder, **kwargs: object) -> OCR:
    return OCR(API_KEY, SECRET_KEY, base_url=responder.base_url, backoff=NO_WAIT, **kwargs)  # type: ignore[arg-type]


def async_client(responder: Responder, **kwargs: object) -> AsyncOCR:
    return AsyncOCR(API_KEY, SECRET_KEY, base_url=responder.base_url, backoff=NO_WAIT, **kwargs)  # type: ignore[arg-type]


def test_recognize_sends_form_and_token_and_returns_typed_result(responder: Responder) -> None:
    baidu(responder, success([" TSINGTAO", "青島啤酒"], log_id=2**64 - 1, language=3, direction=2))
    with client(responder) as ocr:
        result = ocr.general_basic(image_bytes(), detect_direction=True, detect_language=True, language_type="CHN_ENG")

    assert result.lines == [" TSINGTAO", "青島啤酒"]
    assert result.text == " TSINGTAO\n青島啤酒"
    assert result.request_id == 2**64 - 1
    assert result.rotation_degrees == 180
    assert result.language == 3
    assert result.raw["words_result_num"] == 2
    assert result.http is not None
    assert result.http.status_code == 200
    token_call = responder.calls(TOKEN_PATH)[0]
    assert token_call.query == {}
    assert token_call.form() == {
        "grant_type": ["client_credentials"],
        "client_id": [API_KEY],
        "client_secret": [SECRET_KEY],
    }
    ocr_call = responder.calls(GENERAL_PATH)[0]
    assert ocr_call.query == {"access_token": ["24.token-one.2592000.1.-1"]}
    form = ocr_call.form()
    assert form["detect_direction"] == ["true"]
    assert form["detect_language"] == ["true"]
    assert form["language_type"] == ["CHN_ENG"]
    assert form["image"][0].startswith("iVBORw0KGgo")


def test_accurate_url_and_pdf_inputs(responder: Responder) -> None:
    baidu(responder, success(["a"], pdf_file_size="3"), path=ACCURATE_PATH)
    with client(responder) as ocr:
        ocr.accurate_basic(url="https://example.com/a.png", extra_options={"multidirectional_recognize": True})
        result = ocr.accurate_basic(pdf=pdf_bytes(3), pdf_page=2, paragraph=False)
    url_form, pdf_form = (call.form() for call in responder.calls(ACCURATE_PATH))
    assert url_form == {"url": ["https://example.com/a.png"], "multidirectional_recognize": ["true"]}
    assert pdf_form["pdf_file_num"] == ["2"]
    assert pdf_form["paragraph"] == ["false"]
    assert result.page_count == 3


def test_confidences(responder: Responder) -> None:
    words = [{"words": "a", "probability": {"average": 0.9, "min": 0.8, "variance": 0}}, {"words": "b"}]
    baidu(responder, Answer.json({"log_id": 1, "words_result_num": 2, "words_result": words}))
    with client(responder) as ocr:
        assert ocr.general_basic(image_bytes(), probability=True).confidences == [0.9, None]


def test_paragraphs_as_text(responder: Responder) -> None:
    paragraphs: dict[str, Any] = {"paragraphs_result": [{"words_result_idx": [0, 1]}, {"words_result_idx": [2]}]}
    baidu(responder, success(["Hello", "world", "你好"], **paragraphs, paragraphs_result_num=2))
    with client(responder) as ocr:
        result = ocr.general_basic(image_bytes(), paragraph=True)
    assert result.paragraphs == ["Hello world", "你好"]
    assert result.text == "Hello world\n\n你好"


def test_one_token_for_many_threads(responder: Responder) -> None:
    def slow_token(_: Recorded) -> Answer:
        threading.Event().wait(0.2)
        return token_answer()

    responder.route(TOKEN_PATH, slow_token)
    responder.route(GENERAL_PATH, success(["x"]))
    with client(responder) as ocr:
        threads = [threading.Thread(target=ocr.general_basic, args=(image_bytes(),)) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(responder.calls(TOKEN_PATH)) == 1
    assert len(responder.calls(GENERAL_PATH)) == 8


def test_one_token_for_many_tasks(responder: Responder) -> None:
    baidu(responder, success(["x"]))

    async def main() -> None:
        async with async_client(responder) as ocr:
            await asyncio.gather(*(ocr.general_basic(image_bytes()) for _ in range(8)))

    asyncio.run(main())
    assert len(responder.calls(TOKEN_PATH)) == 1


@pytest.mark.parametrize("code", [110, 111])
def test_rejected_token_is_renewed_and_the_call_replayed_once(responder: Responder, code: int) -> None:
    responder.route(TOKEN_PATH, [token_answer("24.first"), token_answer("24.second")])
    responder.route(GENERAL_PATH, [error(code, "Access token invalid or no longer valid"), success(["ok"])])
    with client(responder, max_retries=0) as ocr:
        assert ocr.general_basic(image_bytes()).lines == ["ok"]
    tokens = [call.query["access_token"][0] for call in responder.calls(GENERAL_PATH)]
    assert tokens == ["24.first", "24.second"]


def test_token_rejected_twice_raises(responder: Responder) -> None:
    baidu(responder, error(110, "Access token invalid or no longer valid"))
    with client(responder) as ocr, pytest.raises(AuthenticationError) as caught:
        ocr.general_basic(image_bytes())
    assert caught.value.error_code == 110
    assert len(responder.calls(GENERAL_PATH)) == 2


def test_wrong_key_raises_at_once_with_baidus_description_and_no_secret(responder: Responder) -> None:
    responder.route(TOKEN_PATH, Answer.json({"error": "invalid_client", "error_description": "unknown client id"}, 401))
    with client(responder) as ocr, pytest.raises(AuthenticationError, match="unknown client id") as caught:
        ocr.general_basic(image_bytes())
    assert caught.value.status_code == 401
    assert len(responder.calls(TOKEN_PATH)) == 1
    assert not responder.calls(GENERAL_PATH)
    for text in (str(caught.value), repr(caught.value), repr(ocr)):
        assert SECRET_KEY not in text
        assert API_KEY not in text


def test_fixed_access_token_and_environment(responder: Responder, monkeypatch: pytest.MonkeyPatch) -> None:
    baidu(responder, success(["x"]))
    monkeypatch.setenv("BAIDU_OCR_ACCESS_TOKEN", "24.from-env")
    monkeypatch.setenv("BAIDU_OCR_BASE_URL", responder.base_url)
    monkeypatch.delenv("BAIDU_OCR_API_KEY", raising=False)
    monkeypatch.delenv("BAIDU_OCR_SECRET_KEY", raising=False)
    with OCR() as ocr:
        ocr.general_basic(image_bytes())
        assert "24.from-env" not in repr(ocr)
    assert responder.calls(GENERAL_PATH)[0].query["access_token"] == ["24.from-env"]
    assert not responder.calls(TOKEN_PATH)
    monkeypatch.delenv("BAIDU_OCR_ACCESS_TOKEN")
    with pytest.raises(ConfigurationError, match="BAIDU_OCR_API_KEY"):
        OCR()


def test_qps_limit_is_retried_with_backoff_then_succeeds(responder: Responder) -> None:
    baidu(responder, [error(18, "Open api qps request limit reached"), error(4, "limit"), success(["ok"])])
    with client(responder) as ocr:
        assert ocr.general_basic(image_bytes()).lines == ["ok"]
    assert len(responder.calls(GENERAL_PATH)) == 3


@pytest.mark.parametrize(
    ("code", "exception"),
    [
        (17, QuotaExceededError),
        (19, QuotaExceededError),
        (216100, InvalidParameterError),
        (216202, Exception),
        (6, Exception),
        (999999, APIError),
    ],
)
def test_errors_that_cannot_succeed_are_never_retried(responder: Responder, code: int, exception: type) -> None:
    baidu(responder, error(code, "no"))
    with client(responder, max_retries=5) as ocr, pytest.raises(exception) as caught:
        ocr.general_basic(image_bytes())
    assert isinstance(caught.value, APIError)
    assert caught.value.error_code == code
    assert caught.value.log_id == 42
    assert len(responder.calls(GENERAL_PATH)) == 1


def test_server_errors_retry_a_bounded_number_of_times(responder: Responder) -> None:
    baidu(responder, error(282000, "internal error"))
    with client(responder, max_retries=2) as ocr, pytest.raises(ServerError):
        ocr.general_basic(image_bytes())
    assert len(responder.calls(GENERAL_PATH)) == 3
    with client(responder, max_retries=2) as ocr, pytest.raises(ServerError):
        ocr.general_basic(image_bytes(), max_retries=0)
    assert len(responder.calls(GENERAL_PATH)) == 4


def test_url_download_timeout_is_retried_once(responder: Responder) -> None:
    baidu(responder, error(282112, "url download timeout"))
    with client(responder, max_retries=5) as ocr, pytest.raises(URLError):
        ocr.general_basic(url="https://example.com/a.png")
    assert len(responder.calls(GENERAL_PATH)) == 2


@pytest.mark.parametrize(
    ("answer", "match"),
    [
        (
            Answer(502, b"<html><body>502 Bad Gateway</body></html>", "text/html"),
            "HTTP 502 with a body that is not JSON",
        ),
        (Answer(200, b'{"log_id": 1, "words_result": [', "application/json"), "HTTP 200 with a body that is not JSON"),
        (Answer(200, b'{"log_id": 1}', "application/json"), "lacks a field"),
        (Answer(200, b"", "application/json"), "empty body"),
    ],
)
def test_malformed_answers_raise_a_clear_error(responder: Responder, answer: Answer, match: str) -> None:
    baidu(responder, answer)
    with client(responder, max_retries=1) as ocr, pytest.raises(InvalidResponseError, match=match) as caught:
        ocr.general_basic(image_bytes())
    assert caught.value.status_code == answer.status
    expected_calls = 2 if answer.status == 502 else 1
    assert len(responder.calls(GENERAL_PATH)) == expected_calls


def test_timeout_per_call(responder: Responder) -> None:
    baidu(responder, Answer(200, b"{}", delay=1.0))
    with client(responder, max_retries=0) as ocr, pytest.raises(RequestTimeoutError) as caught:
        ocr.general_basic(image_bytes(), timeout=0.1)
    assert "access_token" not in str(caught.value)


@respx.mock(assert_all_called=False)
def test_connection_errors_are_retried_then_raised(respx_mock: respx.MockRouter) -> None:
    respx_mock.post("http://baidu.test/oauth/2.0/token").mock(
        return_value=httpx.Response(200, json={"access_token": "24.secret-token", "expires_in": 100})
    )
    route = respx_mock.post("http://baidu.test/rest/2.0/ocr/v1/general_basic").mock(
        side_effect=httpx.ConnectError("connection refused")
    )
    ocr = OCR(API_KEY, SECRET_KEY, base_url="http://baidu.test", backoff=NO_WAIT)
    with ocr, pytest.raises(ConnectionFailedError) as caught:
        ocr.general_basic(image_bytes())
    assert route.call_count == 3
    assert "secret-token" not in str(caught.value)


@respx.mock(assert_all_called=False)
def test_read_timeout_then_success(respx_mock: respx.MockRouter) -> None:
    respx_mock.post("http://baidu.test/oauth/2.0/token").mock(
        return_value=httpx.Response(200, json={"access_token": "t", "expires_in": 100})
    )
    respx_mock.post("http://baidu.test/rest/2.0/ocr/v1/general_basic").mock(
        side_effect=[
            httpx.ReadTimeout("slow"),
            httpx.Response(200, json={"log_id": "77", "words_result_num": 0, "words_result": []}),
        ]
    )
    with OCR(API_KEY, SECRET_KEY, base_url="http://baidu.test", backoff=NO_WAIT) as ocr:
        assert ocr.general_basic(image_bytes()).request_id == 77


def test_token_renewed_before_expiry(responder: Responder) -> None:
    responder.route(TOKEN_PATH, [token_answer("24.short", expires_in=2), token_answer("24.long")])
    responder.route(GENERAL_PATH, success(["x"]))
    with client(responder) as ocr:
        ocr.general_basic(image_bytes())
        ocr.general_basic(image_bytes())  # a 2 s token is renewed 0.2 s early: still fresh
        threading.Event().wait(1.9)
        ocr.general_basic(image_bytes())
    tokens = [call.query["access_token"][0] for call in responder.calls(GENERAL_PATH)]
    assert tokens == ["24.short", "24.short", "24.long"]


def test_recognize_many_keeps_order_and_isolates_failures(responder: Responder) -> None:
    def by_content(request: Recorded) -> Answer:
        form = parse_qs(request.body.decode())
        if "url" in form:
            return error(282113, "url response invalid")
        return success([str(len(form["image"][0]))])

    responder.route(TOKEN_PATH, token_answer())
    responder.route(GENERAL_PATH, by_content)
    sources = [image_bytes(100 + i, 40) for i in range(5)]
    mixed: list[Source] = [sources[0], b"not an image", ImageURL("https://example.com/x.png"), *sources[1:]]
    with client(responder) as ocr:
        items = list(ocr.recognize_many(mixed, concurrency=3, qps=200))
    assert [item.index for item in items] == list(range(7))
    assert [item.ok for item in items] == [True, False, False, True, True, True, True]
    assert isinstance(items[1].error, UnsupportedFormatError)
    assert isinstance(items[2].error, URLError)
    assert items[0].result is not None
    assert len(responder.calls(GENERAL_PATH)) == 6


def test_recognize_pdf_uses_the_page_count_of_the_first_answer(responder: Responder) -> None:
    def page_answer(request: Recorded) -> Answer:
        page = parse_qs(request.body.decode())["pdf_file_num"][0]
        return success([f"page {page}"], pdf_file_size="4")

    responder.route(TOKEN_PATH, token_answer())
    responder.route(GENERAL_PATH, page_answer)
    document = pdf_bytes(4)
    with client(responder) as ocr:
        every = ocr.recognize_pdf(document, concurrency=2, probability=True)
        some = ocr.recognize_pdf(document, pages="2-3")
        with pytest.raises(Exception, match="page 9 asked for, but the PDF has 4 pages"):
            ocr.recognize_pdf(document, pages="1,9")
        many = list(ocr.recognize_many([PdfPage(document, 4), PdfPage(document, 1)]))
    assert [r.lines[0] for r in every] == ["page 1", "page 2", "page 3", "page 4"]
    assert [r.lines[0] for r in some] == ["page 2", "page 3"]
    assert [item.result.lines[0] for item in many if item.result] == ["page 4", "page 1"]
    assert parse_qs(responder.calls(GENERAL_PATH)[0].body.decode())["probability"] == ["true"]


def test_async_client_matches_the_sync_one(responder: Responder) -> None:
    def page_answer(request: Recorded) -> Answer:
        form = parse_qs(request.body.decode())
        page = form.get("pdf_file_num", ["0"])[0]
        return success([f"page {page}"], pdf_file_size="3")

    responder.route(TOKEN_PATH, [token_answer("24.a"), token_answer("24.b")])
    answers = [error(111, "Access token expired"), error(18, "qps")]
    responder.route(ACCURATE_PATH, [*answers, success(["accurate"])])
    responder.route(GENERAL_PATH, page_answer)

    async def main() -> tuple[list[str], list[str], list[bool]]:
        async with async_client(responder) as ocr:
            accurate = await ocr.accurate_basic(image_bytes(), probability=True)
            pages = await ocr.recognize_pdf(pdf_bytes(3), concurrency=3)
            items = [item async for item in ocr.recognize_many([image_bytes(), b"", image_bytes()], concurrency=2)]
        return accurate.lines, [p.lines[0] for p in pages], [item.ok for item in items]

    accurate, pages, oks = asyncio.run(main())
    assert accurate == ["accurate"]
    assert pages == ["page 1", "page 2", "page 3"]
    assert oks == [True, False, True]
    assert [c.query["access_token"][0] for c in responder.calls(ACCURATE_PATH)] == ["24.a", "24.b", "24.b"]


def test_tokens_never_reach_the_logs(responder: Responder, caplog: pytest.LogCaptureFixture) -> None:
    baidu(responder, success(["x"]))
    with caplog.at_level(logging.DEBUG), client(responder) as ocr:
        ocr.general_basic(image_bytes())
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "access_token=***" in logged
    assert "token-one" not in logged
    assert SECRET_KEY not in logged


def test_error_code_sent_as_text_maps_like_a_number(responder: Responder) -> None:
    baidu(responder, [Answer.json({"error_code": "18", "error_msg": "qps"}), success(["ok"])])
    with client(responder) as ocr:
        assert ocr.general_basic(image_bytes()).lines == ["ok"]
    responder.route(GENERAL_PATH, Answer.json({"error_code": "17", "error_msg": "daily"}))
    with client(responder) as ocr, pytest.raises(QuotaExceededError):
        ocr.general_basic(image_bytes())


@pytest.mark.parametrize(
    ("answer", "exception"),
    [
        (Answer.json({"error_code": 6, "error_msg": "No permission to access data"}), PermissionDeniedError),
        (Answer.json({"access_token": "t", "expires_in": "soon"}), InvalidResponseError),
        (Answer.json({"access_token": "", "expires_in": 100}), InvalidResponseError),
        (Answer(200, b"<html>echo client_secret=test-secret-key-456</html>", "text/html"), InvalidResponseError),
    ],
)
def test_token_endpoint_oddities_raise_sdk_errors(responder: Responder, answer: Answer, exception: type) -> None:
    responder.route(TOKEN_PATH, answer)
    with client(responder) as ocr, pytest.raises(exception) as caught:
        ocr.general_basic(image_bytes())
    assert SECRET_KEY not in str(caught.value)
    assert SECRET_KEY not in getattr(caught.value, "body_excerpt", "")


@respx.mock(assert_all_called=False)
def test_transport_errors_keep_no_reference_to_the_url_with_the_token(respx_mock: respx.MockRouter) -> None:
    respx_mock.post("http://baidu.test/rest/2.0/ocr/v1/general_basic").mock(side_effect=httpx.ConnectError("refused"))
    ocr = OCR(access_token="24.secret-token", base_url="http://baidu.test", max_retries=0)
    with ocr, pytest.raises(ConnectionFailedError) as caught:
        ocr.general_basic(image_bytes())
    assert caught.value.__context__ is None
    assert caught.value.__cause__ is None


def test_loopback_service_is_never_proxied(responder: Responder, monkeypatch: pytest.MonkeyPatch) -> None:
    baidu(responder, success(["direct"]))
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:9")
    with client(responder) as ocr:
        assert ocr.general_basic(image_bytes()).lines == ["direct"]


def test_unreadable_path_is_an_item_error_not_a_crash(responder: Responder, tmp_path: object) -> None:
    baidu(responder, success(["ok"]))
    with client(responder) as ocr:
        items = list(ocr.recognize_many(["x" * 5000, str(tmp_path), image_bytes()]))
    assert [item.ok for item in items] == [False, False, True]
    assert "cannot read" in str(items[0].error)


def test_stopping_early_sends_no_more_requests(responder: Responder) -> None:
    baidu(responder, Answer(200, success(["x"]).body, delay=0.2))
    with client(responder) as ocr:
        for _item in ocr.recognize_many([image_bytes()] * 20, concurrency=2):
            break
    threading.Event().wait(0.5)
    assert len(responder.calls(GENERAL_PATH)) <= 6
