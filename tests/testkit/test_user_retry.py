"""How a user tests their own retry logic with the test kit (this file is the example in docs/testing.md).

Only the plugin's documented fixtures are used: ``ocr_service``, ``ocr_faults``, ``ocr_journal``.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw, ImageFont

from baidu_ocr import OCR, QuotaExceededError, RateLimitError
from baidu_ocr_testing import FaultPlan, OCRTestService, RequestJournal


def read_text(ocr: OCR, image: bytes, attempts: int = 3) -> str:
    """The code under test: try again on a rate limit (error 18), give up at once on anything else."""
    for attempt in range(attempts):
        try:
            return ocr.general_basic(image).text
        except RateLimitError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def sample_image(text: str) -> bytes:
    """A PNG of one line of text (your tests may read a sample file instead)."""
    image = Image.new("RGB", (640, 120), "white")
    ImageDraw.Draw(image).text((20, 30), text, font=ImageFont.load_default(size=48), fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_two_rate_limits_then_success(
    ocr_service: OCRTestService, ocr_faults: FaultPlan, ocr_journal: RequestJournal
) -> None:
    ocr_faults.fail("general_basic", 18, times=2)
    with ocr_service.ocr(max_retries=0) as ocr:  # the SDK's own retries off: only read_text retries
        text = read_text(ocr, sample_image("Hello test kit"))
    assert text == "Hello test kit"
    calls = ocr_journal.entries("general_basic")
    assert [call.error_code for call in calls] == [18, 18, None]
    assert [call.injected for call in calls] == [True, True, False]


def test_a_quota_error_is_raised_at_once(
    ocr_service: OCRTestService, ocr_faults: FaultPlan, ocr_journal: RequestJournal
) -> None:
    ocr_faults.fail("general_basic", 17)
    with ocr_service.ocr(max_retries=0) as ocr, pytest.raises(QuotaExceededError) as raised:
        read_text(ocr, sample_image("never read"))
    assert raised.value.error_code == 17
    assert [call.error_code for call in ocr_journal.entries("general_basic")] == [17]
