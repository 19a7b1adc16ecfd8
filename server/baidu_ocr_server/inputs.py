"""Turn the ``image`` / ``pdf_file`` form values (and downloaded bytes) into a page image, or a Baidu error.

Blocking and CPU-bound: call from a worker thread.

- base64: ASCII whitespace is dropped and spaces become ``+`` first (a client that forgot to escape ``+`` sent
  it as a form space, and a space is never legal base64), then strict decoding; failure → 216201.
- format: by magic bytes only (JPEG ``FF D8 FF``, PNG signature, BMP ``BM``); anything else → 216201.
- dimensions are read from the file header *before* Pillow decodes anything, so oversized images (and
  decompression bombs) are refused cheaply with 216202; so are sides below the endpoint's minimum.
- PDF: ``%PDF`` magic, rendered with pypdfium2 (serialized by a lock: PDFium is not thread-safe) at 2x
  (144 dpi), scaled down so the longest side fits the endpoint's maximum.
"""

from __future__ import annotations

import base64
import binascii
import io
import struct
import threading
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image, UnidentifiedImageError

from baidu_ocr_formats import image_size, sniff_format
from baidu_ocr_spec import EndpointLimits

from .responses import ApiError

__all__ = [
    "EMPTY_IMAGE",
    "IMAGE_FORMAT_ERROR",
    "IMAGE_SIZE_ERROR",
    "INVALID_PARAM",
    "PdfPage",
    "decode_base64",
    "encoded_base64_size",
    "load_image",
    "render_pdf_page",
]

INVALID_PARAM = 216100
EMPTY_IMAGE = 216200
IMAGE_FORMAT_ERROR = 216201
IMAGE_SIZE_ERROR = 216202

PDF_SCALE = 2.0
"""Render scale for PDF pages (PDF units are 1/72 inch: 2.0 is 144 dpi)."""

_PDFIUM_LOCK = threading.Lock()
_WHITESPACE = b"\t\n\r\x0b\x0c"
_PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG", "bmp": "BMP"}


def encoded_base64_size(raw_size: int) -> int:
    """Length of the base64 encoding of ``raw_size`` bytes."""
    return (raw_size + 2) // 3 * 4


def decode_base64(value: str) -> bytes:
    """Decode a base64 form value; raises 216200 when empty, 216201 when not base64."""
    if not value:
        raise ApiError(EMPTY_IMAGE)
    try:
        data = value.encode("ascii")
    except UnicodeEncodeError:
        raise ApiError(IMAGE_FORMAT_ERROR, "non-ASCII base64") from None
    data = data.translate(None, _WHITESPACE).replace(b" ", b"+")
    try:
        decoded = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise ApiError(IMAGE_FORMAT_ERROR, "bad base64") from None
    if not decoded:
        raise ApiError(EMPTY_IMAGE)
    return decoded


def _check_sides(width: int, height: int, limits: EndpointLimits) -> None:
    if min(width, height) < limits.min_side_px or max(width, height) > limits.max_side_px:
        raise ApiError(IMAGE_SIZE_ERROR, f"{width}x{height} px")


def load_image(data: bytes, limits: EndpointLimits, format_error: int = IMAGE_FORMAT_ERROR) -> Image.Image:
    """Decode image bytes fully; ``format_error`` is raised for non-images (216201, or 282113 for downloads)."""
    if not data:
        raise ApiError(EMPTY_IMAGE)
    fmt = sniff_format(data)
    if fmt is None or fmt not in limits.image_formats:
        raise ApiError(format_error, "not jpeg/png/bmp")
    size = image_size(data, fmt)
    if size is None:
        raise ApiError(format_error, f"broken {fmt} header")
    _check_sides(size[0], size[1], limits)
    try:
        image = Image.open(io.BytesIO(data), formats=[_PIL_FORMATS[fmt]])
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error) as exc:
        raise ApiError(format_error, f"undecodable {fmt}: {exc}") from None
    except Image.DecompressionBombError:
        raise ApiError(IMAGE_SIZE_ERROR, "decompression bomb") from None
    _check_sides(image.width, image.height, limits)
    return image


@dataclass(frozen=True)
class PdfPage:
    """A rendered PDF page and the document's page count."""

    image: Image.Image
    page_count: int


def render_pdf_page(data: bytes, page_number: int, limits: EndpointLimits) -> PdfPage:
    """Render 1-based ``page_number``; 216201 if not a PDF, 216100 if the page does not exist."""
    if not data.startswith(b"%PDF"):
        raise ApiError(IMAGE_FORMAT_ERROR, "not a PDF")
    with _PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise ApiError(IMAGE_FORMAT_ERROR, f"unreadable PDF: {exc}") from None
        try:
            count = len(document)
            if not 1 <= page_number <= count:
                raise ApiError(INVALID_PARAM, f"pdf_file_num {page_number} of {count} pages")
            page = document[page_number - 1]
            try:
                width, height = page.get_size()
                longest = max(width, height)
                if longest <= 0:
                    raise ApiError(IMAGE_SIZE_ERROR, "empty page")
                scale = min(PDF_SCALE, limits.max_side_px / longest)
                bitmap = page.render(scale=scale)
                try:
                    image = bitmap.to_pil().convert("RGB")
                finally:
                    bitmap.close()
            finally:
                page.close()
        except pdfium.PdfiumError as exc:
            raise ApiError(IMAGE_FORMAT_ERROR, f"unrenderable PDF: {exc}") from None
        finally:
            document.close()
    _check_sides(image.width, image.height, limits)
    return PdfPage(image, count)
