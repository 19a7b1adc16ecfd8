"""LocalService: lifecycle, ports, concurrency bounds, and /healthz staying responsive during OCR."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from servicekit import DEMO_ID, DEMO_SECRET, GENERAL, TOKEN, FakeEngine, b64, make_config, png

from baidu_ocr_server.embedded import LocalService
from baidu_ocr_server.engine import EngineProfile, EngineResult


class BlockingEngine(FakeEngine):
    """Blocks every call until released; records how many calls ran at once."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.active = 0
        self.peak = 0
        self._lock = threading.Lock()

    def recognize(self, image: Any, profile: EngineProfile, detect_direction: bool) -> EngineResult:
        with self._lock:
            self.active += 1
            self.peak = max(self.peak, self.active)
        try:
            self.release.wait(10)
            time.sleep(0.05)
            return super().recognize(image, profile, detect_direction)
        finally:
            with self._lock:
                self.active -= 1


def _token(base_url: str) -> str:
    data = {"grant_type": "client_credentials", "client_id": DEMO_ID, "client_secret": DEMO_SECRET}
    return str(httpx.post(base_url + TOKEN, data=data).json()["access_token"])


def test_lifecycle() -> None:
    service = LocalService(engine=FakeEngine())
    with pytest.raises(RuntimeError):
        _ = service.base_url
    with service:
        assert service.running
        assert service.base_url.startswith("http://127.0.0.1:")
        assert service.port > 0
        assert (service.api_key, service.secret_key) == ("local-api-key", "local-secret-key")
        assert httpx.get(service.base_url + "/healthz").json()["status"] == "ok"
        url = service.base_url
    assert not _running(service)
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/healthz")


def test_two_services_side_by_side() -> None:
    with LocalService(engine=FakeEngine()) as one, LocalService(engine=FakeEngine()) as two:
        assert one.port != two.port
        token = _token(one.base_url)
        # no signing key configured: each service has its own random key
        response = httpx.post(two.base_url + GENERAL, params={"access_token": token}, data={"image": b64(png())})
        assert response.json()["error_code"] == 110


def test_services_sharing_a_signing_key_accept_each_others_tokens() -> None:
    config = make_config()
    with LocalService(config, engine=FakeEngine()) as one, LocalService(config, engine=FakeEngine()) as two:
        token = _token(one.base_url)
        response = httpx.post(two.base_url + GENERAL, params={"access_token": token}, data={"image": b64(png())})
        assert response.json()["words_result_num"] == 3


@pytest.mark.parametrize("threads", [1, 2])
def test_ocr_is_bounded_and_healthz_stays_responsive(threads: int) -> None:
    engine = BlockingEngine()
    with LocalService(make_config(engine_threads=threads), engine=engine) as service:
        token = _token(service.base_url)

        def ocr() -> dict[str, Any]:
            response = httpx.post(
                service.base_url + GENERAL, params={"access_token": token}, data={"image": b64(png())}, timeout=30
            )
            return dict(response.json())

        with ThreadPoolExecutor(4) as pool:
            futures = [pool.submit(ocr) for _ in range(4)]
            deadline = time.monotonic() + 10
            while engine.active < threads and time.monotonic() < deadline:
                time.sleep(0.02)
            # The engine holds its calls for up to 10 s: an answer within 5 s means /healthz is not queued behind them.
            assert httpx.get(service.base_url + "/healthz", timeout=5).status_code == 200
            assert engine.active == threads
            engine.release.set()
            results = [future.result() for future in futures]
    assert [r["words_result_num"] for r in results] == [3, 3, 3, 3]
    assert engine.peak == threads


def _running(service: LocalService) -> bool:
    """``service.running`` read afresh (mypy would keep the value narrowed inside the ``with`` block)."""
    return service.running
