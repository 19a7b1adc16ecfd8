"""The formats both ends of the wire agree on, in a small stdlib-only package that the SDK and the local service
both import (so that neither imports the other): here, jpg / png / bmp / pdf told by their first bytes and image
dimensions read from the header alone; in :mod:`baidu_ocr_formats.bce_auth`, the bce-auth-v1 signature format.
"""

from __future__ import annotations

import struct
from typing import Literal

__all__ = ["ImageFormat", "image_size", "sniff_format"]

ImageFormat = Literal["jpeg", "png", "bmp", "pdf"]

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_JPEG_STANDALONE_MARKERS = frozenset({0x01, *range(0xD0, 0xD9)})  # TEM, RSTn, SOI


def sniff_format(data: bytes) -> ImageFormat | None:
    """The format of ``data`` by its magic bytes, or ``None`` when it is none of jpg, png, bmp, pdf."""
    if data.startswith(_PNG_SIGNATURE):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"BM") and len(data) >= 26:
        return "bmp"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    return None


def image_size(data: bytes, fmt: ImageFormat) -> tuple[int, int] | None:
    """``(width, height)`` from the image header, or ``None`` when the header cannot be read."""
    try:
        if fmt == "png":
            return _png_size(data)
        if fmt == "jpeg":
            return _jpeg_size(data)
        if fmt == "bmp":
            return _bmp_size(data)
    except struct.error:
        return None
    return None


def _png_size(data: bytes) -> tuple[int, int] | None:
    if len(data) < 24 or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def _bmp_size(data: bytes) -> tuple[int, int]:
    (header_size,) = struct.unpack("<I", data[14:18])
    if header_size == 12:  # BITMAPCOREHEADER: 16-bit unsigned sides
        width, height = struct.unpack("<HH", data[18:22])
    else:  # BITMAPINFOHEADER and later: 32-bit signed, negative height means top-down rows
        width, height = struct.unpack("<ii", data[18:26])
    return abs(int(width)), abs(int(height))


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    position = 2
    end = len(data)
    while position + 4 <= end:
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in _JPEG_STANDALONE_MARKERS:
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if marker in _JPEG_SOF_MARKERS:
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return int(width), int(height)
        if marker in (0xD9, 0xDA) or length < 2:  # end of image / start of scan before any frame header
            return None
        position += 2 + length
    return None
