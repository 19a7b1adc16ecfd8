"""The service under hostile input and load (issue 9): bombs, backpressure, abandoned and slow clients, connection
floods, oversize heads. Real HTTP and raw sockets against 127.0.0.1, bounded loops, no timed assertions."""

from __future__ import annotations

import json
import resource
import select
import socket
import threading
import zlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from bombs import big_png, jpeg_of, pdf_flate_bomb, pdf_huge_page, png_bomb, png_text_bomb
from servicekit import ACCURATE, GENERAL, Api, FakeEngine, GatedEngine, b64, make_config, png, wait_until

from baidu_ocr_server.budget import PixelBudget, PixelBudgetError
from baidu_ocr_server.connections import FD_RESERVE, raise_open_file_limit
from baidu_ocr_server.embedded import LocalService
from baidu_ocr_server.engine import ACCURATE as ACCURATE_PROFILE
from baidu_ocr_server.engine import STANDARD


@pytest.fixture(scope="module")
def tight() -> Iterator[Api]:
    """A service with a small pixel budget and a small, fast-failing PDF renderer."""
    config = make_config(pixel_budget=4 * 1024 * 1024, pdf_memory_mb=256)
    engine = FakeEngine()
    with (
        LocalService(config, engine=engine) as service,
        httpx.Client(base_url=service.base_url, timeout=60.0, trust_env=False) as http,
    ):
        yield Api(service, engine, http)


@pytest.fixture
def api_tight(tight: Api) -> Api:
    tight.engine.reset()
    return tight


# --- decompression bombs and big images --------------------------------------------------------------------------


def test_png_within_limits_is_decoded_within_the_budget_and_scaled_down(api_tight: Api) -> None:
    body = api_tight.ocr(GENERAL, image=b64(big_png(2048, 2048)))  # 4 Mpx: exactly the budget
    assert body["words_result_num"] == 3
    assert api_tight.engine.calls[0].size == (STANDARD.max_side_len, STANDARD.max_side_len)


def test_png_over_the_pixel_budget_is_refused_216202(api_tight: Api) -> None:
    bomb = png_bomb(4096, 4096)  # 64 MB of RGBA from a small file, within general_basic's sides
    assert len(bomb) < 200_000
    assert api_tight.ocr(GENERAL, image=b64(bomb))["error_code"] == 216202
    assert api_tight.engine.calls == []


def test_jpeg_is_downscaled_while_decoding(api_tight: Api) -> None:
    # 16 Mpx would not fit the 4 Mpx budget, but draft mode decodes it at 1/2 scale (4 Mpx, then fitted).
    body = api_tight.ocr(GENERAL, image=b64(jpeg_of(4096, 4096, quality=30)))
    assert body["words_result_num"] == 3
    assert api_tight.engine.calls[0].size == (STANDARD.max_side_len, STANDARD.max_side_len)


def test_largest_accurate_bomb_is_refused_by_the_default_budget_or_decoded_and_fitted_within_a_larger_one() -> None:
    bomb = b64(png_bomb(8192, 8192))  # 268 MB of RGBA, the largest accurate_basic accepts, in 260 KB
    engine = FakeEngine()
    for budget, expected in ((None, 216202), (8192 * 8192, 0)):
        config = make_config() if budget is None else make_config(pixel_budget=budget)
        with (
            LocalService(config, engine=engine) as service,
            httpx.Client(base_url=service.base_url, timeout=60.0, trust_env=False) as http,
        ):
            assert Api(service, engine, http).ocr(ACCURATE, image=bomb).get("error_code", 0) == expected
    side = ACCURATE_PROFILE.max_side_len
    assert [call.size for call in engine.calls] == [(side, side)]


def test_engine_max_side_bounds_the_page_handed_to_the_engine() -> None:
    engine = FakeEngine()
    with (
        LocalService(make_config(engine_max_side=1000), engine=engine) as service,
        httpx.Client(base_url=service.base_url, timeout=60.0, trust_env=False) as http,
    ):
        api = Api(service, engine, http)
        assert api.ocr(ACCURATE, image=b64(big_png(3000, 1500)))["words_result_num"] == 3
        assert api.ocr(ACCURATE, pdf_file=b64(pdf_huge_page(2000)))["words_result_num"] == 3
        assert api.ocr(ACCURATE, image=b64(png(800, 600)))["words_result_num"] == 3
    assert [call.size for call in engine.calls] == [(1000, 500), (1000, 1000), (800, 600)]


