"""The test kit's other fixtures, used as a user would: ready clients, the environment, the journal, delays."""

from __future__ import annotations

import asyncio

import pytest
from imaging import render_text_image

from baidu_ocr import OCR, AsyncOCR, RateLimitError, RequestTimeoutError, URLError
from baidu_ocr_testing import FaultPlan, OCRTestService, RequestJournal


def test_the_ready_client_retries_a_rate_limit_by_itself(
    ocr_client: OCR, ocr_faults: FaultPlan, ocr_journal: RequestJournal
) -> None:
    ocr_faults.fail("general_basic", 18, times=2)
    assert ocr_client.general_basic(render_text_image(["retried"])).lines == ["retried"]
    assert [call.error_code for call in ocr_journal.entries("general_basic")] == [18, 18, None]


def test_faults_are_spent_then_gone(ocr_client: OCR, ocr_faults: FaultPlan) -> None:
    ocr_faults.fail("accurate_basic", 18, times=5)
    assert len(ocr_faults.pending("accurate_basic")) == 5
    with pytest.raises(RateLimitError):
        ocr_client.accurate_basic(render_text_image(["x"]), max_retries=1)
    assert len(ocr_faults.pending("accurate_basic")) == 3


def test_the_journal_records_what_was_asked_without_secrets(
    ocr_service: OCRTestService, ocr_client: OCR, ocr_journal: RequestJournal
) -> None:
    image = render_text_image(["journal"])
    ocr_client.general_basic(image, detect_direction=True, language_type="ENG")
    token, call = ocr_journal.entries()
    assert (token.endpoint, token.auth, token.options) == (
        "token",
        "client_credentials",
        {"grant_type": "client_credentials"},
    )
    assert (call.endpoint, call.auth, call.input_kind, call.input_size) == (
        "general_basic",
        "access_token",
        "image",
        len(image),
    )
    assert call.options["detect_direction"] == "true"
    assert call.options["language_type"] == "ENG"
    assert (call.error_code, call.status, call.injected) == (None, 200, False)
    assert ocr_service.secret_key not in repr(ocr_journal.entries())
    assert ocr_service.api_key not in repr(ocr_journal.entries())
    ocr_journal.clear()
    assert ocr_journal.entries() == []


def test_a_url_input_is_journaled_by_kind_and_length(ocr_client: OCR, ocr_journal: RequestJournal) -> None:
    url = "http://127.0.0.1:9/secret-path.png"
    with pytest.raises(URLError):  # the private-address policy refuses it; the journal still has the call
        ocr_client.general_basic(url=url, max_retries=0)
    call = ocr_journal.entries("general_basic")[0]
    assert (call.input_kind, call.input_size) == ("url", len(url))
    assert "secret-path" not in repr(call)


def test_code_that_builds_its_own_client_from_the_environment(ocr_env: dict[str, str]) -> None:
    with OCR() as ocr:  # what the code under test does: credentials and base URL from BAIDU_OCR_*
        assert ocr.general_basic(render_text_image(["from the environment"])).text == "from the environment"
    assert ocr_env["BAIDU_OCR_API_KEY"] == "local-api-key"


def test_the_async_client(async_ocr_client: AsyncOCR, ocr_faults: FaultPlan) -> None:
    ocr_faults.fail("general_basic", 18)

    async def main() -> list[str]:
        async with async_ocr_client as ocr:
            return (await ocr.general_basic(render_text_image(["async"]))).lines

    assert asyncio.run(main()) == ["async"]


def test_a_delayed_answer_meets_the_client_timeout(ocr_service: OCRTestService, ocr_faults: FaultPlan) -> None:
    ocr_faults.delay("general_basic", 1.0)
    with ocr_service.ocr(timeout=0.2, max_retries=0) as ocr, pytest.raises(RequestTimeoutError):
        ocr.general_basic(render_text_image(["slow"]))


def test_the_async_client_across_event_loops(async_ocr_client: AsyncOCR) -> None:
    async def read(text: str) -> list[str]:
        return (await async_ocr_client.general_basic(render_text_image([text]))).lines

    # Two loops, no ``async with``: the fixture closes the client, and no socket outlives its loop.
    assert asyncio.run(read("first")) == ["first"]
    assert asyncio.run(read("second")) == ["second"]
