"""The fast form decoder agrees with urllib.parse.parse_qsl and handles 10 MB bodies."""

from __future__ import annotations

import base64
import os
from urllib.parse import parse_qsl, quote, urlencode

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from baidu_ocr_server.form import decode_component, parse_form, parse_pairs

# Bodies built from the characters that matter: separators, escapes (valid, broken, lower/upper case), '+',
# base64's alphabet and some non-ASCII text.
_PIECES = st.sampled_from(
    ["&", "=", "+", "%", "%2B", "%2b", "%2F", "%2f", "%3D", "%3d", "%25", "%E4%B8%AD", "%E4", "%C3", "%zz", "%2",
     "a", "Z", "0", "/", " ", "中", "é", "©", "\x80", "%00", "%FF"]
)  # fmt: skip
_BODIES = st.one_of(
    st.lists(_PIECES, max_size=40).map("".join),
    st.text(max_size=60),
)


@given(_BODIES)
@settings(max_examples=600, deadline=None, database=None)
@example("%%2B")
@example("%2%2F")
@example("%25%2B=%E4%B8" + "中")
@example("a&&b=&=c&d==e+f")
def test_matches_parse_qsl(body: str) -> None:
    assert parse_pairs(body.encode("utf-8")) == parse_qsl(body, keep_blank_values=True)


@given(st.dictionaries(st.text(min_size=1, max_size=10), st.text(max_size=30), max_size=5))
@settings(max_examples=200, deadline=None, database=None)
def test_round_trips_urlencode(fields: dict[str, str]) -> None:
    assert parse_form(urlencode(fields).encode()).fields == fields
    assert parse_form(urlencode(fields, quote_via=quote).encode()).fields == fields


@given(st.binary(max_size=300))
@settings(max_examples=300, deadline=None, database=None)
def test_base64_values_round_trip(data: bytes) -> None:
    encoded = base64.b64encode(data).decode()
    form = parse_form(urlencode({"image": encoded, "probability": "true"}).encode())
    assert form.fields == {"image": encoded, "probability": "true"}


@pytest.mark.parametrize(
    ("raw", "decoded"),
    [
        (b"abc", "abc"),
        (b"a+b", "a b"),
        (b"a%2Bb", "a+b"),
        (b"%2b%2f%3d", "+/="),
        (b"%252B", "%2B"),  # an escaped percent sign stays one
        (b"%2B%20%2F", "+ /"),
        (b"%E4%B8%AD%2B", "中+"),
        (b"%", "%"),
        (b"%G0", "%G0"),
        (b"\xe4\xb8\xad", "中"),
        (b"\xff", "\ufffd"),
    ],
)
def test_decode_component(raw: bytes, decoded: str) -> None:
    assert decode_component(raw) == decoded


def test_last_value_wins_and_sizes_are_the_encoded_ones() -> None:
    form = parse_form(b"image=a%2Bb&url=x&image=c%2B%2Fd%3D%3D")
    assert form.fields == {"image": "c+/d==", "url": "x"}
    assert form.encoded_sizes == {"image": len("c%2B%2Fd%3D%3D"), "url": 1}


def test_ten_megabyte_body() -> None:
    data = base64.b64encode(os.urandom(7_400_000)).decode()
    body = urlencode({"image": data, "detect_direction": "true", "language_type": "CHN_ENG"}).encode()
    assert len(body) > 10_000_000
    form = parse_form(body)
    assert form.fields["image"] == data
    assert form.fields["detect_direction"] == "true"
    assert form.encoded_sizes["image"] == len(quote(data, safe=""))


def test_ten_megabyte_body_with_unusual_escapes_falls_back_correctly() -> None:
    data = base64.b64encode(os.urandom(7_400_000)).decode()
    # Escape everything, '%41' for 'A' included: the slow path must still be right.
    body = b"image=" + quote(data, safe="").replace("A", "%41").encode() + b"&x=%E4%B8%AD"
    form = parse_form(body)
    assert form.fields == {"image": data, "x": "中"}
