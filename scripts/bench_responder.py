"""The local responder the client benchmarks post to: a minimal ASGI app playing Baidu on 127.0.0.1.

It reads each request's whole body and answers a token for the token path and the same small OCR result for
everything else, so the benchmarks measure client overhead, not OCR.
"""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import uvicorn
from PIL import Image

__all__ = ["ANSWER", "TOKEN", "png_of_size", "responder", "start_responder"]

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


def start_responder() -> tuple[uvicorn.Server, str]:
    """The responder on a free port of 127.0.0.1, in a thread; returns the server and its base URL."""
    config = uvicorn.Config(responder, host="127.0.0.1", port=0, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"


def png_of_size(size: int) -> bytes:
    """A PNG of random pixels of about ``size`` bytes (random pixels do not compress)."""
    side = max(16, int((size / 3) ** 0.5))
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, format="PNG")
    return buffer.getvalue()
