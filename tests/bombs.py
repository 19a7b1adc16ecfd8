"""Hostile inputs for the service tests and ``scripts/bench_hostile.py``: decompression bombs, PDF bombs."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

__all__ = ["big_png", "jpeg_of", "pdf_flate_bomb", "pdf_huge_page", "png_bomb", "png_text_bomb"]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(width: int, height: int, *, color_type: int = 6) -> bytes:
    """A valid PNG of ``width``×``height`` blank pixels (RGBA by default): a few hundred KB that decode to
    ``width*height*4`` bytes. Built row by row without ever holding the pixels."""
    channels = {0: 1, 2: 3, 6: 4}[color_type]
    compressor = zlib.compressobj(6)
    row = b"\0" + b"\0" * (width * channels)
    parts = [compressor.compress(row) for _ in range(height)]
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", b"".join(parts)) + _chunk(b"IEND", b"")


def png_text_bomb(text_bytes: int = 64 * 1024 * 1024) -> bytes:
    """A small valid PNG carrying a zTXt chunk that inflates to ``text_bytes``."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 32), "white").save(buffer, format="PNG")
    png = buffer.getvalue()
    compressor = zlib.compressobj(9)
    block = b"A" * (1 << 20)
    text = b"".join(compressor.compress(block) for _ in range(text_bytes >> 20)) + compressor.flush()
    ztxt = _chunk(b"zTXt", b"Comment\0\0" + text)
    return png[:33] + ztxt + png[33:]  # after the 8-byte signature and the 25-byte IHDR chunk


def big_png(width: int, height: int) -> bytes:
    """A PNG of noise-free white pixels with the given size, RGB."""
    return png_bomb(width, height, color_type=2)


def jpeg_of(width: int, height: int, quality: int = 90) -> bytes:
    """A JPEG of the given size (grey gradient, so it is not trivially small)."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_flate_bomb(inflated_bytes: int = 2 * 1024 * 1024 * 1024, media_box: tuple[int, int] = (612, 792)) -> bytes:
    """A one-page PDF whose content stream (spaces) inflates to ``inflated_bytes`` (about 1/1000 compressed)."""
    compressor = zlib.compressobj(9)
    block = b" " * (1 << 20)
    stream = b"".join(compressor.compress(block) for _ in range(inflated_bytes >> 20)) + compressor.flush()
    width, height = media_box
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R >>" % (width, height),
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        ]
    )


def pdf_huge_page(side: int = 14400) -> bytes:
    """A one-page PDF with the largest page PDF allows (``side`` points square) and a line of text."""
    content = b"BT /F1 200 Tf 100 100 Td (huge page) Tj ET"
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>" % (side, side),
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )
