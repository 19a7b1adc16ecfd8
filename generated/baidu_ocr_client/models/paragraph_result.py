from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ParagraphResult")


@_attrs_define
class ParagraphResult:
    """
    Attributes:
        words_result_idx (list[int] | Unset): Indexes into `words_result` of the lines of this paragraph.
    """

    words_result_idx: list[int] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        words_result_idx: list[int] | Unset = UNSET
        if not isinstance(self.words_result_idx, Unset):
            words_result_idx = self.words_result_idx

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if words_result_idx is not UNSET:
            field_dict["words_result_idx"] = words_result_idx

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        words_result_idx = cast(list[int], d.pop("words_result_idx", UNSET))

        paragraph_result = cls(
            words_result_idx=words_result_idx,
        )

        paragraph_result.additional_properties = d
        return paragraph_result

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
