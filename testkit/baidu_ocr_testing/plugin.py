"""The pytest plugin (entry point ``pytest11``): fixtures for testing code that uses Baidu OCR.

Nothing starts until a test asks for one of these fixtures; the service then runs once for the session.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from baidu_ocr import OCR, AsyncOCR
    from baidu_ocr_server.faults import FaultPlan
    from baidu_ocr_server.journal import RequestJournal

    from .service import OCRTestService

__all__ = ["async_ocr_client", "ocr_client", "ocr_env", "ocr_faults", "ocr_journal", "ocr_service"]


@pytest.fixture(scope="session")
def _baidu_ocr_session_service() -> Iterator[OCRTestService]:
    from .service import OCRTestService

    with OCRTestService() as service:
        yield service


@pytest.fixture
def ocr_service(_baidu_ocr_session_service: OCRTestService) -> Iterator[OCRTestService]:
    """The local OCR service (started once per session), with no armed faults and an empty journal."""
    _baidu_ocr_session_service.reset()
    yield _baidu_ocr_session_service
    _baidu_ocr_session_service.settle()
    _baidu_ocr_session_service.reset()


@pytest.fixture
def ocr_client(ocr_service: OCRTestService) -> Iterator[OCR]:
    """An ``OCR`` client on the local service (demo credentials; retries do not wait)."""
    with ocr_service.ocr() as client:
        yield client


@pytest.fixture
def async_ocr_client(ocr_service: OCRTestService) -> Iterator[AsyncOCR]:
    """An ``AsyncOCR`` client on the local service (demo credentials; retries do not wait), usable from any event
    loop: it keeps no idle connection, so a loop that ends (``asyncio.run``) leaves no socket behind."""
    import httpx

    client = ocr_service.async_ocr(httpx_args={"limits": httpx.Limits(max_keepalive_connections=0)})
    yield client
    asyncio.run(client.close())


@pytest.fixture
def ocr_faults(ocr_service: OCRTestService) -> FaultPlan:
    """Arm faults on the local service: ``ocr_faults.fail("general_basic", 18, times=2)``,
    ``ocr_faults.delay("accurate_basic", 2.0)``; disarmed after the test."""
    return ocr_service.faults


@pytest.fixture
def ocr_journal(ocr_service: OCRTestService) -> RequestJournal:
    """What the local service received during this test: ``ocr_journal.entries()``."""
    return ocr_service.journal


@pytest.fixture
def ocr_env(ocr_service: OCRTestService, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Every ``BAIDU_OCR_*`` variable removed, then the base URL and demo keys of the local service set."""
    for name in list(os.environ):
        if name.startswith("BAIDU_OCR_"):
            monkeypatch.delenv(name)
    environment = ocr_service.environment()
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return environment
