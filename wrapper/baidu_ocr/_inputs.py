"""Turn what the user passed (bytes, a path, a binary file, a url) into checked form fields.

Everything here runs before the network: the format, emptiness, the encoded size, the sides and the url length
are checked against the endpoint's documented limits (``baidu_ocr_spec.LIMITS``), each with a typed error that
names the value and the limit.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import IO, TypeAlias

from baidu_ocr_client.form import EncodedFile, encode_file
from baidu_ocr_formats import ImageFormat, image_size, sniff_format
from baidu_ocr_spec import EndpointLimits

from ._errors import (
    EmptyInputError,
    ImageDimensionsError,
    InputTooLargeError,
    UnsupportedFormatError,
    URLTooLongError,
)

__all__ = ["FileSource", "encode_image", "encode_pdf", "image_problem", "read_source", "validate_url"]

FileSource: TypeAlias = bytes | bytearray | memoryview | str | os.PathLike[str] | IO[bytes]
"""Raw bytes, a filesystem path, or a file opened in binary mode."""

Fitter = Callable[[bytes, EndpointLimits], bytes]


def read_source(source: FileSource, what: str) -> bytes:
    """The bytes of ``source``; a ``str`` is a path."""
    if isinstance(source, bytes):
        data = source
    elif isinstance(source, bytearray | memoryview):
        data = bytes(source)
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise EmptyInputError(f"{what}: no such file: {path}") from None
        except OSError as error:  # a directory, no permission, a name too long, ...
            raise EmptyInputError(f"{what}: cannot read {path}: {error.strerror or error}") from None
    elif hasattr(source, "read"):
        data = source.read()
        if not isinstance(data, bytes):
            raise UnsupportedFormatError(f"{what}: the file must be opened in binary mode ('rb')")
    else:
        raise UnsupportedFormatError(f"{what}: expected bytes, a path or a binary file, got {type(source).__name__}")
    if not data:
        raise EmptyInputError(f"{what} is empty")
    return data


def _mib(size: int) -> str:
    return f"{size:,} bytes ({size / 1024 / 1024:.2f} MiB)"


def _check_encoded_size(what: str, size: int, limits: EndpointLimits, endpoint: str) -> None:
    if size > limits.max_encoded_bytes:
        raise InputTooLargeError(
            f"{what} is {_mib(size)} after base64 + urlencoding; {endpoint} accepts at most "
            f"{_mib(limits.max_encoded_bytes)}",
            size=size,
            limit=limits.max_encoded_bytes,
        )


def _base64_lower_bound(raw_size: int) -> int:
    return 4 * ((raw_size + 2) // 3)


def image_problem(data: bytes, limits: EndpointLimits, endpoint: str) -> Exception | None:
    fmt = sniff_format(data)
    if fmt is None or fmt == "pdf" or fmt not in limits.image_formats:
        supported = "/".join(limits.image_formats)
        found = "a PDF (pass it as pdf=)" if fmt == "pdf" else "not a recognized image"
        return UnsupportedFormatError(f"image is {found}; {endpoint} accepts {supported}")
    size = image_size(data, fmt)
    if size is None:
        return UnsupportedFormatError(f"image looks like {fmt} but its header cannot be read")
    width, height = size
    if min(size) < limits.min_side_px or max(size) > limits.max_side_px:
        return ImageDimensionsError(
            f"image is {width}x{height} px; {endpoint} needs the shortest side at least {limits.min_side_px} px "
            f"and the longest side at most {limits.max_side_px} px",
            width=width,
            height=height,
            min_side=limits.min_side_px,
            max_side=limits.max_side_px,
        )
    if _base64_lower_bound(len(data)) > limits.max_encoded_bytes:
        return InputTooLargeError(
            f"image is {_mib(len(data))}, at least {_mib(_base64_lower_bound(len(data)))} after base64; "
            f"{endpoint} accepts at most {_mib(limits.max_encoded_bytes)}",
            size=_base64_lower_bound(len(data)),
            limit=limits.max_encoded_bytes,
        )
    return None


def encode_image(data: bytes, limits: EndpointLimits, endpoint: str, fitter: Fitter | None = None) -> EncodedFile:
    """The checked, encoded ``image`` field; ``fitter`` (auto_fit) may re-encode an image that breaks a limit."""
    problem = image_problem(data, limits, endpoint)
    if problem is not None and fitter is not None and not isinstance(problem, EmptyInputError):
        data = fitter(data, limits)
        problem = image_problem(data, limits, endpoint)
    if problem is not None:
        raise problem
    encoded = encode_file(data)
    _check_encoded_size("image", len(encoded), limits, endpoint)
    return encoded


def encode_pdf(data: bytes, limits: EndpointLimits, endpoint: str) -> EncodedFile:
    """The checked, encoded ``pdf_file`` field."""
    fmt: ImageFormat | None = sniff_format(data)
    if fmt != "pdf":
        raise UnsupportedFormatError(f"pdf is not a PDF file (found {fmt or 'unknown data'})")
    if _base64_lower_bound(len(data)) > limits.max_encoded_bytes:
        _check_encoded_size("pdf", _base64_lower_bound(len(data)), limits, endpoint)
    encoded = encode_file(data)
    _check_encoded_size("pdf", len(encoded), limits, endpoint)
    return encoded


def validate_url(url: str, limits: EndpointLimits, endpoint: str) -> str:
    """The url, checked for emptiness, scheme and length."""
    if not url:
        raise EmptyInputError("url is empty", service_code=282114)  # the table: "URL长度超过1024字节或为0"
    length = len(url.encode("utf-8"))
    if length > limits.max_url_bytes:
        raise URLTooLongError(f"url is {length} bytes; {endpoint} accepts at most {limits.max_url_bytes}")
    if not url.startswith(("http://", "https://")):
        raise UnsupportedFormatError(f"url must start with http:// or https:// (got {url[:30]!r})")
    return url
