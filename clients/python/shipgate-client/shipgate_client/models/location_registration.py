from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LocationRegistration")


@_attrs_define
class LocationRegistration:
    """A pickup location's registration with one carrier account.

    Attributes:
        account (str): The carrier account id.
        carrier (str):
        state (str): `pending` (being registered, or the answer was lost), `registered` or `failed`.
        carrier_name (str): The name the carrier knows the location by.
        attempts (int):
        updated_at (datetime.datetime):
        carrier_id (None | str | Unset): The carrier's id for it, where it gives one.
        carrier_active (bool | None | Unset): Whether the carrier says the location is usable yet (Delhivery activates
            new
            warehouses by hand); null before an answer.
        carrier_message (None | str | Unset): The carrier's words: why it failed, or what it said on registering.
    """

    account: str
    carrier: str
    state: str
    carrier_name: str
    attempts: int
    updated_at: datetime.datetime
    carrier_id: None | str | Unset = UNSET
    carrier_active: bool | None | Unset = UNSET
    carrier_message: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        account = self.account

        carrier = self.carrier

        state = self.state

        carrier_name = self.carrier_name

        attempts = self.attempts

        updated_at = self.updated_at.isoformat()

        carrier_id: None | str | Unset
        if isinstance(self.carrier_id, Unset):
            carrier_id = UNSET
        else:
            carrier_id = self.carrier_id

        carrier_active: bool | None | Unset
        if isinstance(self.carrier_active, Unset):
            carrier_active = UNSET
        else:
            carrier_active = self.carrier_active

        carrier_message: None | str | Unset
        if isinstance(self.carrier_message, Unset):
            carrier_message = UNSET
        else:
            carrier_message = self.carrier_message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "account": account,
                "carrier": carrier,
                "state": state,
                "carrier_name": carrier_name,
                "attempts": attempts,
                "updated_at": updated_at,
            }
        )
        if carrier_id is not UNSET:
            field_dict["carrier_id"] = carrier_id
        if carrier_active is not UNSET:
            field_dict["carrier_active"] = carrier_active
        if carrier_message is not UNSET:
            field_dict["carrier_message"] = carrier_message

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        account = d.pop("account")

        carrier = d.pop("carrier")

        state = d.pop("state")

        carrier_name = d.pop("carrier_name")

        attempts = d.pop("attempts")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_carrier_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        carrier_id = _parse_carrier_id(d.pop("carrier_id", UNSET))

        def _parse_carrier_active(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        carrier_active = _parse_carrier_active(d.pop("carrier_active", UNSET))

        def _parse_carrier_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        carrier_message = _parse_carrier_message(d.pop("carrier_message", UNSET))

        location_registration = cls(
            account=account,
            carrier=carrier,
            state=state,
            carrier_name=carrier_name,
            attempts=attempts,
            updated_at=updated_at,
            carrier_id=carrier_id,
            carrier_active=carrier_active,
            carrier_message=carrier_message,
        )

        location_registration.additional_properties = d
        return location_registration

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