def test_header_declaring_a_huge_image_is_refused_before_decoding(api: Api) -> None:
    small = png_bomb(16, 16)
    ihdr = b"IHDR" + (65535).to_bytes(4, "big") * 2 + b"\x08\x06\0\0\0"
    fake = small[:12] + ihdr + (zlib.crc32(ihdr) & 0xFFFFFFFF).to_bytes(4, "big") + small[33:]
    assert api.ocr(ACCURATE, image=b64(fake))["error_code"] == 216202
    assert api.engine.calls == []


def test_png_text_chunk_bomb_is_answered(api: Api) -> None:
    body = api.ocr(image=b64(png_text_bomb(64 * 1024 * 1024)))
    assert body.get("words_result_num") == 3 or body.get("error_code") == 216201


def test_pdf_content_stream_bomb_is_refused_216202(api_tight: Api) -> None:
    bomb = pdf_flate_bomb(512 * 1024 * 1024)  # inflates to twice the renderer's 256 MiB
    assert len(bomb) < 1_000_000
    assert api_tight.ocr(pdf_file=b64(bomb))["error_code"] == 216202
    # the renderer comes back for the next document
    assert api_tight.ocr(pdf_file=b64(pdf_huge_page(1000)))["words_result_num"] == 3


def test_pdf_huge_page_is_rendered_no_larger_than_the_engine_reads(api: Api) -> None:
    body = api.ocr(GENERAL, pdf_file=b64(pdf_huge_page(14400)))
    assert body["pdf_file_size"] == "1"
    assert api.engine.calls[0].size == (STANDARD.max_side_len, STANDARD.max_side_len)


def test_pdf_render_timeout_216202() -> None:
    engine = FakeEngine()
    with (
        LocalService(make_config(pdf_timeout=0.001), engine=engine) as service,
        httpx.Client(base_url=service.base_url, timeout=60.0, trust_env=False) as http,
    ):
        api = Api(service, engine, http)
        assert api.ocr(pdf_file=b64(pdf_huge_page(1000)))["error_code"] == 216202
        assert engine.calls == []


# --- backpressure and abandoned clients --------------------------------------------------------------------------


@pytest.fixture
def gated() -> Iterator[tuple[Api, GatedEngine]]:
    engine = GatedEngine()
    config = make_config(queue_depth=2, engine_threads=1)
    with (
        LocalService(config, engine=engine) as service,
        httpx.Client(base_url=service.base_url, timeout=60.0, trust_env=False) as http,
    ):
        try:
            yield Api(service, engine, http), engine
        finally:
            engine.gate.set()


def _service(api: Api) -> Any:
    assert api.service.app is not None
    return api.service.app.state.service


def _in_background(api: Api, token: str, results: list[dict[str, Any]]) -> threading.Thread:
    def call() -> None:
        with httpx.Client(base_url=api.service.base_url, timeout=60.0, trust_env=False) as http:
            response = http.post(GENERAL, params={"access_token": token}, data={"image": b64(png())})
            results.append(response.json())

    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    return thread


def test_full_queue_answers_18_at_once(gated: tuple[Api, GatedEngine]) -> None:
    api, engine = gated
    token = api.token()
    results: list[dict[str, Any]] = []
    threads = [_in_background(api, token, results) for _ in range(2)]
    wait_until(lambda: _service(api).pending == 2 and engine.inside == 1, "two requests held, one recognizing")
    refused = api.ocr(token=token, image=b64(png()))
    assert refused["error_code"] == 18
    assert refused["error_msg"] == "Open api qps request limit reached"
    big = urlencode({"image": b64(png()) + "A" * 4_000_000}).encode()  # refused unread, then drained
    assert api.post(GENERAL, token, big).json()["error_code"] == 18
    engine.gate.set()
    for thread in threads:
        thread.join(60)
    assert [r["words_result_num"] for r in results] == [3, 3]
    assert api.ocr(token=token, image=b64(png()))["words_result_num"] == 3


