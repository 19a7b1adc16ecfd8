from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TokenResponse")


@_attrs_define
class TokenResponse:
    """
    Attributes:
        access_token (str): The token to pass as `access_token` (e.g. `24.….2592000.….-…`).
        expires_in (int): Seconds until the token expires (2592000, 30 days, on Baidu).
        scope (str | Unset): Space-separated scopes, e.g. `… brain_all_scope …`.
        session_key (str | Unset):
        session_secret (str | Unset):
        refresh_token (str | Unset):
    """

    access_token: str = _attrs_field(repr=False)
    expires_in: int
    scope: str | Unset = UNSET
    session_key: str | Unset = _attrs_field(default=UNSET, repr=False)
    session_secret: str | Unset = _attrs_field(default=UNSET, repr=False)
    refresh_token: str | Unset = _attrs_field(default=UNSET, repr=False)
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        access_token = self.access_token

        expires_in = self.expires_in

        scope = self.scope

        session_key = self.session_key

        session_secret = self.session_secret

        refresh_token = self.refresh_token

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "access_token": access_token,
                "expires_in": expires_in,
            }
        )
        if scope is not UNSET:
            field_dict["scope"] = scope
        if session_key is not UNSET:
            field_dict["session_key"] = session_key
        if session_secret is not UNSET:
            field_dict["session_secret"] = session_secret
        if refresh_token is not UNSET:
            field_dict["refresh_token"] = refresh_token

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        access_token = d.pop("access_token")

        expires_in = d.pop("expires_in")

        scope = d.pop("scope", UNSET)

        session_key = d.pop("session_key", UNSET)

        session_secret = d.pop("session_secret", UNSET)

        refresh_token = d.pop("refresh_token", UNSET)

        token_response = cls(
            access_token=access_token,
            expires_in=expires_in,
            scope=scope,
            session_key=session_key,
            session_secret=session_secret,
            refresh_token=refresh_token,
        )

        token_response.additional_properties = d
        return token_response

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
