"""Render PDF pages in a separate, memory-limited process, so that no PDF can exhaust the service's memory.

PDFium inflates content streams and decodes embedded images in full while it renders, whatever the page size;
a 2 MB PDF can ask for gigabytes. Here the rendering runs in a helper process (``python -m
baidu_ocr_server.pdf_renderer``) whose address space is capped with ``RLIMIT_AS`` and whose every page has a
deadline: a page that needs more memory or time kills (or is refused by) the helper, which is started again on
the next page, and the caller gets :class:`PdfRenderError` ``"limit"``. The page image comes back as raw RGB,
at most ``max_side`` pixels on its longest side.

One helper per :class:`PdfRenderer`, one page at a time (PDFium is not thread-safe anyway); started on first use.
"""

from __future__ import annotations

import atexit
import os
import select
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from typing import IO, Literal

from PIL import Image

__all__ = ["PdfRenderError", "PdfRenderer", "RenderedPdfPage", "shared_renderer"]

_REQUEST = struct.Struct("!IId Q")
"""page number (1-based), longest side in px, largest scale, PDF length."""
_REPLY = struct.Struct("!BIIIQ")
"""status, page count, width, height, payload length (RGB pixels, or a UTF-8 message)."""
_OK, _FORMAT, _NO_PAGE, _LIMIT = 0, 1, 2, 3
_STATUS_KIND: dict[int, Literal["format", "no_page", "limit"]] = {
    _FORMAT: "format",
    _NO_PAGE: "no_page",
    _LIMIT: "limit",
}
_MAX_PAYLOAD = 1 << 30


class PdfRenderError(Exception):
    """``kind``: ``"format"`` (not a readable PDF), ``"no_page"`` (``page_count`` tells how many there are) or
    ``"limit"`` (the page needs more memory or time than allowed, or is empty)."""

    def __init__(self, kind: Literal["format", "no_page", "limit"], detail: str, page_count: int = 0) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail
        self.page_count = page_count


@dataclass(frozen=True)
class RenderedPdfPage:
    """A rendered PDF page and the document's page count."""

    image: Image.Image
    page_count: int


class PdfRenderer:
    """A memory-capped helper process rendering one page at a time (thread-safe, blocking)."""

    def __init__(self, memory_limit_mb: int = 512, timeout: float = 20.0) -> None:
        self.memory_limit_mb = memory_limit_mb
        self.timeout = timeout
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None

    def render(self, data: bytes, page_number: int, max_side: int, max_scale: float) -> RenderedPdfPage:
        """Render 1-based ``page_number`` at ``max_scale`` (PDF units are 1/72 inch), smaller if its longest side
        would exceed ``max_side`` px; raises :class:`PdfRenderError`."""
        request = _REQUEST.pack(page_number, max_side, max_scale, len(data))
        with self._lock:
            process = self._ensure_started()
            deadline = time.monotonic() + self.timeout
            try:
                assert process.stdin is not None
                assert process.stdout is not None
                _write_all(process.stdin, request + data, deadline)
                status, count, width, height, size = _REPLY.unpack(_read_exact(process.stdout, _REPLY.size, deadline))
                if size > _MAX_PAYLOAD:
                    raise EOFError("reply too large")
                payload = _read_exact(process.stdout, size, deadline)
            except TimeoutError:
                self._stop()
                raise PdfRenderError("limit", f"page took over {self.timeout:g} s") from None
            except (EOFError, OSError) as exc:
                code = self._stop()
                raise PdfRenderError("limit", f"renderer ended ({exc}, exit {code})") from None
        if status != _OK:
            raise PdfRenderError(_STATUS_KIND.get(status, "format"), payload.decode("utf-8", "replace"), count)
        return RenderedPdfPage(Image.frombytes("RGB", (width, height), payload), count)

    def close(self) -> None:
        """Stop the helper process (a later :meth:`render` starts a new one)."""
        with self._lock:
            self._stop()

    def _ensure_started(self) -> subprocess.Popen[bytes]:
        process = self._process
        if process is not None and process.poll() is None:
            return process
        self._process = subprocess.Popen(  # noqa: S603 - our own interpreter and module, no shell
            [sys.executable, "-m", __name__, str(self.memory_limit_mb * 1024 * 1024)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            close_fds=True,
        )
        return self._process

    def _stop(self) -> int | None:
        process, self._process = self._process, None
        if process is None:
            return None
        if process.poll() is None:
            process.kill()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()
        return process.wait()


def _write_all(stream: IO[bytes], data: bytes, deadline: float) -> None:
    fd = stream.fileno()
    os.set_blocking(fd, False)
    view = memoryview(data)
    while view:
        _wait(fd, deadline, write=True)
        try:
            sent = os.write(fd, view)
        except BlockingIOError:
            continue
        view = view[sent:]


def _read_exact(stream: IO[bytes], size: int, deadline: float) -> bytes:
    fd = stream.fileno()
    chunks = bytearray()
    while len(chunks) < size:
        _wait(fd, deadline, write=False)
        chunk = os.read(fd, min(size - len(chunks), 1 << 20))
        if not chunk:
            raise EOFError("renderer closed its pipe")
        chunks += chunk
    return bytes(chunks)


def _wait(fd: int, deadline: float, *, write: bool) -> None:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError
    ready = select.select([], [fd], [], remaining) if write else select.select([fd], [], [], remaining)
    if not any(ready):
        raise TimeoutError


_shared: dict[tuple[int, float], PdfRenderer] = {}
_shared_lock = threading.Lock()


def shared_renderer(memory_limit_mb: int, timeout: float) -> PdfRenderer:
    """The process-wide renderer with these limits (one helper process per distinct pair, stopped at exit)."""
    with _shared_lock:
        renderer = _shared.get((memory_limit_mb, timeout))
        if renderer is None:
            renderer = _shared[(memory_limit_mb, timeout)] = PdfRenderer(memory_limit_mb, timeout)
        return renderer


@atexit.register
def _stop_shared() -> None:
    for renderer in list(_shared.values()):
        renderer.close()


# --- the helper process ------------------------------------------------------------------------------------------


def _render_page(data: bytes, page_number: int, max_side: int, max_scale: float) -> tuple[int, int, int, int, bytes]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        return _FORMAT, 0, 0, 0, f"unreadable PDF: {exc}".encode()
    try:
        count = len(document)
        if not 1 <= page_number <= count:
            return _NO_PAGE, count, 0, 0, f"page {page_number} of {count}".encode()
        page = document[page_number - 1]
        try:
            longest = max(page.get_size())
            if longest <= 0:
                return _LIMIT, count, 0, 0, b"empty page"
            bitmap = page.render(scale=min(max_scale, max_side / longest))
            try:
                image = bitmap.to_pil().convert("RGB")
            finally:
                bitmap.close()
        finally:
            page.close()
    except pdfium.PdfiumError as exc:
        return _FORMAT, 0, 0, 0, f"unrenderable PDF: {exc}".encode()
    finally:
        document.close()
    return _OK, count, image.width, image.height, image.tobytes()


def _read_full(stream: IO[bytes], size: int) -> bytes | None:
    """Exactly ``size`` bytes, or ``None`` at end of input."""
    data = bytearray()
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            return None
        data += chunk
    return bytes(data)


def _child_main(memory_limit: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    # The protocol gets private copies of stdin/stdout; fd 1 goes to stderr so that stray prints cannot corrupt it.
    requests = os.fdopen(os.dup(0), "rb", buffering=0)
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    while True:
        header = _read_full(requests, _REQUEST.size)
        if header is None:
            return
        page_number, max_side, max_scale, size = _REQUEST.unpack(header)
        data = _read_full(requests, size)
        if data is None:
            return
        try:
            status, count, width, height, payload = _render_page(data, page_number, max_side, max_scale)
        except MemoryError:
            status, count, width, height, payload = _LIMIT, 0, 0, 0, b"out of memory"
        del data
        replies.write(_REPLY.pack(status, count, width, height, len(payload)))
        replies.write(payload)
        replies.flush()


if __name__ == "__main__":
    _child_main(int(sys.argv[1]))
