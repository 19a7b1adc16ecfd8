"""``auto_fit``: reshape an image that breaks the endpoint's limits so that it fits without losing its text (needs
Pillow: ``pip install 'baidu-ocr[image]'``).

What happens to an image that breaks a limit, in this order:

1. **Refused** when its shortest side is under :data:`MIN_LEGIBLE_SIDE_PX` (a 1×1 or 4×300 image holds no
   legible line of text): :class:`~baidu_ocr.ImageDimensionsError`, nothing is sent.
2. **Folded** when its longest side is over the limit and it is more than :data:`FOLD_MIN_ASPECT` times longer
   than wide (a 20000×200 banner): it is cut into strips at the emptiest column near each cut, and the strips are
   stacked (a tall image: placed side by side) with a background-coloured gap, so the text keeps its pixel size.
   Scaling instead would shrink 200 px letters to a few pixels. The text comes back as one line per strip, in
   order; ``location`` boxes refer to the folded image.
3. **Scaled down** when a side is still over the limit (the aspect ratio is kept).
4. **Padded** with the background colour when the shortest side is under the limit (a 300×10 line becomes
   300×15; the text keeps its pixels, nothing is stretched).
5. **Re-encoded** (PNG, then JPEG at falling quality, then smaller) when the encoded size is over the limit.
"""

from __future__ import annotations

import io
import itertools
import logging
import math
from typing import TYPE_CHECKING

from baidu_ocr_spec import EndpointLimits

from ._errors import ConfigurationError, ImageDimensionsError, InputTooLargeError, UnsupportedFormatError

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = ["FOLD_MIN_ASPECT", "MIN_LEGIBLE_SIDE_PX", "fit_image"]

MIN_LEGIBLE_SIDE_PX = 8
"""An image whose shortest side is shorter than this holds no legible text; ``auto_fit`` refuses it."""

FOLD_MIN_ASPECT = 8.0
"""An over-long image at least this many times longer than wide is folded into strips rather than scaled."""

_JPEG_QUALITIES = (90, 80, 70, 60, 50)
_logger = logging.getLogger("baidu_ocr")


def _encoded_size(raw_size: int) -> int:
    """Upper bound of the base64 + urlencoded size (every ``+ /`` escaped would triple; expect ~1/32 of them)."""
    return math.ceil(raw_size / 3) * 4 * 34 // 32 + 6


def fit_image(data: bytes, limits: EndpointLimits) -> bytes:
    """``data`` reshaped into the endpoint's side and size limits (see the module docstring for the rules)."""
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
    image = opened if opened.mode in ("RGB", "L") else opened.convert("RGB")
    image = fit_sides(image, limits)
    return _encode_under_limit(image, limits, len(data))


def fit_sides(image: Image, limits: EndpointLimits) -> Image:
    """``image`` refused, folded, scaled or padded so that its sides are within ``limits``."""
    width, height = image.size
    if min(width, height) < MIN_LEGIBLE_SIDE_PX:
        raise ImageDimensionsError(
            f"auto_fit: a {width}x{height} px image is too small to hold legible text (shortest side under "
            f"{MIN_LEGIBLE_SIDE_PX} px); the endpoint needs at least {limits.min_side_px} px",
            width=width,
            height=height,
            min_side=limits.min_side_px,
            max_side=limits.max_side_px,
        )
    if max(width, height) > limits.max_side_px and max(width, height) >= FOLD_MIN_ASPECT * min(width, height):
        image = _folded(image, limits)
    if max(image.size) > limits.max_side_px:
        image = _scaled_down(image, limits.max_side_px)
    if min(image.size) < limits.min_side_px:
        image = _padded(image, limits.min_side_px)
    return image


