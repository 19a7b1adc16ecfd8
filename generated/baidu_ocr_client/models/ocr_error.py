from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="OcrError")


@_attrs_define
class OcrError:
    """An in-band error. `error_code` tells it apart from a result.

    Attributes:
        error_code (int): One of the codes in `x-baidu-error-codes` (new codes may appear).
        error_msg (str | Unset): Baidu's description of the error.
        log_id (int | str | Unset): Unique request id (uint64, may exceed 2^53 and 2^63; some gateways send it as a
            decimal string).
    """

    error_code: int
    error_msg: str | Unset = UNSET
    log_id: int | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        error_code = self.error_code

        error_msg = self.error_msg

        log_id: int | str | Unset
        if isinstance(self.log_id, Unset):
            log_id = UNSET
        else:
            log_id = self.log_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "error_code": error_code,
            }
        )
        if error_msg is not UNSET:
            field_dict["error_msg"] = error_msg
        if log_id is not UNSET:
            field_dict["log_id"] = log_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        error_code = d.pop("error_code")

        error_msg = d.pop("error_msg", UNSET)

        def _parse_log_id(data: object) -> int | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | str | Unset, data)

        log_id = _parse_log_id(d.pop("log_id", UNSET))

        ocr_error = cls(
            error_code=error_code,
            error_msg=error_msg,
            log_id=log_id,
        )

        ocr_error.additional_properties = d
        return ocr_error

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
