"""Pure layout and language helpers, and the test-image helpers they are checked with."""

from __future__ import annotations

import io

import pytest
from imaging import cer, render_pdf, render_text_image, solid_image
from PIL import Image

from baidu_ocr_server.engine import RecognizedLine
from baidu_ocr_server.language import (
    CHINESE,
    ENGLISH,
    JAPANESE,
    KOREAN,
    MIXED_CHINESE_ENGLISH,
    detect_language,
)
from baidu_ocr_server.layout import group_paragraphs, line_probability


def line(left: float, top: float, width: float, height: float = 30.0) -> RecognizedLine:
    box = ((left, top), (left + width, top), (left + width, top + height), (left, top + height))
    return RecognizedLine("x", box, (0.9,), 0.9)


def test_close_lines_form_one_paragraph_and_a_gap_splits() -> None:
    lines = [line(40, 40, 500), line(40, 82, 480), line(40, 124, 300), line(40, 240, 500), line(40, 282, 200)]
    assert group_paragraphs(lines) == [[0, 1, 2], [3, 4]]


def test_first_line_indent_starts_a_paragraph() -> None:
    lines = [line(100, 40, 440), line(40, 82, 500), line(100, 124, 440), line(40, 166, 300)]
    assert group_paragraphs(lines) == [[0, 1], [2, 3]]


def test_side_by_side_columns_are_separate_paragraphs() -> None:
    # Reading order interleaves the two columns row by row.
    lines = [line(40, 40, 300), line(500, 40, 300), line(40, 82, 300), line(500, 82, 300)]
    assert group_paragraphs(lines) == [[0, 2], [1, 3]]


def test_a_much_larger_heading_is_its_own_paragraph() -> None:
    lines = [line(40, 20, 400, height=70), line(40, 100, 500), line(40, 142, 500)]
    assert group_paragraphs(lines) == [[0], [1, 2]]


def test_no_lines_no_paragraphs() -> None:
    assert group_paragraphs([]) == []


def test_line_probability() -> None:
    average, variance, minimum = line_probability([1.0, 0.5, 0.75])
    assert average == pytest.approx(0.75)
    assert variance == pytest.approx((0.25**2 * 2) / 3)
    assert minimum == 0.5
    assert line_probability([0.8]) == pytest.approx((0.8, 0.0, 0.8))
    assert line_probability([]) == (0.0, 0.0, 0.0)


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["百度文字识别", "今天天气很好"], CHINESE),
        (["The quick brown fox", "jumps over"], ENGLISH),
        (["中文与English混合文本", "第二行"], MIXED_CHINESE_ENGLISH),
        (["A4纸打印服务已经准备就绪，请稍候"], CHINESE),
        (["これは日本語の文章です"], JAPANESE),
        (["한국어 문장입니다"], KOREAN),
        (["Café crème brûlée"], ENGLISH),
        (["1234 5678", "!?"], CHINESE),
        ([], CHINESE),
    ],
)
def test_detect_language(texts: list[str], expected: int) -> None:
    assert detect_language(texts) == expected


def test_cer() -> None:
    assert cer("abc", "abc") == 0.0
    assert cer("abcd", "abxd") == 0.25
    assert cer("abc", "") == 1.0
    assert cer("", "") == 0.0
    assert cer("", "a") == 1.0
    assert cer("百度", "百度一下") == 1.0


def test_render_text_image_rotates_counter_clockwise() -> None:
    upright = Image.open(io.BytesIO(render_text_image(["Hello"])))
    turned = Image.open(io.BytesIO(render_text_image(["Hello"], rotate=90, fmt="JPEG")))
    assert turned.format == "JPEG"
    assert turned.size == (upright.height, upright.width)
    with pytest.raises(ValueError, match="multiple of 90"):
        render_text_image(["Hello"], rotate=45)


def test_render_pdf_and_solid_image() -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(render_pdf([["page one"], ["page two"], ["第三页"]]))
    assert len(pdf) == 3
    image = Image.open(io.BytesIO(solid_image(5000, 20, "BMP")))
    assert (image.format, image.size) == ("BMP", (5000, 20))
