"""``auto_fit`` against the local service: a 20000×200 banner (which scaling would shrink to unreadable 10 px
letters) is folded and its words come back."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from imaging import font
from PIL import Image, ImageDraw

from baidu_ocr import OCR, ImageDimensionsError
from baidu_ocr_server.embedded import LocalService

pytestmark = pytest.mark.slow

WORDS = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliett", "Kilo", "Lima"]


@pytest.fixture(scope="module")
def ocr() -> Iterator[OCR]:
    with (
        LocalService(wait_for_engine=True) as service,
        OCR(service.api_key, service.secret_key, base_url=service.base_url, auto_fit=True) as client,
    ):
        yield client


def _banner() -> bytes:
    face = font(120)
    text = "   ".join(WORDS * 2)
    image = Image.new("RGB", (20000, 200), "white")
    ImageDraw.Draw(image).text((40, 30), text, font=face, fill="black")
    assert face.getlength(text) < 19900
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_banner_beyond_the_longest_side_is_read(ocr: OCR) -> None:
    result = ocr.general_basic(_banner())
    found = " ".join(result.lines).split()
    missing = [word for word in WORDS * 2 if word not in found]
    assert len(missing) <= 2, (missing, result.lines)


def test_a_one_pixel_image_is_refused(ocr: OCR) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (1, 1), "white").save(buffer, format="PNG")
    with pytest.raises(ImageDimensionsError, match="too small to hold legible text"):
        ocr.general_basic(buffer.getvalue())
