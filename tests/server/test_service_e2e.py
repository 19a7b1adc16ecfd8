"""End to end with the real RapidOCR engine: LocalService over HTTP on generated images and PDFs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from imaging import cer, render_pdf, render_text_image
from servicekit import ACCURATE, DEMO_ID, DEMO_SECRET, GENERAL, TOKEN, b64

from baidu_ocr_server.embedded import LocalService
from baidu_ocr_server.engine_loader import shared_engine

pytestmark = pytest.mark.slow

LINES = ["Hello OCR service 2024", "百度文字识别本地服务"]


@pytest.fixture(scope="module")
def real() -> Iterator[tuple[LocalService, httpx.Client, str]]:
    with (
        LocalService(wait_for_engine=True) as service,
        httpx.Client(base_url=service.base_url, timeout=120, trust_env=False) as http,
    ):
        data = {"grant_type": "client_credentials", "client_id": DEMO_ID, "client_secret": DEMO_SECRET}
        token = http.post(TOKEN, data=data).json()["access_token"]
        yield service, http, token


def _ocr(real: tuple[LocalService, httpx.Client, str], path: str, **form: str) -> dict[str, Any]:
    _service, http, token = real
    body: dict[str, Any] = http.post(path, params={"access_token": token}, data=form).json()
    return body


@pytest.mark.parametrize("path", [GENERAL, ACCURATE])
def test_text_image(real: tuple[LocalService, httpx.Client, str], path: str) -> None:
    body = _ocr(real, path, image=b64(render_text_image(LINES)), probability="true", paragraph="true")
    words = [item["words"] for item in body["words_result"]]
    assert cer("\n".join(LINES), "\n".join(words)) < 0.05
    assert body["words_result_num"] == len(words)
    assert all(0.5 < item["probability"]["average"] <= 1 for item in body["words_result"])
    assert sum(len(p["words_result_idx"]) for p in body["paragraphs_result"]) == len(words)


def test_rotated_image_and_language(real: tuple[LocalService, httpx.Client, str]) -> None:
    image = render_text_image(LINES, rotate=90, fmt="JPEG")
    body = _ocr(real, GENERAL, image=b64(image), detect_direction="true", detect_language="true")
    assert body["direction"] == 1
    assert cer("\n".join(LINES), "\n".join(item["words"] for item in body["words_result"])) < 0.05
    assert body["language"] == 3  # mixed Chinese/English


def test_pdf_page(real: tuple[LocalService, httpx.Client, str]) -> None:
    pdf = render_pdf([["First page"], ["Second page text"], ["Third"]])
    body = _ocr(real, ACCURATE, pdf_file=b64(pdf), pdf_file_num="2")
    assert body["pdf_file_size"] == "3"
    assert [item["words"] for item in body["words_result"]] == ["Second page text"]


def test_services_share_one_engine(real: tuple[LocalService, httpx.Client, str]) -> None:
    first, _http, _token = real
    with LocalService(wait_for_engine=True) as second:
        assert second.app is not None
        assert first.app is not None
        assert second.app.state.service.engine.engine is shared_engine()
        assert first.app.state.service.engine.engine is shared_engine()