def test_abandoned_request_is_dropped_before_recognition(gated: tuple[Api, GatedEngine]) -> None:
    api, engine = gated
    token = api.token()
    results: list[dict[str, Any]] = []
    first = _in_background(api, token, results)
    wait_until(lambda: engine.inside == 1, "the first request recognizing")
    body = urlencode({"image": b64(png(70, 40))}).encode()
    with socket.create_connection(("127.0.0.1", api.service.port), timeout=10) as sock:
        sock.sendall(_head("POST", f"{GENERAL}?access_token={token}", len(body)) + body)
        wait_until(lambda: _service(api).pending == 2, "the second request admitted and waiting")
    wait_until(lambda: _service(api).dropped == 1, "the abandoned request dropped")
    engine.gate.set()
    first.join(60)
    assert results[0]["words_result_num"] == 3
    assert [call.size for call in engine.calls] == [(64, 32)]  # the abandoned 70x40 image was never recognized
    assert _service(api).pending == 0


# --- connections -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def strict() -> Iterator[Api]:
    """Short timeouts so that the connection tests end quickly."""
    config = make_config(header_timeout=0.5, body_timeout=0.5, keep_alive_timeout=0.3, max_header_bytes=4096)
    engine = FakeEngine()
    with (
        LocalService(config, engine=engine) as service,
        httpx.Client(base_url=service.base_url, timeout=60.0, trust_env=False) as http,
    ):
        yield Api(service, engine, http)


def _head(method: str, target: str, length: int | None = None, extra: str = "") -> bytes:
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/x-www-form-urlencoded"]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n" + extra + "\r\n").encode()


def _until_closed(sock: socket.socket) -> bytes:
    data = bytearray()
    for _ in range(10_000):
        chunk = sock.recv(65536)
        if not chunk:
            return bytes(data)
        data += chunk
    raise AssertionError("the server never closed the connection")


def _answer(raw: bytes) -> tuple[int, dict[str, str], dict[str, Any]]:
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    parsed: dict[str, Any] = json.loads(body)
    return int(status_line.split()[1]), headers, parsed


def _connect(api: Api) -> socket.socket:
    return socket.create_connection(("127.0.0.1", api.service.port), timeout=20)


def test_idle_connection_is_closed_silently(strict: Api) -> None:
    with _connect(strict) as sock:
        assert _until_closed(sock) == b""


def test_half_sent_head_is_answered_408_json(strict: Api) -> None:
    with _connect(strict) as sock:
        sock.sendall(b"POST /rest/2.0/ocr/v1/general_basic HTTP/1.1\r\nHost: x\r\n")
        status, headers, body = _answer(_until_closed(sock))
    assert (status, body["error_code"], body["error_msg"]) == (408, 282000, "internal error")
    assert headers["content-type"] == "application/json"
    assert headers["connection"] == "close"


def test_dripping_head_is_cut_off_by_the_header_timeout(strict: Api) -> None:
    head = _head("GET", "/healthz")
    with _connect(strict) as sock:
        for byte in head[:-1]:  # a byte every 20 ms, never the last one: longer than the 0.5 s header timeout
            if select.select([sock], [], [], 0.02)[0]:
                break  # the server has answered
            try:
                sock.send(bytes([byte]))
            except OSError:
                break
        status, _headers, body = _answer(_until_closed(sock))
    assert (status, body["error_code"]) == (408, 282000)


def test_half_sent_body_is_answered_282000_and_closed(strict: Api) -> None:
    token = strict.token()
    with _connect(strict) as sock:
        sock.sendall(_head("POST", f"{GENERAL}?access_token={token}", 1000) + b"image=abc")
        status, headers, body = _answer(_until_closed(sock))
    assert (status, body["error_code"]) == (200, 282000)
    assert headers["connection"] == "close"


def test_keep_alive_connection_is_closed_when_idle(strict: Api) -> None:
    with _connect(strict) as sock:
        sock.sendall(_head("GET", "/healthz"))
        raw = _until_closed(sock)
    assert raw.startswith(b"HTTP/1.1 200")
    assert b'"status":"ok"' in raw


