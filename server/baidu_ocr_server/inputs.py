"""Turn the ``image`` / ``pdf_file`` form values (and downloaded bytes) into a page image, or a Baidu error.

Blocking and CPU-bound: call from a worker thread (the app runs these in a small bounded pool).

- base64: ASCII whitespace is dropped and spaces become ``+`` first (a client that forgot to escape ``+`` sent
  it as a form space, and a space is never legal base64), then strict decoding; failure → 216201.
- format: by magic bytes only (JPEG ``FF D8 FF``, PNG signature, BMP ``BM``); anything else → 216201.
- dimensions are read from the file header *before* Pillow decodes anything, so oversized images (and
  decompression bombs) are refused cheaply with 216202; so are sides below the endpoint's minimum.
- memory: a JPEG is decoded at the smallest 1/2, 1/4 or 1/8 scale still at least ``fit_side`` (draft mode);
  every image holds its decoded pixels in a shared :class:`~.budget.PixelBudget` while it is decoded (an image
  larger than the whole budget → 216202) and is then scaled down to ``fit_side`` (the engine would do so anyway).
  Pillow's own limits are set explicitly at import: ``MAX_IMAGE_PIXELS`` is the largest side any endpoint accepts
  squared, PNG text chunks inflate to at most 1 MiB each and 4 MiB in all.
- PDF: ``%PDF`` magic, rendered by a memory- and time-limited helper process (:mod:`.pdf_renderer`) at 2x
  (144 dpi), scaled down so the longest side fits both the endpoint's maximum and ``fit_side``; a page beyond
  the document → 216100, one over the helper's limits → 216202.
"""

from __future__ import annotations

import base64
import binascii
import io
import struct

from PIL import Image, ImageFile, PngImagePlugin, UnidentifiedImageError

from baidu_ocr_formats import image_size, sniff_format
from baidu_ocr_spec import LIMITS, EndpointLimits, ErrorCode

from .budget import PixelBudget, PixelBudgetError
from .pdf_renderer import PdfRenderer, PdfRenderError, RenderedPdfPage
from .responses import InBandError

__all__ = [
    "MAX_DECODED_PIXELS",
    "decode_base64",
    "load_image",
    "render_pdf_page",
]


PDF_SCALE = 2.0
"""Render scale for PDF pages (PDF units are 1/72 inch: 2.0 is 144 dpi)."""

MAX_DECODED_PIXELS = max(limits.max_side_px for limits in LIMITS.values()) ** 2
"""The most pixels any endpoint accepts (Pillow's ``MAX_IMAGE_PIXELS``; twice it raises a bomb error)."""

Image.MAX_IMAGE_PIXELS = MAX_DECODED_PIXELS
ImageFile.LOAD_TRUNCATED_IMAGES = False
PngImagePlugin.MAX_TEXT_CHUNK = 1024 * 1024
PngImagePlugin.MAX_TEXT_MEMORY = 4 * 1024 * 1024

_WHITESPACE = b"\t\n\r\x0b\x0c"
_PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG", "bmp": "BMP"}
_RESIZABLE_MODES = frozenset({"L", "LA", "RGB", "RGBA", "RGBX", "I", "F"})


def decode_base64(value: str) -> bytes:
    """Decode a base64 form value; raises 216200 when empty, 216201 when not base64."""
    if not value:
        raise InBandError(ErrorCode.EMPTY_IMAGE)
    try:
        data = value.encode("ascii")
    except UnicodeEncodeError:
        raise InBandError(ErrorCode.IMAGE_FORMAT_ERROR, "non-ASCII base64") from None
    data = data.translate(None, _WHITESPACE).replace(b" ", b"+")
    try:
        decoded = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise InBandError(ErrorCode.IMAGE_FORMAT_ERROR, "bad base64") from None
    if not decoded:
        raise InBandError(ErrorCode.EMPTY_IMAGE)
    return decoded


def _check_sides(width: int, height: int, limits: EndpointLimits) -> None:
    if min(width, height) < limits.min_side_px or max(width, height) > limits.max_side_px:
        raise InBandError(ErrorCode.IMAGE_SIZE_ERROR, f"{width}x{height} px")


