"""The SDK against hostile or broken servers: it bounds what it reads and how long a call takes, and every bad
answer is a ``BaiduOCRError``. Real servers on 127.0.0.1 (the responder, or a raw socket server that drips)."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from baidu_fakes import API_KEY, GENERAL_PATH, SECRET_KEY, TOKEN_PATH, baidu, image_bytes, token_answer
from responder import Answer, Responder

from baidu_ocr import (
    OCR,
    AipOcr,
    AsyncOCR,
    AuthenticationError,
    Backoff,
    BaiduOCRError,
    InvalidResponseError,
    OCRResult,
    RequestTimeoutError,
)

NO_WAIT = Backoff(initial=0, maximum=0, jitter=0)
OCR_ANSWER_HEAD = b'{"log_id": 1, "words_result_num": 1, "words_result": [{"words": "'


def client(responder: Responder, **kwargs: object) -> OCR:
    return OCR(API_KEY, SECRET_KEY, base_url=responder.base_url, backoff=NO_WAIT, **kwargs)  # type: ignore[arg-type]


def test_an_answer_over_max_response_bytes_is_refused(responder: Responder) -> None:
    baidu(responder, Answer(200, OCR_ANSWER_HEAD + b"x" * 200_000 + b'"}]}'))
    capped = client(responder, max_response_bytes=100_000, max_retries=0)
    with capped as ocr, pytest.raises(InvalidResponseError, match="max_response_bytes"):
        ocr.general_basic(image_bytes())
    with client(responder) as ocr:  # the default (32 MiB) lets a real answer through
        assert ocr.general_basic(image_bytes()).lines == ["x" * 200_000]


def test_the_size_cap_holds_while_streaming_without_content_length(responder: Responder) -> None:
    """A chunked answer (no Content-Length) is cut off as soon as it passes the cap."""
    chunked = _chunked(OCR_ANSWER_HEAD + b"y" * 500_000)
    with (
        drip_server(head=b"Transfer-Encoding: chunked\r\n", body=chunked) as url,
        OCR(access_token="24.t", base_url=url, max_response_bytes=50_000, max_retries=0) as ocr,
        pytest.raises(InvalidResponseError, match="max_response_bytes"),
    ):
        ocr.general_basic(image_bytes())


@pytest.mark.parametrize(
    "body",
    [
        b'{"error_code": ' + b"9" * 5000 + b', "error_msg": "x"}',  # more digits than Python reads
        b'{"log_id": "' + b"7" * 5000 + b'", "error_code": 18, "error_msg": "x"}',
        b"[" * 100_000 + b"]" * 100_000,  # nesting deeper than the recursion limit
        b'{"log_id": 1, "words_result_num": 1, "words_result": [{"words": 5}], "direction": "up"}',
    ],
)
def test_hostile_answers_raise_sdk_errors(responder: Responder, body: bytes) -> None:
    """A result or a ``BaiduOCRError``, never ``ValueError``/``RecursionError``/``OverflowError`` from the parser;
    ``AipOcr`` answers no made-up "invalid param" for them."""
    baidu(responder, Answer(200, body))
    with client(responder, max_retries=0) as ocr:
        try:
            outcome: object = ocr.general_basic(image_bytes())
        except BaiduOCRError as error:
            outcome = error
        assert isinstance(outcome, OCRResult | BaiduOCRError)
        assert len(str(outcome)) < 1000
    aip = AipOcr("app", API_KEY, SECRET_KEY, base_url=responder.base_url)
    try:
        answer = aip.basicGeneral(image_bytes())
    except BaiduOCRError:
        answer = {}
    finally:
        aip.close()
    assert answer.get("error_code") != 216100


def test_a_token_expiring_in_1e999_seconds_is_an_sdk_error(responder: Responder) -> None:
    responder.route(TOKEN_PATH, Answer(200, b'{"access_token": "24.t", "expires_in": 1e999}'))
    with client(responder) as ocr, pytest.raises(InvalidResponseError, match="access_token / expires_in"):
        ocr.general_basic(image_bytes())


def test_echoed_credentials_are_redacted_from_errors_and_raw(responder: Responder) -> None:
    echo = {"error": "invalid_client", "error_description": f"bad client_id={API_KEY}&client_secret={SECRET_KEY}"}
    responder.route(TOKEN_PATH, Answer.json(echo, 401))
    with client(responder) as ocr, pytest.raises(AuthenticationError) as caught:
        ocr.general_basic(image_bytes())
    shown = f"{caught.value} {caught.value!r} {caught.value.raw}"
    assert SECRET_KEY not in shown
    assert API_KEY not in shown
    assert "***" in str(caught.value.raw)


def test_a_server_dripping_its_answer_is_cut_off_at_the_deadline() -> None:
    """``timeout`` bounds each read; a byte a second never trips it. ``deadline`` bounds the call."""
    with (
        drip_server(head=b"Content-Length: 100000\r\n", body=OCR_ANSWER_HEAD + b"z" * 99_000, every=0.05) as url,
        OCR(access_token="24.t", base_url=url, timeout=5, deadline=0.5) as ocr,
        pytest.raises(RequestTimeoutError, match="deadline"),
    ):
        ocr.general_basic(image_bytes())


def test_the_async_client_cuts_off_a_server_dripping_its_headers() -> None:
    async def call(url: str) -> None:
        async with AsyncOCR(access_token="24.t", base_url=url, timeout=5, deadline=0.5) as ocr:
            await ocr.general_basic(image_bytes())

    slow_head = b"X-Slow: " + b"a" * 5000 + b"\r\n"
    with drip_server(head=slow_head, body=b"{}", every=0.05, drip_head=True) as url, pytest.raises(RequestTimeoutError):
        asyncio.run(call(url))


def test_retries_stop_at_the_deadline(responder: Responder) -> None:
    responder.route(TOKEN_PATH, token_answer())
    responder.route(GENERAL_PATH, Answer(200, b'{"error_code": 18, "error_msg": "qps"}', delay=0.2))
    slow = Backoff(initial=0.3, maximum=0.3, jitter=0)
    patient = OCR(API_KEY, SECRET_KEY, base_url=responder.base_url, backoff=slow, max_retries=50, deadline=1.0)
    with patient as ocr, pytest.raises(BaiduOCRError):
        ocr.general_basic(image_bytes())
    assert len(responder.calls(GENERAL_PATH)) < 10  # 50 retries allowed; the deadline stopped them


def _chunked(body: bytes, size: int = 4096) -> bytes:
    parts = [b"%x\r\n%s\r\n" % (len(body[i : i + size]), body[i : i + size]) for i in range(0, len(body), size)]
    return b"".join(parts) + b"0\r\n\r\n"


@contextmanager
def drip_server(*, head: bytes, body: bytes, every: float = 0.0, drip_head: bool = False) -> Iterator[str]:
    """A one-connection-at-a-time HTTP server on 127.0.0.1 that answers every request with ``head`` + ``body``,
    sending one byte every ``every`` seconds (the headers too with ``drip_head``); it stops writing when the client
    hangs up or the block ends."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()
    status = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + head + b"\r\n"

    def send(connection: socket.socket, data: bytes, slowly: bool) -> None:
        if not slowly:
            connection.sendall(data)
            return
        for index in range(len(data)):
            if stop.wait(every):
                return
            connection.sendall(data[index : index + 1])

    def answer(connection: socket.socket) -> None:
        with connection:
            connection.settimeout(5)
            try:
                request = b""
                while b"\r\n\r\n" not in request:
                    request += connection.recv(65536)
                length = next(
                    (
                        int(line.split(b":")[1])
                        for line in request.split(b"\r\n")
                        if line.lower().startswith(b"content-length")
                    ),
                    0,
                )
                received = len(request.split(b"\r\n\r\n", 1)[1])
                while received < length:
                    received += len(connection.recv(65536))
                send(connection, status, drip_head)
                send(connection, body, every > 0)
            except OSError:
                return

    def run() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=answer, args=(connection,), daemon=True).start()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        listener.close()
