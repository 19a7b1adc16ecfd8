"""A small real HTTP server for tests: scripted answers per path, every request recorded."""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode("ascii"), keep_blank_values=True)


@dataclass(frozen=True)
class Answer:
    """What the server sends back."""

    status: int = 200
    body: bytes = b"{}"
    content_type: str = "application/json"
    delay: float = 0.0

    @classmethod
    def json(cls, payload: Any, status: int = 200) -> Answer:
        return cls(status=status, body=json.dumps(payload).encode())


Handler = Callable[[Recorded], Answer]


@dataclass
class Responder:
    """Routes by path; a route is a fixed answer, a queue of answers, or a function of the request."""

    base_url: str = ""
    requests: list[Recorded] = field(default_factory=list)
    _routes: dict[str, Handler] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def route(self, path: str, answer: Answer | Handler | list[Answer]) -> None:
        if isinstance(answer, Answer):
            self._routes[path] = lambda _request: answer
        elif isinstance(answer, list):
            queue = deque(answer)
            last = answer[-1]
            self._routes[path] = lambda _request: queue.popleft() if queue else last
        else:
            self._routes[path] = answer

    def calls(self, path: str) -> list[Recorded]:
        return [request for request in self.requests if request.path == path]

    def handle(self, request: Recorded) -> Answer:
        with self._lock:
            self.requests.append(request)
            handler = self._routes.get(request.path)
        if handler is None:
            return Answer(status=404, body=b"<html>not found</html>", content_type="text/html")
        return handler(request)


def _handler_class(responder: Responder) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self._serve()

        def do_GET(self) -> None:
            self._serve()

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            parts = urlsplit(self.path)
            request = Recorded(
                method=self.command,
                path=parts.path,
                query=parse_qs(parts.query),
                headers={key.lower(): value for key, value in self.headers.items()},
                body=body,
            )
            answer = responder.handle(request)
            if answer.delay:
                threading.Event().wait(answer.delay)
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    return _Handler


@contextmanager
def serve() -> Iterator[Responder]:
    """Run a :class:`Responder` on 127.0.0.1 on a free port for the duration of the block."""
    responder = Responder()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(responder))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    responder.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield responder
    finally:
        server.shutdown()
        server.server_close()
