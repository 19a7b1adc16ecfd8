"""The generated form codec (``baidu_ocr_client.form``): the same bytes as the standard library, faster."""

from __future__ import annotations

import base64
import enum
import os
from urllib.parse import parse_qsl, quote_plus, urlencode

import pytest

from baidu_ocr_client.form import EncodedFile, decode_file, encode_file, encode_form
from baidu_ocr_client.models import AccurateLanguageType

CHUNK = 3 * 32 * 1024  # the encoder's chunk size, in input bytes

SIZES = sorted({0, 1, 2, 3, 4, CHUNK - 1, CHUNK, CHUNK + 1, CHUNK + 2, 2 * CHUNK, 2 * CHUNK + 1, 3 * CHUNK - 2})


def _reference(data: bytes) -> bytes:
    """What ``urllib.parse.urlencode`` makes of the base64 (the per-character path the codec avoids)."""
    return quote_plus(base64.b64encode(data)).encode("ascii")


@pytest.mark.parametrize("size", SIZES)
def test_encode_file_equals_urlencoded_base64_across_chunk_boundaries(size: int) -> None:
    data = os.urandom(size)
    encoded = encode_file(data)
    assert isinstance(encoded, EncodedFile)
    assert encoded == _reference(data)
    assert not set(encoded.decode("ascii")) & set("+/=")


@pytest.mark.parametrize("size", SIZES)
def test_decode_file_inverts_encode_file_escaped_or_form_decoded(size: int) -> None:
    data = os.urandom(size)
    escaped = encode_file(data)
    form_decoded = dict(parse_qsl(b"image=" + escaped, keep_blank_values=True))[b"image"]
    assert decode_file(escaped) == data
    assert decode_file(escaped.decode("ascii")) == data
    assert decode_file(form_decoded) == data
    assert decode_file(form_decoded.decode("ascii")) == data


def test_encode_file_takes_bytearray_and_memoryview() -> None:
    data = bytes(range(256)) * 2
    assert encode_file(bytearray(data)) == encode_file(memoryview(data)) == _reference(data)


def test_decode_file_reads_a_space_as_plus_lowercase_escapes_and_line_breaks() -> None:
    data = bytes([0xFB, 0xEF, 0xFF]) * 20  # base64 "++//" repeated
    text = base64.b64encode(data).decode()
    assert "+" in text
    assert "/" in text
    assert decode_file(text.replace("+", " ")) == data  # a client that left + unescaped sent spaces
    assert decode_file(text.replace("+", "%2b").replace("/", "%2f")) == data
    assert decode_file(text[:40] + "\r\n" + text[40:]) == data
    assert decode_file(base64.b64encode(b"a").replace(b"=", b"%3d")) == b"a"


@pytest.mark.parametrize("value", ["not base64!", "QQ", "QQ==QQ==", "%41%41%41%41", "é", b"\xff\xfe"])
def test_decode_file_rejects_what_is_not_base64_without_echoing_it(value: str | bytes) -> None:
    with pytest.raises(ValueError, match="file value") as caught:
        decode_file(value)
    shown = value if isinstance(value, str) else value.decode("latin-1")
    assert shown not in str(caught.value)


class Colour(enum.Enum):
    RED = "red"


class Size(enum.IntEnum):
    BIG = 9


def test_encode_form_renders_bool_enum_text_and_numbers() -> None:
    body = encode_form(
        [
            ("detect_direction", True),
            ("paragraph", False),
            ("language_type", AccurateLanguageType.AUTO_DETECT),
            ("colour", Colour.RED),
            ("size", Size.BIG),
            ("count", 3),
            ("url", "http://x/a b.png?q=1&r=2"),
            ("名", "值 +"),
        ]
    )
    expected = urlencode(
        [
            ("detect_direction", "true"),
            ("paragraph", "false"),
            ("language_type", "auto_detect"),
            ("colour", "red"),
            ("size", "9"),
            ("count", "3"),
            ("url", "http://x/a b.png?q=1&r=2"),
            ("名", "值 +"),
        ]
    ).encode("ascii")
    assert body == expected


def test_encode_form_encodes_raw_bytes_and_sends_an_encoded_file_as_is() -> None:
    data = os.urandom(CHUNK + 5)
    encoded = encode_file(data)
    assert encode_form([("image", data)]) == b"image=" + encoded
    assert encode_form([("image", bytearray(data))]) == b"image=" + encoded
    assert encode_form([("image", encoded)]) == b"image=" + encoded  # not encoded twice
    assert encode_form([("pdf_file", data), ("pdf_file_num", "2")]) == b"pdf_file=" + encoded + b"&pdf_file_num=2"


def test_encode_form_of_nothing_is_empty() -> None:
    assert encode_form([]) == b""
