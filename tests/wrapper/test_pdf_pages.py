"""Counting a PDF's pages without sending it: PDFium, the page tree (plain and compressed), and "unknown"."""

from __future__ import annotations

import sys
import zlib

import pytest
from imaging import render_pdf

from baidu_ocr import _pdf_pages
from baidu_ocr._pdf_pages import count_pdf_pages, count_pdf_pages_by_tree


def _plain_pdf(count: int) -> bytes:
    kids = " ".join(f"{3 + index} 0 R" for index in range(count))
    pages = [
        f"{3 + index} 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>\nendobj\n" for index in range(count)
    ]
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        + f"2 0 obj\n<< /Type /Pages /Kids [{kids}] /Count {count} /Resources << /Font << >> >> >>\nendobj\n".encode()
        + "".join(pages).encode()
        + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def _compressed_tree_pdf(count: int) -> bytes:
    """The page tree only inside a Flate object stream (as PDF 1.5+ writers do)."""
    objects = b"2 0 3 60 << /Type /Pages /Kids [3 0 R] /Count %d >> << /Type /Page /Parent 2 0 R >>" % count
    packed = zlib.compress(objects)
    return (
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        + b"5 0 obj\n<< /Type /ObjStm /N 2 /First 8 /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed)
        + packed
        + b"\nendstream\nendobj\n%%EOF\n"
    )


@pytest.mark.parametrize(
    ("data", "count"),
    [
        (_plain_pdf(1), 1),
        (_plain_pdf(7), 7),
        (_compressed_tree_pdf(12), 12),
        (_plain_pdf(2) + b"2 0 obj\n<< /Type /Pages /Kids [3 0 R 4 0 R 3 0 R] /Count 3 >>\nendobj\n%%EOF\n", 3),
        (render_pdf([["one"], ["two"], ["three"]]), 3),
        (b"%PDF-1.4\nno page tree here\n%%EOF\n", None),
        (b"\x89PNG not a pdf", None),
        (b"%PDF-1.7\n5 0 obj\n<< /Type /ObjStm /Filter /FlateDecode >>\nstream\nnot deflate\nendstream\n", None),
    ],
    ids=["one", "seven", "object-stream", "incremental-update", "pillow", "no-tree", "not-pdf", "bad-stream"],
)
def test_the_page_tree_tells_the_count(data: bytes, count: int | None) -> None:
    assert count_pdf_pages_by_tree(data) == count


def test_pdfium_counts_when_installed_and_the_tree_is_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = render_pdf([["a"], ["b"]])
    assert count_pdf_pages(pdf) == 2  # pypdfium2 is installed with the dev extra
    assert count_pdf_pages(b"%PDF-1.4\ngarbage") is None  # PDFium refuses it; the tree has nothing either
    calls: list[bytes] = []

    def by_tree(data: bytes) -> int:
        calls.append(data)
        return 5

    monkeypatch.setattr(_pdf_pages, "count_pdf_pages_by_tree", by_tree)
    monkeypatch.setitem(sys.modules, "pypdfium2", None)  # as if the server extra were missing
    assert count_pdf_pages(pdf) == 5
    assert calls == [pdf]
