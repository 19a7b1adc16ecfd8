"""Input checks and encoding: everything that happens before the network."""

from __future__ import annotations

import base64
import io
from urllib.parse import parse_qs, quote_plus

import pytest
from baidu_fakes import image_bytes, pdf_bytes
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from baidu_ocr import (
    OCR,
    EmptyInputError,
    ImageDimensionsError,
    InputTooLargeError,
    InvalidOptionError,
    UnsupportedFormatError,
    URLTooLongError,
)
from baidu_ocr._inputs import FileSource, encode_image
from baidu_ocr._options import Endpoint
from baidu_ocr_client.form import encode_file as encode_binary_field
from baidu_ocr_client.form import encode_form
from baidu_ocr_formats import image_size, sniff_format
from baidu_ocr_spec import LIMITS


@pytest.fixture
def offline_ocr() -> OCR:
    """A client whose every request fails the test: input errors must be raised before the network."""

    import httpx

    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"no request expected, got {request}")

    return OCR(access_token="t", base_url="http://127.0.0.1:9", transport=httpx.MockTransport(refuse))


def form_body(ocr: OCR, endpoint: Endpoint, image: FileSource) -> bytes:
    """The form body the client would send for ``image`` (the generated request model's encoding)."""
    body: bytes = ocr._call(endpoint, image, None, None, None, {}, None).body.to_form()
    return body


@given(st.binary(max_size=3000))
def test_binary_field_is_exactly_urlencoded_base64(data: bytes) -> None:
    encoded = encode_binary_field(data)
    assert encoded.decode() == quote_plus(base64.b64encode(data).decode())
    assert base64.b64decode(parse_qs("image=" + encoded.decode())["image"][0]) == data if data else True


@pytest.mark.parametrize("size", [3 * 32 * 1024, 3 * 32 * 1024 + 1, 1_000_001])
def test_binary_field_across_chunk_boundaries(size: int) -> None:
    import os

    data = os.urandom(size)
    assert encode_binary_field(data).decode() == quote_plus(base64.b64encode(data).decode())


def test_form_joins_binary_and_text_fields() -> None:
    body = encode_form([("image", encode_binary_field(b"\xfb\xff")), ("language_type", "CHN_ENG"), ("q", "a b&c")])
    assert parse_qs(body.decode()) == {"image": ["+/8="], "language_type": ["CHN_ENG"], "q": ["a b&c"]}


@pytest.mark.parametrize(("fmt", "expected"), [("PNG", "png"), ("JPEG", "jpeg"), ("BMP", "bmp")])
def test_sniff_format_and_header_size(fmt: str, expected: str) -> None:
    data = image_bytes(321, 123, fmt)
    assert sniff_format(data) == expected
    assert image_size(data, sniff_format(data) or "png") == (321, 123)


def test_progressive_jpeg_size_and_pdf_sniffing() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (77, 55), "red").save(buffer, format="JPEG", progressive=True)
    assert image_size(buffer.getvalue(), "jpeg") == (77, 55)
    assert sniff_format(pdf_bytes(1)) == "pdf"
    assert sniff_format(b"GIF89a....") is None


def test_empty_input(offline_ocr: OCR) -> None:
    with pytest.raises(EmptyInputError, match="image is empty"):
        offline_ocr.general_basic(b"")


def test_unsupported_format_names_what_is_accepted(offline_ocr: OCR) -> None:
    gif = io.BytesIO()
    Image.new("RGB", (40, 40)).save(gif, format="GIF")
    with pytest.raises(UnsupportedFormatError, match=r"jpeg/png/bmp"):
        offline_ocr.general_basic(gif.getvalue())
    with pytest.raises(UnsupportedFormatError, match="pass it as pdf="):
        offline_ocr.general_basic(pdf_bytes(1))


def test_side_limits_per_endpoint(offline_ocr: OCR) -> None:
    with pytest.raises(ImageDimensionsError, match=r"120x10 px.*at least 15 px") as small:
        offline_ocr.general_basic(image_bytes(120, 10))
    assert (small.value.width, small.value.height, small.value.min_side) == (120, 10, 15)
    with pytest.raises(ImageDimensionsError, match=r"5000x20 px.*at most 4096 px"):
        offline_ocr.general_basic(image_bytes(5000, 20))
    body = form_body(offline_ocr, "accurate_basic", image_bytes(5000, 20))
    assert body.startswith(b"image=")


def test_encoded_size_limit_names_size_and_limit() -> None:
    import os

    noisy = Image.frombytes("RGB", (1400, 1400), os.urandom(1400 * 1400 * 3))
    buffer = io.BytesIO()
    noisy.save(buffer, format="BMP")
    data = buffer.getvalue()  # 5.9 MB: ~7.8 MB encoded, over standard's 4 MiB, under accurate's 10 MiB
    with pytest.raises(InputTooLargeError, match=r"4,194,304 bytes \(4.00 MiB\)") as caught:
        encode_image(data, LIMITS["general_basic"], "general_basic")
    assert caught.value.limit == 4 * 1024 * 1024
    assert caught.value.size > caught.value.limit
    assert encode_image(data, LIMITS["accurate_basic"], "accurate_basic")


def test_url_checks(offline_ocr: OCR) -> None:
    with pytest.raises(URLTooLongError, match=r"1025 bytes.*at most 1024"):
        offline_ocr.general_basic(url="http://x/" + "a" * 1016)
    with pytest.raises(UnsupportedFormatError, match="http:// or https://"):
        offline_ocr.general_basic(url="ftp://x/a.png")


def test_exactly_one_input_and_option_checks(offline_ocr: OCR) -> None:
    with pytest.raises(InvalidOptionError, match=r"exactly one.*none was given"):
        offline_ocr.general_basic()
    with pytest.raises(InvalidOptionError, match="got image, url"):
        offline_ocr.general_basic(image_bytes(), url="http://x/a.png")
    with pytest.raises(InvalidOptionError, match="'THA' is not accepted by general_basic"):
        offline_ocr.general_basic(image_bytes(), language_type="THA")  # type: ignore[arg-type]  # mypy sees it too
    with pytest.raises(InvalidOptionError, match="may not set 'image'"):
        offline_ocr.general_basic(image_bytes(), extra_options={"image": "x"})


def test_path_and_binary_file_inputs(offline_ocr: OCR, tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "a.png"
    path.write_bytes(image_bytes())
    from_path = form_body(offline_ocr, "general_basic", str(path))
    with path.open("rb") as handle:
        from_file = form_body(offline_ocr, "general_basic", handle)
    assert from_path == from_file == form_body(offline_ocr, "general_basic", image_bytes())
    with pytest.raises(EmptyInputError, match="no such file"):
        offline_ocr.general_basic(str(path) + ".missing")


def test_auto_fit_shrinks_an_oversized_image() -> None:
    import httpx

    captured: list[bytes] = []

    def answer(request: httpx.Request) -> httpx.Response:
        captured.append(request.content)
        return httpx.Response(200, json={"log_id": 1, "words_result_num": 0, "words_result": []})

    with OCR(access_token="t", base_url="http://test", transport=httpx.MockTransport(answer), auto_fit=True) as ocr:
        ocr.general_basic(image_bytes(6000, 1500))
    sent = base64.b64decode(parse_qs(captured[0].decode())["image"][0])
    assert Image.open(io.BytesIO(sent)).size == (4096, 1024)
