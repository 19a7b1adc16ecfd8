"""The ``application/x-www-form-urlencoded`` codec of the request bodies, fast for megabytes of file data.

Baidu takes files as form fields: the file's bytes base64-encoded, then urlencoded. ``urllib.parse.urlencode``
quotes such a value one character at a time (about 30x the cost of the base64 itself). Base64 output needs only
three escapes in a form (``+ / =``), so :func:`encode_file` escapes it with ``bytes.replace``, in chunks small
enough to stay in the CPU cache, and :func:`encode_form` joins the body in one copy.

Written by ``scripts/generate.py`` from ``openapi/templates/form.py.jinja``. Do not edit.
"""

from __future__ import annotations

import binascii
from collections.abc import Iterable, Iterator
from enum import Enum
from urllib.parse import quote_plus

__all__ = ["EncodedFile", "decode_file", "encode_file", "encode_form"]

_CHUNK = 3 * 32 * 1024
"""Input bytes per chunk: a multiple of 3 (only the last chunk has ``=`` padding); 128 KiB of base64, so a chunk
and its escaped copies stay in L2."""

_ESCAPES = (
    (b"%2B", b"+"),
    (b"%2F", b"/"),
    (b"%3D", b"="),
    (b"%2b", b"+"),
    (b"%2f", b"/"),
    (b"%3d", b"="),
)
_WHITESPACE = b"\t\n\v\f\r"


class EncodedFile(bytes):
    """A file already base64-encoded and form-escaped, as :func:`encode_file` returns it.

    :func:`encode_form` (and so every request model's ``to_form``) sends it as is: pass one in ``image`` /
    ``pdf_file`` to encode a file once and send it several times. Any other ``bytes`` value is taken as the raw
    file and encoded.
    """

    __slots__ = ()


def _encoded_chunks(data: bytes | bytearray | memoryview) -> Iterator[bytes]:
    view = memoryview(data).cast("B")
    for start in range(0, len(view), _CHUNK):
        yield (
            binascii.b2a_base64(view[start : start + _CHUNK], newline=False)
            .replace(b"+", b"%2B")
            .replace(b"/", b"%2F")
            .replace(b"=", b"%3D")
        )


def encode_file(data: bytes | bytearray | memoryview) -> EncodedFile:
    """``urlencode(base64(data))``, the form value of ``image`` / ``pdf_file`` (the size Baidu limits).

    ``data`` is the file's raw bytes. Encoding and escaping in cache-sized chunks keeps the whole at about twice
    the cost of base64 alone. Passing an :class:`EncodedFile` encodes it again (it is bytes like any other).
    """
    return EncodedFile(b"".join(_encoded_chunks(data)))


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return _text(value.value)
    return str(value)


def encode_form(fields: Iterable[tuple[str, object]]) -> bytes:
    """The form body of ``fields``, in their order.

    Values: an :class:`EncodedFile` is used as is; other ``bytes`` / ``bytearray`` / ``memoryview`` are a file's
    raw bytes, encoded as :func:`encode_file` does (without an extra copy); ``bool`` is ``true`` / ``false``; an
    enum member is its value; anything else is ``str(value)``. Names and text values are ``quote_plus``-escaped.
    """
    pieces: list[bytes] = []
    for name, value in fields:
        if pieces:
            pieces.append(b"&")
        pieces.append(quote_plus(name).encode("ascii") + b"=")
        if isinstance(value, EncodedFile):
            pieces.append(value)
        elif isinstance(value, (bytes, bytearray, memoryview)):
            pieces.extend(_encoded_chunks(value))
        else:
            pieces.append(quote_plus(_text(value)).encode("ascii"))
    return b"".join(pieces)


def decode_file(value: str | bytes) -> bytes:
    """The file's bytes from its form value: the inverse of :func:`encode_file`.

    Takes either the value still escaped (as :func:`encode_file` returns it, ``%2B %2F %3D`` in either case) or
    already form-decoded (as ``urllib.parse.parse_qsl`` returns it): base64 never contains ``%``, so the two cannot
    be confused. A space is read as ``+`` (a client that left ``+`` unescaped sent a space), other ASCII whitespace
    (line breaks of MIME-style base64) is ignored.

    Raises:
        ValueError: the value is not ASCII, or not valid base64 (``binascii.Error`` is a ``ValueError``). The
            message names the problem, never the value.
    """
    if isinstance(value, str):
        if not value.isascii():
            raise ValueError("file value is not ASCII base64")
        raw = value.encode("ascii")
    else:
        raw = bytes(value)
    if b"%" in raw:
        for escape, char in _ESCAPES:
            raw = raw.replace(escape, char)
    raw = raw.translate(None, _WHITESPACE).replace(b" ", b"+")
    try:
        return binascii.a2b_base64(raw, strict_mode=True)
    except binascii.Error as error:
        raise ValueError(f"file value is not valid base64 ({error})") from None
