from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..form import encode_form
from ..models.grant_type import GrantType

T = TypeVar("T", bound="TokenRequest")


@_attrs_define
class TokenRequest:
    """
    Attributes:
        grant_type (GrantType): Always `client_credentials`.
        client_id (str): The application's API key.
        client_secret (str): The application's secret key.
    """

    grant_type: GrantType
    client_id: str
    client_secret: str = _attrs_field(repr=False)
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        grant_type = self.grant_type.value

        client_id = self.client_id

        client_secret = self.client_secret

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "grant_type": grant_type,
                "client_id": client_id,
                "client_secret": client_secret,
            }
        )

        return field_dict

    def to_form(self) -> bytes:
        """The exact ``application/x-www-form-urlencoded`` body: the set fields in the spec's order, then
        ``additional_properties``.

        Booleans travel as ``true`` / ``false``, enums as their value (see ``form.encode_form``).
        """
        fields: list[tuple[str, object]] = []
        fields.append(("grant_type", self.grant_type))
        fields.append(("client_id", self.client_id))
        fields.append(("client_secret", self.client_secret))
        fields.extend(self.additional_properties.items())
        return encode_form(fields)

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        grant_type = GrantType(d.pop("grant_type"))

        client_id = d.pop("client_id")

        client_secret = d.pop("client_secret")

        token_request = cls(
            grant_type=grant_type,
            client_id=client_id,
            client_secret=client_secret,
        )

        token_request.additional_properties = d
        return token_request

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
