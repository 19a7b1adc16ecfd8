"""The generated request models: raw bytes and bools in, the exact form body out (``to_form``)."""

from __future__ import annotations

import base64
import inspect
from urllib.parse import parse_qsl

import attrs

from baidu_ocr_client.form import encode_file
from baidu_ocr_client.models import (
    AccurateBasicRequest,
    AccurateLanguageType,
    GeneralBasicRequest,
    GeneralLanguageType,
    GrantType,
    TokenRequest,
    TokenResponse,
)
from baidu_ocr_client.types import UNSET

IMAGE = bytes(range(256)) * 3
PDF = b"%PDF-1.4\n" + bytes(range(255, -1, -1))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def test_general_basic_to_form_every_field_in_spec_order_then_extra_options() -> None:
    body = GeneralBasicRequest(
        image=IMAGE,
        url="http://x/a.png?b=1",
        pdf_file=PDF,
        pdf_file_num="2",
        language_type=GeneralLanguageType.ENG,
        detect_direction=True,
        detect_language=False,
        paragraph=True,
        probability=False,
    )
    body["multidirectional_recognize"] = True
    body["vertexes_location"] = "true"

    form = body.to_form()

    assert parse_qsl(form.decode("ascii"), keep_blank_values=True) == [
        ("image", _b64(IMAGE)),
        ("url", "http://x/a.png?b=1"),
        ("pdf_file", _b64(PDF)),
        ("pdf_file_num", "2"),
        ("language_type", "ENG"),
        ("detect_direction", "true"),
        ("detect_language", "false"),
        ("paragraph", "true"),
        ("probability", "false"),
        ("multidirectional_recognize", "true"),
        ("vertexes_location", "true"),
    ]
    assert form.startswith(b"image=" + encode_file(IMAGE) + b"&url=http%3A%2F%2Fx%2Fa.png%3Fb%3D1&")


def test_accurate_basic_to_form_leaves_unset_fields_out() -> None:
    body = AccurateBasicRequest(pdf_file=PDF, language_type=AccurateLanguageType.AUTO_DETECT, probability=True)
    assert body.to_form() == b"pdf_file=" + encode_file(PDF) + b"&language_type=auto_detect&probability=true"
    assert AccurateBasicRequest().to_form() == b""


def test_an_encoded_file_in_a_model_is_sent_as_is() -> None:
    assert GeneralBasicRequest(image=encode_file(IMAGE)).to_form() == GeneralBasicRequest(image=IMAGE).to_form()


def test_token_request_to_form() -> None:
    body = TokenRequest(grant_type=GrantType.CLIENT_CREDENTIALS, client_id="id +&", client_secret="s/=?")
    assert body.to_form() == b"grant_type=client_credentials&client_id=id+%2B%26&client_secret=s%2F%3D%3F"


def test_files_are_bytes_and_booleans_are_bool_in_the_models() -> None:
    for model in (GeneralBasicRequest, AccurateBasicRequest):
        fields = {field.name: field.type for field in attrs.fields(model)}
        assert fields["image"] == "bytes | Unset"
        assert fields["pdf_file"] == "bytes | Unset"
        assert fields["detect_direction"] == "bool | Unset"
        assert fields["probability"] == "bool | Unset"
        doc = inspect.getdoc(model) or ""
        assert "image (bytes | Unset): The image file's bytes (jpg/png/bmp); the client base64-encodes" in doc
        assert "do not encode them yourself" in doc
    assert "detect_language" in {field.name for field in attrs.fields(GeneralBasicRequest)}
    assert "detect_language" not in {field.name for field in attrs.fields(AccurateBasicRequest)}


def test_unset_reads_as_unset_in_reprs() -> None:
    assert repr(GeneralBasicRequest(url="u")).startswith("GeneralBasicRequest(image=UNSET, url='u', pdf_file=UNSET")
    assert repr(UNSET) == "UNSET"


def test_secret_fields_stay_out_of_reprs_but_not_out_of_the_data() -> None:
    request = TokenRequest(grant_type=GrantType.CLIENT_CREDENTIALS, client_id="id", client_secret="the-secret-key")
    assert "the-secret-key" not in repr(request)
    assert b"client_secret=the-secret-key" in request.to_form()
    payload = {"access_token": "24.tok", "expires_in": 5, "refresh_token": "25.r", "session_key": "k",
               "session_secret": "s", "scope": "brain_all_scope"}  # fmt: skip
    response = TokenResponse.from_dict(payload)
    assert repr(response) == "TokenResponse(expires_in=5, scope='brain_all_scope', additional_properties={})"
    assert response.access_token == "24.tok"
    assert response.to_dict() == payload
