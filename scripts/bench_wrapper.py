"""Benchmark the wrapper: body encoding against base64 alone, and requests/s against raw httpx.

Run: ``python scripts/bench_wrapper.py`` (needs the ``server`` extra for uvicorn). Prints one table; it asserts
nothing. The local responder answers every POST with a fixed OCR result, so the figures measure client overhead.
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlencode

import httpx
import uvicorn

from baidu_ocr import OCR
from baidu_ocr_client.form import encode_file as encode_binary_field

ANSWER = b'{"log_id": 1, "words_result_num": 1, "words_result": [{"words": "hello"}]}'
TOKEN = b'{"access_token": "24.bench", "expires_in": 2592000}'
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


async def responder(scope: Scope, receive: Receive, send: Send) -> None:
    """A minimal ASGI app playing Baidu: a token, then the same OCR result for every request."""
    if scope["type"] != "http":
        return
    more = True
    while more:
        more = (await receive()).get("more_body", False)
    body = TOKEN if scope["path"] == "/oauth/2.0/token" else ANSWER
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": body})


def best_of(runs: int, action: Callable[[], object]) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return min(timings)


def bench_encoding(size: int, runs: int) -> None:
    data = os.urandom(size)
    b64 = best_of(runs, lambda: base64.b64encode(data))
    ours = best_of(runs, lambda: encode_binary_field(data))
    stdlib = best_of(max(1, runs // 5), lambda: urlencode({"image": base64.b64encode(data)}))
    print(f"encoding a {size / 1e6:.1f} MB image (best of {runs})")
    print(f"  base64.b64encode alone          {b64 * 1000:8.1f} ms   1.00x")
    print(f"  baidu_ocr base64 + form escape  {ours * 1000:8.1f} ms   {ours / b64:.2f}x")
    print(f"  urllib.parse.urlencode(base64)  {stdlib * 1000:8.1f} ms  {stdlib / b64:5.2f}x")


def start_responder() -> tuple[uvicorn.Server, str]:
    config = uvicorn.Config(responder, host="127.0.0.1", port=0, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"


def bench_requests(requests: int, image_size: int) -> None:
    server, base_url = start_responder()
    image = _png_of_size(image_size)
    body = b"image=" + encode_binary_field(image)
    rates: dict[str, list[float]] = {"raw httpx.Client": [], "baidu_ocr.OCR": []}
    with httpx.Client(base_url=base_url) as raw, OCR("k", "s", base_url=base_url) as ocr:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}

        def raw_call() -> None:
            raw.post("/rest/2.0/ocr/v1/general_basic", params={"access_token": "24.bench"}, content=body,
                     headers=headers).json()  # fmt: skip

        def sdk_call() -> None:
            ocr.general_basic(image)

        for _ in range(20):
            raw_call()
            sdk_call()
        for _ in range(3):
            for name, call in (("raw httpx.Client", raw_call), ("baidu_ocr.OCR", sdk_call)):
                elapsed = best_of(1, lambda call=call: [call() for _ in range(requests)])  # type: ignore[misc]
                rates[name].append(requests / elapsed)
    server.should_exit = True
    size = f"{len(image) / 1e3:.0f} kB image"
    print(f"\nrequests/s to a local responder ({requests} sequential requests, {size}, median of 3)")
    raw_rate = statistics.median(rates["raw httpx.Client"])
    for name, values in rates.items():
        rate = statistics.median(values)
        print(f"  {name:<18} {rate:8.0f} req/s   {rate / raw_rate:.2f}x")
    print("  (OCR checks, encodes and parses on every call; raw httpx posts a body encoded once)")


def _png_of_size(size: int) -> bytes:
    import io

    from PIL import Image

    side = max(16, int((size / 3) ** 0.5))
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, format="PNG")
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--image-mb", type=float, default=7.0)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--request-image-kb", type=int, default=50)
    args = parser.parse_args()
    bench_encoding(int(args.image_mb * 1024 * 1024), args.runs)
    bench_requests(args.requests, args.request_image_kb * 1024)


if __name__ == "__main__":
    main()
