from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Address")


@_attrs_define
class Address:
    """A parsed address: phone normalised to E.164, postal code checked for its country.

    Attributes:
        name (str):
        phone (str): A phone number in E.164 form (`+919876543210`). Example: +919876543210.
        line1 (str):
        city (str):
        postal_code (str): A postal code valid for its country and normalised: six digits not starting with 0
            for India, a ZIP or ZIP+4 for the United States, a postcode for the United Kingdom,
            five digits for Germany, `A1A 1A1` for Canada (see `AddressInput::postal_code`). Example: 560001.
        country (str):
        email (None | str | Unset):
        line2 (None | str | Unset):
        landmark (None | str | Unset):
        state (None | str | Unset):
    """

    name: str
    phone: str
    line1: str
    city: str
    postal_code: str
    country: str
    email: None | str | Unset = UNSET
    line2: None | str | Unset = UNSET
    landmark: None | str | Unset = UNSET
    state: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        phone = self.phone

        line1 = self.line1

        city = self.city

        postal_code = self.postal_code

        country = self.country

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        line2: None | str | Unset
        if isinstance(self.line2, Unset):
            line2 = UNSET
        else:
            line2 = self.line2

        landmark: None | str | Unset
        if isinstance(self.landmark, Unset):
            landmark = UNSET
        else:
            landmark = self.landmark

        state: None | str | Unset
        if isinstance(self.state, Unset):
            state = UNSET
        else:
            state = self.state

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "phone": phone,
                "line1": line1,
                "city": city,
                "postal_code": postal_code,
                "country": country,
            }
        )
        if email is not UNSET:
            field_dict["email"] = email
        if line2 is not UNSET:
            field_dict["line2"] = line2
        if landmark is not UNSET:
            field_dict["landmark"] = landmark
        if state is not UNSET:
            field_dict["state"] = state

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        phone = d.pop("phone")

        line1 = d.pop("line1")

        city = d.pop("city")

        postal_code = d.pop("postal_code")

        country = d.pop("country")

        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        def _parse_line2(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        line2 = _parse_line2(d.pop("line2", UNSET))

        def _parse_landmark(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        landmark = _parse_landmark(d.pop("landmark", UNSET))

        def _parse_state(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        state = _parse_state(d.pop("state", UNSET))

        address = cls(
            name=name,
            phone=phone,
            line1=line1,
            city=city,
            postal_code=postal_code,
            country=country,
            email=email,
            line2=line2,
            landmark=landmark,
            state=state,
        )

        address.additional_properties = d
        return address

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
