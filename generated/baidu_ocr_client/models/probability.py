from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Probability")


@_attrs_define
class Probability:
    """A line's confidence (present when `probability=true`).

    Attributes:
        average (float | Unset): Mean character confidence of the line.
        variance (float | Unset): Variance of the character confidences (may be `0`).
        min_ (float | Unset): Lowest character confidence of the line.
    """

    average: float | Unset = UNSET
    variance: float | Unset = UNSET
    min_: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        average = self.average

        variance = self.variance

        min_ = self.min_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if average is not UNSET:
            field_dict["average"] = average
        if variance is not UNSET:
            field_dict["variance"] = variance
        if min_ is not UNSET:
            field_dict["min"] = min_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        average = d.pop("average", UNSET)

        variance = d.pop("variance", UNSET)

        min_ = d.pop("min", UNSET)

        probability = cls(
            average=average,
            variance=variance,
            min_=min_,
        )

        probability.additional_properties = d
        return probability

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
