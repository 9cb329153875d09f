from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AddressInput")


@_attrs_define
class AddressInput:
    """An address as the OMS sends it. Text is trimmed before it is checked, so the lengths
    count the text without surrounding whitespace.

        Attributes:
            name (str): At most 100 characters. Example: Asha Rao.
            phone (str): Indian mobile numbers in any common form (`+91 98765 43210`, `09876543210`);
                other countries in international form (7 to 15 digits). Digits, spaces, dashes,
                dots, parentheses and `+` only. Example: +91 98765 43210.
            line1 (str): At most 200 characters. Example: 12 MG Road.
            city (str): At most 100 characters. Example: Bengaluru.
            postal_code (str): The postal code in the country's format, normalised: India six digits not
                starting with 0 (`560001`); United States a ZIP code (`94105`) or ZIP+4
                (`94105-1234`); United Kingdom a postcode (`SW1A 1AA`, any case and spacing);
                Germany five digits (`10115`); Canada `A1A 1A1` (with or without the space).
                Elsewhere 3 to 10 letters, digits, spaces or dashes, upper-cased. Example: 560001.
            email (None | str | Unset): At most 254 characters: something `@` a domain with a dot, without spaces.
            line2 (None | str | Unset): At most 200 characters.
            landmark (None | str | Unset): At most 200 characters.
            state (None | str | Unset): At most 100 characters. Required in the United States and Canada, where it is the
                state's or province's two-letter code (`NY`, `ON`) or its name (`New York`,
                `Ontario`), kept as the code; anything else there is refused (`invalid_state`). In
                India it is kept as written (a name such as `Karnataka` or a code such as `KA`;
                carriers that need the code get it from the gateway). Elsewhere free text. Example: Karnataka.
            country (None | str | Unset): ISO 3166-1 alpha-2, either case; `IN` when absent or empty. `UK` is taken as `GB`.
                Example: IN.
    """

    name: str
    phone: str
    line1: str
    city: str
    postal_code: str
    email: None | str | Unset = UNSET
    line2: None | str | Unset = UNSET
    landmark: None | str | Unset = UNSET
    state: None | str | Unset = UNSET
    country: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        phone = self.phone

        line1 = self.line1

        city = self.city

        postal_code = self.postal_code

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

        country: None | str | Unset
        if isinstance(self.country, Unset):
            country = UNSET
        else:
            country = self.country

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "phone": phone,
                "line1": line1,
                "city": city,
                "postal_code": postal_code,
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
        if country is not UNSET:
            field_dict["country"] = country

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        phone = d.pop("phone")

        line1 = d.pop("line1")

        city = d.pop("city")

        postal_code = d.pop("postal_code")

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

        def _parse_country(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        country = _parse_country(d.pop("country", UNSET))

        address_input = cls(
            name=name,
            phone=phone,
            line1=line1,
            city=city,
            postal_code=postal_code,
            email=email,
            line2=line2,
            landmark=landmark,
            state=state,
            country=country,
        )

        address_input.additional_properties = d
        return address_input

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
