"""How many pages a PDF has, without sending it: PDFium (pypdfium2, the ``server`` extra) when it is installed,
else a look at the PDF's page tree with the standard library, else "unknown" (``None``).

The page tree's root is the ``/Type /Pages`` dictionary without a ``/Parent``; its ``/Count`` is the page count.
It is found in plain objects or inside compressed object streams (``/ObjStm``, Flate). With incremental updates
the last root written wins. The look is bounded: at most :data:`MAX_INFLATED_BYTES` are inflated in all.
"""

from __future__ import annotations

import re
import threading
import zlib
from typing import Final

__all__ = ["MAX_INFLATED_BYTES", "count_pdf_pages", "count_pdf_pages_by_tree"]

MAX_INFLATED_BYTES: Final = 32 * 1024 * 1024
_PDFIUM_LOCK = threading.Lock()  # PDFium is not thread-safe

_PAGES_TYPE = re.compile(rb"/Type\s*/Pages(?![A-Za-z0-9])")
_COUNT = re.compile(rb"/Count\s+(\d+)")
_PARENT = re.compile(rb"/Parent(?![A-Za-z0-9])")
_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm(?![A-Za-z0-9])")
_STREAM_START = re.compile(rb"stream\r?\n")


def count_pdf_pages(data: bytes) -> int | None:
    """The page count of the PDF ``data``, or ``None`` when it cannot be told."""
    try:
        import pypdfium2
    except ImportError:
        return count_pdf_pages_by_tree(data)
    with _PDFIUM_LOCK:
        try:
            document = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError:
            return count_pdf_pages_by_tree(data)
        try:
            return len(document)
        finally:
            document.close()


def _dictionary_around(text: bytes, position: int) -> bytes | None:
    """The ``<< … >>`` dictionary that holds ``position`` (at its own nesting level), or ``None``."""
    depth = 0
    start = position
    while start > 0:
        start -= 1
        pair = text[start : start + 2]
        if pair == b">>":
            depth += 1
        elif pair == b"<<":
            if depth == 0:
                break
            depth -= 1
    else:
        return None
    depth = 0
    end = start
    while end < len(text) - 1:
        pair = text[end : end + 2]
        if pair == b"<<":
            depth += 1
            end += 2
        elif pair == b">>":
            depth -= 1
            end += 2
            if depth == 0:
                return text[start:end]
        else:
            end += 1
    return None


def _root_counts(text: bytes) -> list[int]:
    """The ``/Count`` of every page-tree root in ``text``, in file order."""
    counts = []
    for match in _PAGES_TYPE.finditer(text):
        dictionary = _dictionary_around(text, match.start())
        if dictionary is None or _PARENT.search(dictionary):
            continue
        count = _COUNT.search(dictionary)
        if count is not None:
            counts.append(int(count[1]))
    return counts


def _object_streams(data: bytes) -> list[bytes]:
    """The inflated content of every Flate-compressed object stream (within the inflation budget)."""
    inflated: list[bytes] = []
    budget = MAX_INFLATED_BYTES
    for match in _OBJECT_STREAM.finditer(data):
        start = _STREAM_START.search(data, match.end())
        if start is None or budget <= 0:
            continue
        inflater = zlib.decompressobj()
        try:
            content = inflater.decompress(memoryview(data)[start.end() :], budget)
        except zlib.error:
            continue
        budget -= len(content)
        inflated.append(content)
    return inflated


def count_pdf_pages_by_tree(data: bytes) -> int | None:
    """The page count read from the page tree's root (standard library only), or ``None``."""
    if not data.startswith(b"%PDF"):
        return None
    counts = _root_counts(data)
    if not counts:
        for content in _object_streams(data):
            counts.extend(_root_counts(content))
    return counts[-1] if counts else None
