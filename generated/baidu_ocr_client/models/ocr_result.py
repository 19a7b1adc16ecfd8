from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.paragraph_result import ParagraphResult
    from ..models.words_result import WordsResult


T = TypeVar("T", bound="OcrResult")


@_attrs_define
class OcrResult:
    """A successful recognition.

    Attributes:
        log_id (int | str): Unique request id (uint64, may exceed 2^53 and 2^63; some gateways send it as a decimal
            string).
        words_result_num (int): Number of elements of `words_result` (uint32).
        words_result (list[WordsResult]):
        direction (int | Unset): When `detect_direction=true`: -1 undefined, 0 upright, 1 rotated 90° counter-clockwise,
            2 180°, 3 270° counter-clockwise.
        paragraphs_result (list[ParagraphResult] | Unset): When `paragraph=true`.
        paragraphs_result_num (int | Unset): Number of paragraphs (sent by the real service, absent from the table).
        language (int | Unset): When `detect_language=true`. No table is published; seen: -1 Chinese, 3 mixed
            Chinese/English.
        pdf_file_size (int | str | Unset): Page count of `pdf_file` (documented as a string; related endpoints send an
            integer).
    """

    log_id: int | str
    words_result_num: int
    words_result: list[WordsResult]
    direction: int | Unset = UNSET
    paragraphs_result: list[ParagraphResult] | Unset = UNSET
    paragraphs_result_num: int | Unset = UNSET
    language: int | Unset = UNSET
    pdf_file_size: int | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        log_id: int | str
        log_id = self.log_id

        words_result_num = self.words_result_num

        words_result = []
        for words_result_item_data in self.words_result:
            words_result_item = words_result_item_data.to_dict()
            words_result.append(words_result_item)

        direction = self.direction

        paragraphs_result: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.paragraphs_result, Unset):
            paragraphs_result = []
            for paragraphs_result_item_data in self.paragraphs_result:
                paragraphs_result_item = paragraphs_result_item_data.to_dict()
                paragraphs_result.append(paragraphs_result_item)

        paragraphs_result_num = self.paragraphs_result_num

        language = self.language

        pdf_file_size: int | str | Unset
        if isinstance(self.pdf_file_size, Unset):
            pdf_file_size = UNSET
        else:
            pdf_file_size = self.pdf_file_size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "log_id": log_id,
                "words_result_num": words_result_num,
                "words_result": words_result,
            }
        )
        if direction is not UNSET:
            field_dict["direction"] = direction
        if paragraphs_result is not UNSET:
            field_dict["paragraphs_result"] = paragraphs_result
        if paragraphs_result_num is not UNSET:
            field_dict["paragraphs_result_num"] = paragraphs_result_num
        if language is not UNSET:
            field_dict["language"] = language
        if pdf_file_size is not UNSET:
            field_dict["pdf_file_size"] = pdf_file_size

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.paragraph_result import ParagraphResult  # noqa: PLC0415
        from ..models.words_result import WordsResult  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_log_id(data: object) -> int | str:
            return cast(int | str, data)

        log_id = _parse_log_id(d.pop("log_id"))

        words_result_num = d.pop("words_result_num")

        words_result = []
        _words_result = d.pop("words_result")
        for words_result_item_data in _words_result:
            words_result_item = WordsResult.from_dict(words_result_item_data)

            words_result.append(words_result_item)

        direction = d.pop("direction", UNSET)

        _paragraphs_result = d.pop("paragraphs_result", UNSET)
        paragraphs_result: list[ParagraphResult] | Unset = UNSET
        if _paragraphs_result is not UNSET:
            paragraphs_result = []
            for paragraphs_result_item_data in _paragraphs_result:
                paragraphs_result_item = ParagraphResult.from_dict(
                    paragraphs_result_item_data
                )

                paragraphs_result.append(paragraphs_result_item)

        paragraphs_result_num = d.pop("paragraphs_result_num", UNSET)

        language = d.pop("language", UNSET)

        def _parse_pdf_file_size(data: object) -> int | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | str | Unset, data)

        pdf_file_size = _parse_pdf_file_size(d.pop("pdf_file_size", UNSET))

        ocr_result = cls(
            log_id=log_id,
            words_result_num=words_result_num,
            words_result=words_result,
            direction=direction,
            paragraphs_result=paragraphs_result,
            paragraphs_result_num=paragraphs_result_num,
            language=language,
            pdf_file_size=pdf_file_size,
        )

        ocr_result.additional_properties = d
        return ocr_result

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
