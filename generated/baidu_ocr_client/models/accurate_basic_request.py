from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..form import encode_form
from ..models.accurate_language_type import AccurateLanguageType
from ..types import UNSET, Unset

T = TypeVar("T", bound="AccurateBasicRequest")


@_attrs_define
class AccurateBasicRequest:
    """Form body of `accurate_basic`. Exactly one of `image`, `url`, `pdf_file`.

    Attributes:
        image (bytes | Unset): The image file's bytes (jpg/png/bmp); the client base64-encodes and form-escapes them —
            do not encode them yourself. On the wire: base64, then urlencoded. The encoded size, shortest side (15 px) and
            longest side are limited per endpoint (see `x-baidu-limits`). Takes priority over `url` and `pdf_file`.
        url (str | Unset): Full URL of a jpg/jpeg/png/bmp image, at most 1024 bytes, without hotlink protection. The
            downloaded image has the same limits as `image`. Used when `image` is absent; takes priority over `pdf_file`.
        pdf_file (bytes | Unset): The PDF file's bytes; the client base64-encodes and form-escapes them — do not encode
            them yourself. On the wire: base64, then urlencoded; same size and side limits as `image`. Used only when
            neither `image` nor `url` is present.
        pdf_file_num (str | Unset): 1-based page of `pdf_file` to recognize; page 1 when absent.
        language_type (AccurateLanguageType | Unset): Languages of the high-accuracy edition (default `CHN_ENG`): the
            union of the table and the description, which also names THA, VIE, ARA and HIN.
        detect_direction (bool | Unset): Detect whether the image is rotated 0/90/180/270° counter-clockwise (default
            `false`).
        paragraph (bool | Unset): Return paragraph information (default `false`).
        probability (bool | Unset): Return each line's confidence (default `false`).
    """

    image: bytes | Unset = UNSET
    url: str | Unset = UNSET
    pdf_file: bytes | Unset = UNSET
    pdf_file_num: str | Unset = UNSET
    language_type: AccurateLanguageType | Unset = UNSET
    detect_direction: bool | Unset = UNSET
    paragraph: bool | Unset = UNSET
    probability: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        image = self.image

        url = self.url

        pdf_file = self.pdf_file

        pdf_file_num = self.pdf_file_num

        language_type: str | Unset = UNSET
        if not isinstance(self.language_type, Unset):
            language_type = self.language_type.value

        detect_direction = self.detect_direction

        paragraph = self.paragraph

        probability = self.probability

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if image is not UNSET:
            field_dict["image"] = image
        if url is not UNSET:
            field_dict["url"] = url
        if pdf_file is not UNSET:
            field_dict["pdf_file"] = pdf_file
        if pdf_file_num is not UNSET:
            field_dict["pdf_file_num"] = pdf_file_num
        if language_type is not UNSET:
            field_dict["language_type"] = language_type
        if detect_direction is not UNSET:
            field_dict["detect_direction"] = detect_direction
        if paragraph is not UNSET:
            field_dict["paragraph"] = paragraph
        if probability is not UNSET:
            field_dict["probability"] = probability

        return field_dict

    def to_form(self) -> bytes:
        """The exact ``application/x-www-form-urlencoded`` body: the set fields in the spec's order, then
        ``additional_properties``.

        Files (``image``, ``pdf_file``, their raw bytes) are base64-encoded and form-escaped here;
        a ``form.EncodedFile`` is sent as is.
        Booleans travel as ``true`` / ``false``, enums as their value (see ``form.encode_form``).
        """
        fields: list[tuple[str, object]] = []
        if not isinstance(self.image, Unset):
            fields.append(("image", self.image))
        if not isinstance(self.url, Unset):
            fields.append(("url", self.url))
        if not isinstance(self.pdf_file, Unset):
            fields.append(("pdf_file", self.pdf_file))
        if not isinstance(self.pdf_file_num, Unset):
            fields.append(("pdf_file_num", self.pdf_file_num))
        if not isinstance(self.language_type, Unset):
            fields.append(("language_type", self.language_type))
        if not isinstance(self.detect_direction, Unset):
            fields.append(("detect_direction", self.detect_direction))
        if not isinstance(self.paragraph, Unset):
            fields.append(("paragraph", self.paragraph))
        if not isinstance(self.probability, Unset):
            fields.append(("probability", self.probability))
        fields.extend(self.additional_properties.items())
        return encode_form(fields)

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        image = d.pop("image", UNSET)

        url = d.pop("url", UNSET)

        pdf_file = d.pop("pdf_file", UNSET)

        pdf_file_num = d.pop("pdf_file_num", UNSET)

        _language_type = d.pop("language_type", UNSET)
        language_type: AccurateLanguageType | Unset
        if isinstance(_language_type, Unset):
            language_type = UNSET
        else:
            language_type = AccurateLanguageType(_language_type)

        detect_direction = d.pop("detect_direction", UNSET)

        paragraph = d.pop("paragraph", UNSET)

        probability = d.pop("probability", UNSET)

        accurate_basic_request = cls(
            image=image,
            url=url,
            pdf_file=pdf_file,
            pdf_file_num=pdf_file_num,
            language_type=language_type,
            detect_direction=detect_direction,
            paragraph=paragraph,
            probability=probability,
        )

        accurate_basic_request.additional_properties = d
        return accurate_basic_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
