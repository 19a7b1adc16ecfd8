"""Generate test images and PDFs at test time, and score OCR output against the truth."""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

__all__ = ["FONT_PATH", "cer", "edit_distance", "font", "render_pdf", "render_text_image", "solid_image"]

FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
"""WenQuanYi Micro Hei: covers CJK and Latin (Debian package fonts-wqy-microhei)."""


@cache
def font(size: int) -> ImageFont.FreeTypeFont:
    """The test font at ``size`` pixels; a clear error if it is not installed."""
    if not FONT_PATH.is_file():
        raise FileNotFoundError(f"Test font {FONT_PATH} is missing: run `apt-get install fonts-wqy-microhei`")
    return ImageFont.truetype(str(FONT_PATH), size)


def _page(lines: Sequence[str], font_size: int, padding: int, line_gap: float) -> Image.Image:
    """Black text on a white page just large enough for ``lines``; "" leaves a blank line."""
    face = font(font_size)
    step = round(font_size * (1 + line_gap))
    widths = [round(face.getlength(line)) for line in lines]
    width = max([*widths, 1]) + 2 * padding
    height = step * max(len(lines), 1) + 2 * padding
    page = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(page)
    for i, line in enumerate(lines):
        draw.text((padding, padding + i * step), line, font=face, fill="black")
    return page


def render_text_image(
    lines: Sequence[str],
    *,
    font_size: int = 32,
    padding: int = 40,
    line_gap: float = 0.6,
    rotate: int = 0,
    fmt: str = "PNG",
) -> bytes:
    """Render ``lines`` as an image, turned ``rotate`` degrees counter-clockwise, encoded as ``fmt``.

    An empty string in ``lines`` leaves a blank line (to make paragraph gaps).
    """
    if rotate % 90:
        raise ValueError(f"rotate must be a multiple of 90, not {rotate}")
    page = _page(lines, font_size, padding, line_gap).rotate(rotate % 360, expand=True)
    buffer = io.BytesIO()
    page.save(buffer, format=fmt)
    return buffer.getvalue()


def render_pdf(pages: Sequence[Sequence[str]], *, font_size: int = 32) -> bytes:
    """A multi-page PDF with one page per item of ``pages`` (each a list of lines)."""
    if not pages:
        raise ValueError("a PDF needs at least one page")
    images = [_page(lines, font_size, 60, 0.6) for lines in pages]
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:], resolution=96.0)
    return buffer.getvalue()


def solid_image(width: int, height: int, fmt: str = "PNG", color: str = "white") -> bytes:
    """A blank ``width`` x ``height`` image encoded as ``fmt`` (for size-limit tests)."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format=fmt)
    return buffer.getvalue()


def edit_distance(expected: str, actual: str) -> int:
    """Levenshtein distance between two strings (insertions, deletions and substitutions of characters)."""
    previous = list(range(len(actual) + 1))
    for i, want in enumerate(expected, 1):
        current = [i]
        for j, got in enumerate(actual, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (want != got)))
        previous = current
    return previous[-1]


def cer(expected: str, actual: str) -> float:
    """Character error rate: Levenshtein distance / len(expected) (1.0 if empty and different)."""
    if not expected:
        return 0.0 if not actual else 1.0
    return edit_distance(expected, actual) / len(expected)
