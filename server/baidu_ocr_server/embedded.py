"""Run the service inside the current process: uvicorn in a background thread on 127.0.0.1, on a free port.

::

    with LocalService() as service:           # demo app, shared engine
        token = httpx.post(service.base_url + "/oauth/2.0/token", data={
            "grant_type": "client_credentials", "client_id": service.api_key, "client_secret": service.secret_key,
        }).json()["access_token"]

Every service in a process shares one OCR engine (models load once, on first use or in the background at
start-up) unless it is given an ``engine`` or ``share_engine=False``. Without a configured signing key each
service signs with its own random key (its tokens are meant for this process only).
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from types import TracebackType
from typing import Self

import httpx
import uvicorn
from starlette.applications import Starlette

from .app import create_app
from .config import ServiceConfig
from .connections import ConnectionLimits, GuardedServerConfig
from .controls import TestControls
from .engine import OCREngine, RapidOCREngine
from .engine_loader import shared_engine
from .tokens import random_signing_key

__all__ = ["LocalService"]


class LocalService:
    """The service on ``http://127.0.0.1:<port>`` in a daemon thread; :meth:`start` / :meth:`stop` or ``with``.

    - ``config``: apps, limits, … (``host`` and ``port`` are ignored: it binds 127.0.0.1 and ``port``).
    - ``engine``: use this engine (e.g. a fake in tests); else the process-wide shared engine, or a private
      one with ``share_engine=False``.
    - ``wait_for_engine``: make :meth:`start` return only once the engine is loaded.
    - ``test_controls``: install fault injection and the request journal (for tests; off by default).
    """

    def __init__(
        self,
        config: ServiceConfig | None = None,
        *,
        engine: OCREngine | None = None,
        share_engine: bool = True,
        port: int = 0,
        wait_for_engine: bool = False,
        startup_timeout: float = 120.0,
        test_controls: TestControls | None = None,
    ) -> None:
        config = config or ServiceConfig()
        if config.signing_key is None:
            config = replace(config, signing_key=random_signing_key())
        self.config = config
        self._engine = engine
        self._share_engine = share_engine
        self._port = port
        self._wait_for_engine = wait_for_engine
        self._startup_timeout = startup_timeout
        self.test_controls = test_controls
        """Fault injection and the request journal (see :mod:`.controls`), when given."""
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._base_url: str | None = None
        self.app: Starlette | None = None
        """The ASGI app while running (e.g. ``app.state.service`` for introspection in tests)."""

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>`` (only once started)."""
        if self._base_url is None:
            raise RuntimeError("the service is not running")
        return self._base_url

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])

    @property
    def api_key(self) -> str:
        """The first configured app's API key (``client_id``); ``local-api-key`` for the demo app."""
        return self.config.apps[0].client_id

    @property
    def secret_key(self) -> str:
        """The first configured app's secret key; ``local-secret-key`` for the demo app."""
        return self.config.apps[0].client_secret

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> Self:
        """Start serving and return once ``/healthz`` answers (and the engine is loaded, if asked)."""
        if self._server is not None:
            raise RuntimeError("already started")
        loader = shared_engine if self._share_engine else RapidOCREngine
        app = self.app = create_app(self.config, self._engine, engine_loader=loader, test_controls=self.test_controls)
        server = uvicorn.Server(
            GuardedServerConfig(
                app,
                ConnectionLimits.from_config(self.config),
                host="127.0.0.1",
                port=self._port,
                access_log=False,
                log_config=None,
                log_level="warning",
                lifespan="on",
                timeout_graceful_shutdown=5,
            )
        )
        thread = threading.Thread(target=server.run, name="baidu-ocr-local-service", daemon=True)
        self._server, self._thread = server, thread
        thread.start()
        deadline = time.monotonic() + self._startup_timeout
        try:
            while not server.started:
                if not thread.is_alive():
                    raise RuntimeError("the local OCR service failed to start (see the log)")
                if time.monotonic() > deadline:
                    raise TimeoutError("the local OCR service did not start in time")
                time.sleep(0.01)
            port = server.servers[0].sockets[0].getsockname()[1]
            self._base_url = f"http://127.0.0.1:{port}"
            self._wait_healthy(deadline)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_healthy(self, deadline: float) -> None:
        with httpx.Client(base_url=self.base_url, timeout=5.0, trust_env=False) as client:
            while True:
                try:
                    health = client.get("/healthz").json()
                    if not self._wait_for_engine or health.get("engine_loaded"):
                        return
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError("the local OCR service did not become healthy in time")
                time.sleep(0.05)

    def stop(self) -> None:
        """Stop serving and wait for the thread (idempotent)."""
        server, thread = self._server, self._thread
        if server is not None:
            server.should_exit = True
        if thread is not None and thread.is_alive():
            thread.join(timeout=30)
        self._server = self._thread = None
        self._base_url = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
