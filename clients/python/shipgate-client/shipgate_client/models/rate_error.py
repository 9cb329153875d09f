from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RateError")


@_attrs_define
class RateError:
    """
    Attributes:
        carrier (str): The carrier id.
        carrier_account (str): The carrier account that was asked.
        code (str): The carrier's code for a rejection, else `timeout`, `circuit_open`,
            `not_serviceable`, `account_unusable` (the tenant's own account of the carrier
            cannot be opened) or the failure class (`upstream`, `connect`, …).
        detail (str):
    """

    carrier: str
    carrier_account: str
    code: str
    detail: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        carrier = self.carrier

        carrier_account = self.carrier_account

        code = self.code

        detail = self.detail

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "carrier": carrier,
                "carrier_account": carrier_account,
                "code": code,
                "detail": detail,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        carrier = d.pop("carrier")

        carrier_account = d.pop("carrier_account")

        code = d.pop("code")

        detail = d.pop("detail")

        rate_error = cls(
            carrier=carrier,
            carrier_account=carrier_account,
            code=code,
            detail=detail,
        )

        rate_error.additional_properties = d
        return rate_error

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
