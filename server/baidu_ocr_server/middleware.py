"""Outermost ASGI middleware: one access-log line per request, and a JSON 282000 for any escaped exception.

The log line holds method, path (never the query string, which carries ``access_token``), status, Baidu error
code, duration and app id; never tokens, secrets or bodies. Handlers add ``app`` / ``error_code`` to
``scope[LOG_KEY]``. Run uvicorn with ``access_log=False``: its own line would print the query string.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from baidu_ocr_spec import ErrorCode

from .responses import new_log_id, ocr_error

__all__ = ["LOG_KEY", "AccessLogMiddleware", "access_logger"]

LOG_KEY = "baidu_ocr_server.log"
access_logger = logging.getLogger("baidu_ocr_server.access")
_error_logger = logging.getLogger("baidu_ocr_server")


class AccessLogMiddleware:
    """Logs each HTTP request to ``baidu_ocr_server.access`` and turns escaped exceptions into 282000."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        info: dict[str, Any] = scope.setdefault(LOG_KEY, {})
        started = time.perf_counter()
        status = 0

        async def send_and_record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_record)
        except Exception:
            _error_logger.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            info["error_code"] = ErrorCode.INTERNAL_ERROR
            if status == 0:
                path: str = scope.get("path", "")
                response = ocr_error(ErrorCode.INTERNAL_ERROR, new_log_id(), 200 if path.startswith("/rest/") else 500)
                await response(scope, receive, send_and_record)
        finally:
            access_logger.info(
                "%s %s %d error_code=%s app=%s %.1fms",
                scope.get("method", "-"),
                scope.get("path", "-"),
                status,
                info.get("error_code", "-"),
                info.get("app", "-"),
                (time.perf_counter() - started) * 1000,
            )
