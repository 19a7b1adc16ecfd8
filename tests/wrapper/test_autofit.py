"""``auto_fit`` never loses text silently: tiny images are refused, extreme banners folded, short lines padded."""

from __future__ import annotations

import base64
import io
from urllib.parse import parse_qs

import httpx
import pytest
from PIL import Image, ImageChops, ImageDraw

from baidu_ocr import OCR, ImageDimensionsError
from baidu_ocr._autofit import MIN_LEGIBLE_SIDE_PX, cut_columns, fit_image, fit_sides
from baidu_ocr_spec import LIMITS

GENERAL = LIMITS["general_basic"]


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _banner(width: int, height: int, period: int = 300) -> Image.Image:
    """Black blocks ("characters") on white, each ``period - 100`` px wide with 100 px gaps between them."""
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    for x in range(0, width - period + 1, period):
        draw.rectangle((x + 50, height // 5, x + period - 51, height - height // 5), fill=0)
    return image


def _ink(image: Image.Image) -> int:
    """The number of dark pixels."""
    histogram = image.convert("L").histogram()
    return sum(histogram[:128])


def _sent_image(image: bytes) -> Image.Image:
    sent: list[bytes] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return httpx.Response(200, json={"log_id": 1, "words_result_num": 0, "words_result": []})

    transport = httpx.MockTransport(answer)
    with OCR(access_token="t", base_url="http://test", transport=transport, auto_fit=True) as ocr:
        ocr.general_basic(image)
    decoded = base64.b64decode(parse_qs(sent[0].decode())["image"][0])
    return Image.open(io.BytesIO(decoded))


@pytest.mark.parametrize("size", [(1, 1), (MIN_LEGIBLE_SIDE_PX - 1, 300), (20000, 5)])
def test_an_image_too_small_for_text_is_refused_before_sending(size: tuple[int, int]) -> None:
    calls: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(500)

    transport = httpx.MockTransport(answer)
    with (
        OCR(access_token="t", base_url="http://test", transport=transport, auto_fit=True) as ocr,
        pytest.raises(ImageDimensionsError, match=rf"{size[0]}x{size[1]} px image is too small to hold legible text"),
    ):
        ocr.general_basic(_png(Image.new("RGB", size, "white")))
    assert calls == []


def test_a_banner_is_folded_into_strips_without_losing_ink() -> None:
    banner = _banner(20000, 200)
    sent = _sent_image(_png(banner))
    assert max(sent.size) <= GENERAL.max_side_px
    assert min(sent.size) >= GENERAL.min_side_px
    # Folded, not scaled: every dark pixel arrives, none is blurred away.
    assert _ink(sent) == _ink(banner)
    assert sent.height > 1000  # several strips stacked


def test_folds_cut_in_the_gaps_between_characters() -> None:
    banner = _banner(20000, 200)
    cuts = cut_columns(banner, 9)
    assert len(cuts) == 8
    for column in cuts:
        assert banner.crop((column, 0, column + 1, 200)).getextrema() == (255, 255), column


def test_a_tall_image_is_folded_side_by_side() -> None:
    column = _banner(20000, 200).transpose(Image.Transpose.TRANSPOSE)
    fitted = fit_sides(column, GENERAL)
    assert fitted.width > fitted.height
    assert max(fitted.size) <= GENERAL.max_side_px
    assert _ink(fitted) == _ink(column)


def test_a_short_line_is_padded_with_the_background_keeping_its_pixels() -> None:
    line = Image.new("RGB", (300, 10), (250, 240, 230))
    ImageDraw.Draw(line).rectangle((10, 2, 200, 7), fill=(0, 0, 0))
    sent = _sent_image(_png(line))
    assert sent.size == (300, GENERAL.min_side_px)
    offset = (GENERAL.min_side_px - 10) // 2
    assert ImageChops.difference(sent.convert("RGB").crop((0, offset, 300, offset + 10)), line).getbbox() is None
    assert sent.convert("RGB").getpixel((299, 0)) == (250, 240, 230)


def test_a_large_image_of_ordinary_shape_is_scaled_down() -> None:
    fitted = fit_sides(Image.new("RGB", (6000, 3000), "white"), GENERAL)
    assert fitted.size == (4096, 2048)


def test_an_image_within_the_limits_is_left_alone_by_fit_sides() -> None:
    image = Image.new("RGB", (400, 300), "white")
    assert fit_sides(image, GENERAL) is image


def test_fit_image_output_passes_the_endpoint_checks() -> None:
    fitted = Image.open(io.BytesIO(fit_image(_png(_banner(30000, 120)), LIMITS["accurate_basic"])))
    assert max(fitted.size) <= LIMITS["accurate_basic"].max_side_px
    assert min(fitted.size) >= LIMITS["accurate_basic"].min_side_px