@pytest.mark.parametrize("piecewise", [False, True])
@pytest.mark.parametrize("where", ["header", "request line"])
def test_oversize_head_is_answered_431_json(strict: Api, piecewise: bool, where: str) -> None:
    long = "x" * 8000
    head = _head("GET", "/healthz", extra=f"X-Long: {long}\r\n") if where == "header" else _head("GET", "/" + long)
    with _connect(strict) as sock:
        try:
            if piecewise:
                for start in range(0, len(head), 1000):
                    sock.sendall(head[start : start + 1000])
            else:
                sock.sendall(head)
        except OSError:
            pass  # the server may answer and close before all of it is sent
        status, _headers, body = _answer(_until_closed(sock))
    assert (status, body["error_code"], body["error_msg"]) == (431, 216103, "param too long")


def test_malformed_head_is_answered_400_json(strict: Api) -> None:
    with _connect(strict) as sock:
        sock.sendall(b"THIS IS NOT HTTP\r\n\r\n")
        status, _headers, body = _answer(_until_closed(sock))
    assert (status, body["error_code"]) == (400, 216100)


def test_full_connection_cap_with_nobody_idle_answers_18() -> None:
    engine = GatedEngine()
    with (
        LocalService(make_config(max_connections=2, engine_threads=1), engine=engine) as service,
        httpx.Client(base_url=service.base_url, timeout=60.0, trust_env=False) as http,
    ):
        api = Api(service, engine, http)
        token = api.token()
        http.close()  # its keep-alive connection would be the one evicted
        results: list[dict[str, Any]] = []
        threads = [_in_background(api, token, results) for _ in range(2)]
        try:
            wait_until(lambda: _service(api).pending == 2, "two requests busy")
            with _connect(api) as sock:
                status, _headers, body = _answer(_until_closed(sock))
            assert (status, body["error_code"]) == (503, 18)
        finally:
            engine.gate.set()
            for thread in threads:
                thread.join(60)
        assert [r["words_result_num"] for r in results] == [3, 3]


def test_service_answers_while_thousands_of_idle_and_dripping_connections_are_open() -> None:
    soft = raise_open_file_limit(2 * 1600 + FD_RESERVE + 100)
    room = (soft - FD_RESERVE - 100) // 2  # each connection costs two fds here (client and server ends)
    cap = min(1000, room * 2 // 3)
    flood = min(cap + 500, room)  # more than the cap: the longest-idle ones must make room
    assert flood > cap > 100, f"open-file limit too low: {resource.getrlimit(resource.RLIMIT_NOFILE)}"
    config = make_config(max_connections=cap, header_timeout=600, keep_alive_timeout=600)
    engine = FakeEngine()
    sockets: list[socket.socket] = []
    with LocalService(config, engine=engine) as service:
        try:
            for index in range(flood):
                sock = socket.create_connection(("127.0.0.1", service.port), timeout=20)
                if index % 2:
                    sock.sendall(b"POST /rest/2.0/ocr/v1/general_basic HTTP/1.1\r\nHost: x\r\n")  # and no more
                sockets.append(sock)
            with httpx.Client(base_url=service.base_url, timeout=60.0, trust_env=False) as http:
                api = Api(service, engine, http)
                for _ in range(3):
                    assert http.get("/healthz").json()["status"] == "ok"
                assert api.ocr(image=b64(png()))["words_result_num"] == 3
            server = service._server
            assert server is not None
            assert len(server.server_state.connections) <= cap
        finally:
            for sock in sockets:
                sock.close()


# --- the pixel budget itself -------------------------------------------------------------------------------------


def test_pixel_budget_holds_back_what_does_not_fit_and_refuses_what_never_can() -> None:
    budget = PixelBudget(100)
    entered = threading.Event()
    with pytest.raises(PixelBudgetError), budget.reserve(101):
        pass
    with budget.reserve(60):

        def second() -> None:
            with budget.reserve(50):
                entered.set()

        thread = threading.Thread(target=second, daemon=True)
        thread.start()
        assert not entered.wait(0.2)  # 60 + 50 > 100: it waits
    thread.join(10)
    assert entered.is_set()
