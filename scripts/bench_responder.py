"""The local responder the client benchmarks post to: a minimal ASGI app playing Baidu on 127.0.0.1.

It reads each request's whole body and answers a token for the token path and the same small OCR result for
everything else, so the benchmarks measure client overhead, not OCR.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

__all__ = ["ANSWER", "TOKEN", "png_of_size", "responder", "running_responder"]

ANSWER = b'{"log_id": 1, "words_result_num": 1, "words_result": [{"words": "hello"}]}'
TOKEN = b'{"access_token": "24.bench", "expires_in": 2592000}'
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


async def responder(scope: Scope, receive: Receive, send: Send) -> None:
    """A token for the token path, the same OCR result for every other request."""
    if scope["type"] != "http":
        return
    more = True
    while more:
        more = (await receive()).get("more_body", False)
    body = TOKEN if scope["path"] == "/oauth/2.0/token" else ANSWER
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": body})


@contextmanager
def running_responder() -> Iterator[str]:
    """The responder in its own process (as a real server is: it takes no CPU time or GIL from the client), on a
    free port of 127.0.0.1; yields its base URL and stops it afterwards."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = f"import uvicorn, bench_responder; uvicorn.run(bench_responder.responder, host='127.0.0.1', port={port}, "
    code += "log_level='warning', access_log=False)"
    process = subprocess.Popen([sys.executable, "-c", code], cwd=Path(__file__).parent)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(base_url, timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the responder did not start") from None
                time.sleep(0.1)
        yield base_url
    finally:
        process.terminate()
        process.wait(10)


def png_of_size(size: int) -> bytes:
    """A PNG of random pixels of about ``size`` bytes (random pixels do not compress)."""
    side = max(16, int((size / 3) ** 0.5))
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, format="PNG")
    return buffer.getvalue()
