"""Fixtures for the service tests: running services with a fake engine, a redirecting server."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest
from servicekit import Api, FakeEngine, Redirector, make_config

from baidu_ocr_server.config import ServiceConfig
from baidu_ocr_server.embedded import LocalService


def _api(config: ServiceConfig) -> Iterator[Api]:
    engine = FakeEngine()
    with (
        LocalService(config, engine=engine) as service,
        httpx.Client(base_url=service.base_url, timeout=30.0, trust_env=False) as http,
    ):
        yield Api(service, engine, http)


@pytest.fixture(scope="session")
def _closed_api() -> Iterator[Api]:
    yield from _api(make_config())


@pytest.fixture(scope="session")
def _open_api() -> Iterator[Api]:
    yield from _api(make_config(allow_private_urls=True, fetch_timeout=1.0, fetch_max_bytes=200_000))


@pytest.fixture
def api(_closed_api: Api) -> Api:
    """The service with private ``url`` destinations refused (the default)."""
    _closed_api.engine.reset()
    return _closed_api


@pytest.fixture
def open_api(_open_api: Api) -> Api:
    """The service with ``allow_private_urls`` (so the loopback ``responder`` is reachable), 1 s fetch timeout."""
    _open_api.engine.reset()
    return _open_api


@pytest.fixture
def redirector() -> Iterator[Redirector]:
    running = Redirector()
    thread = threading.Thread(target=running.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield running
    finally:
        running.server.shutdown()
        running.server.server_close()
