"""``auto_fit``: re-encode an image that breaks the endpoint's limits so that it fits (needs Pillow:
``pip install 'baidu-ocr[image]'``)."""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING

from baidu_ocr_spec import EndpointLimits

from ._errors import ConfigurationError, InputTooLargeError, UnsupportedFormatError

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = ["fit_image"]

_JPEG_QUALITIES = (90, 80, 70, 60, 50)


def _encoded_size(raw_size: int) -> int:
    """Upper bound of the base64 + urlencoded size (every ``+ /`` escaped would triple; expect ~1/32 of them)."""
    return math.ceil(raw_size / 3) * 4 * 34 // 32 + 6


def fit_image(data: bytes, limits: EndpointLimits) -> bytes:
    """``data`` scaled into the side limits and re-encoded (PNG, else JPEG at falling quality) under the size limit."""
    try:
        from PIL import Image as PILImage
        from PIL import UnidentifiedImageError
    except ImportError as err:  # pragma: no cover - depends on the install
        raise ConfigurationError("auto_fit needs Pillow: pip install 'baidu-ocr[image]'") from err
    try:
        opened = PILImage.open(io.BytesIO(data))
        opened.load()
    except PILImage.DecompressionBombError as err:
        raise UnsupportedFormatError(f"auto_fit: too many pixels to decode safely ({err})") from err
    except (UnidentifiedImageError, OSError, ValueError) as err:
        raise UnsupportedFormatError("auto_fit: Pillow cannot read this image") from err
    image = _scaled(opened, limits)
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    for attempt in range(6):
        for fmt, quality in [("PNG", None), *(("JPEG", q) for q in _JPEG_QUALITIES)]:
            buffer = io.BytesIO()
            image.save(buffer, format=fmt, **({"quality": quality} if quality else {}))
            if _encoded_size(buffer.tell()) <= limits.max_encoded_bytes:
                return buffer.getvalue()
        if attempt < 5:
            image = image.resize(
                (max(limits.min_side_px, image.width * 3 // 4), max(limits.min_side_px, image.height * 3 // 4))
            )
    raise InputTooLargeError(
        "auto_fit could not bring the image under the size limit", size=len(data), limit=limits.max_encoded_bytes
    )


def _scaled(image: Image, limits: EndpointLimits) -> Image:
    from PIL.Image import Resampling

    width, height = image.size
    scale = 1.0
    if max(width, height) > limits.max_side_px:
        scale = limits.max_side_px / max(width, height)
    if min(width, height) * scale < limits.min_side_px:
        scale = limits.min_side_px / min(width, height)
    if scale == 1.0:
        return image
    size = (max(limits.min_side_px, round(width * scale)), max(limits.min_side_px, round(height * scale)))
    if max(size) > limits.max_side_px:
        raise UnsupportedFormatError(
            f"auto_fit: a {width}x{height} image cannot fit both the {limits.min_side_px} px shortest-side and "
            f"the {limits.max_side_px} px longest-side limits"
        )
    return image.resize(size, Resampling.LANCZOS)