def _encode_under_limit(image: Image, limits: EndpointLimits, original_size: int) -> bytes:
    from PIL.Image import Resampling

    for attempt in range(6):
        for fmt, quality in [("PNG", None), *(("JPEG", q) for q in _JPEG_QUALITIES)]:
            buffer = io.BytesIO()
            image.save(buffer, format=fmt, **({"quality": quality} if quality else {}))
            if _encoded_size(buffer.tell()) <= limits.max_encoded_bytes:
                return buffer.getvalue()
        if attempt < 5:
            smaller = (image.width * 3 // 4, image.height * 3 // 4)
            if min(smaller) < limits.min_side_px:
                break
            image = image.resize(smaller, Resampling.LANCZOS)
    raise InputTooLargeError(
        "auto_fit could not bring the image under the size limit", size=original_size, limit=limits.max_encoded_bytes
    )


def _scaled_down(image: Image, max_side: int) -> Image:
    from PIL.Image import Resampling

    scale = max_side / max(image.size)
    size = (max(1, min(max_side, round(image.width * scale))), max(1, min(max_side, round(image.height * scale))))
    return image.resize(size, Resampling.LANCZOS)


def background_colour(image: Image) -> tuple[int, ...]:
    """The median colour of the image's border (per band): the paper behind the text."""
    from PIL import Image as PILImage
    from PIL import ImageStat
    from PIL.Image import Transpose

    width, height = image.size
    edges = [
        image.crop((0, 0, width, 1)),
        image.crop((0, height - 1, width, height)),
        image.crop((0, 0, 1, height)).transpose(Transpose.TRANSPOSE),
        image.crop((width - 1, 0, width, height)).transpose(Transpose.TRANSPOSE),
    ]
    border = PILImage.new(image.mode, (sum(edge.width for edge in edges), 1))
    x = 0
    for edge in edges:
        border.paste(edge, (x, 0))
        x += edge.width
    return tuple(int(value) for value in ImageStat.Stat(border).median)


def _padded(image: Image, min_side: int) -> Image:
    from PIL import Image as PILImage

    size = (max(min_side, image.width), max(min_side, image.height))
    canvas = PILImage.new(image.mode, size, _fill(image))
    canvas.paste(image, ((size[0] - image.width) // 2, (size[1] - image.height) // 2))
    return canvas


def _fill(image: Image) -> int | tuple[int, ...]:
    colour = background_colour(image)
    return colour[0] if len(colour) == 1 else colour


def cut_columns(image: Image, strips: int) -> list[int]:
    """Where to cut a wide ``image`` into ``strips`` pieces: near each even cut, the column with the least ink."""
    from PIL import Image as PILImage
    from PIL import ImageChops
    from PIL.Image import Resampling

    gray = image.convert("L")
    paper = PILImage.new("L", gray.size, background_colour(gray)[0])
    ink = ImageChops.difference(gray, paper).resize((gray.width, 1), Resampling.BOX)
    profile = ink.tobytes()
    step = gray.width / strips
    cuts = []
    for index in range(1, strips):
        target = round(index * step)
        low, high = max(1, round(target - step / 4)), min(gray.width - 1, round(target + step / 4))
        cuts.append(min(range(low, high + 1), key=lambda column: (profile[column], abs(column - target))))
    return cuts


def _folded(image: Image, limits: EndpointLimits) -> Image:
    from PIL import Image as PILImage
    from PIL.Image import Transpose

    tall = image.height > image.width
    wide = image.transpose(Transpose.TRANSPOSE) if tall else image
    width, height = wide.size
    gap = max(4, height // 2)
    strips = max(math.ceil(width / limits.max_side_px), math.ceil(math.sqrt(width / (height + gap))), 2)
    edges = [0, *cut_columns(wide, strips), width]
    pieces = [wide.crop((left, 0, right, height)) for left, right in itertools.pairwise(edges)]
    canvas = PILImage.new(
        wide.mode, (max(piece.width for piece in pieces), strips * height + (strips - 1) * gap), _fill(wide)
    )
    for index, piece in enumerate(pieces):
        canvas.paste(piece, (0, index * (height + gap)))
    folded = canvas.transpose(Transpose.TRANSPOSE) if tall else canvas
    _logger.info("auto_fit: folded a %dx%d px image into %d strips (%dx%d px)", *image.size, strips, *folded.size)
    return folded