def load_image(
    data: bytes,
    limits: EndpointLimits,
    fit_side: int,
    budget: PixelBudget,
    format_error: ErrorCode = ErrorCode.IMAGE_FORMAT_ERROR,
) -> Image.Image:
    """Decode image bytes, no larger than ``fit_side`` on the longest side; ``format_error`` is raised for
    non-images (216201, or 282113 for downloads)."""
    if not data:
        raise InBandError(ErrorCode.EMPTY_IMAGE)
    fmt = sniff_format(data)
    if fmt is None or fmt not in limits.image_formats:
        raise InBandError(format_error, "not jpeg/png/bmp")
    size = image_size(data, fmt)
    if size is None:
        raise InBandError(format_error, f"broken {fmt} header")
    _check_sides(size[0], size[1], limits)
    try:
        image = Image.open(io.BytesIO(data), formats=[_PIL_FORMATS[fmt]])
        _check_sides(image.width, image.height, limits)
        target = _fitted(image.size, fit_side)
        if fmt == "jpeg" and target != image.size:
            image.draft(None, target)  # decode at 1/2, 1/4 or 1/8 scale, still at least the target size
        with budget.reserve(image.width * image.height):
            image.load()
            return _fit(image, fit_side)
    except PixelBudgetError as exc:
        raise InBandError(ErrorCode.IMAGE_SIZE_ERROR, f"pixel budget: {exc}") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error) as exc:
        raise InBandError(format_error, f"undecodable {fmt}: {exc}") from None
    except Image.DecompressionBombError:
        raise InBandError(ErrorCode.IMAGE_SIZE_ERROR, "decompression bomb") from None


def _fitted(size: tuple[int, int], fit_side: int) -> tuple[int, int]:
    width, height = size
    longest = max(width, height)
    if longest <= fit_side:
        return size
    return max(1, round(width * fit_side / longest)), max(1, round(height * fit_side / longest))


def _fit(image: Image.Image, fit_side: int) -> Image.Image:
    """``image`` scaled down so that its longest side is at most ``fit_side`` (unchanged when it already fits).

    First a box reduction by the whole factor, band by band for images with alpha (Pillow's ``reduce`` and
    ``resize`` would first make a full-size premultiplied copy; the engine puts transparency on white anyway),
    then a bilinear resize of the rest.
    """
    target = _fitted(image.size, fit_side)
    if target == image.size:
        return image
    if image.mode not in _RESIZABLE_MODES:
        transparent = image.mode in ("PA", "La") or "transparency" in image.info
        image = image.convert("RGBA" if transparent else "RGB")
    factor = max(image.size) // fit_side
    if factor >= 2 and image.mode in ("LA", "RGBA"):
        bands = [image.getchannel(index).reduce(factor) for index in range(len(image.getbands()))]
        image = Image.merge(image.mode, bands)
    elif factor >= 2:
        image = image.reduce(factor)
    if image.size == target:
        return image
    return image.resize(target, Image.Resampling.BILINEAR)


def render_pdf_page(
    data: bytes, page_number: int, limits: EndpointLimits, fit_side: int, renderer: PdfRenderer
) -> RenderedPdfPage:
    """Render 1-based ``page_number``; 216201 if not a PDF, 216100 if the page does not exist, 216202 when the
    page is too small or needs more than the renderer's memory or time."""
    if not data.startswith(b"%PDF"):
        raise InBandError(ErrorCode.IMAGE_FORMAT_ERROR, "not a PDF")
    try:
        rendered = renderer.render(data, page_number, min(limits.max_side_px, fit_side), PDF_SCALE)
    except PdfRenderError as exc:
        code = {"format": ErrorCode.IMAGE_FORMAT_ERROR, "no_page": ErrorCode.INVALID_PARAM}.get(
            exc.kind, ErrorCode.IMAGE_SIZE_ERROR
        )
        raise InBandError(code, exc.detail) from None
    _check_sides(rendered.image.width, rendered.image.height, limits)
    return rendered
