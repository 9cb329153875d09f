from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Parts")


@_attrs_define
class Parts:
    """The parts found in the street lines; any may be missing.

    Attributes:
        house (None | str | Unset): House, flat, door or plot number, with the word before it (`Flat 302`, `#45`).
        building (None | str | Unset): Building, apartment block or society.
        street (None | str | Unset):
        locality (None | str | Unset): Locality, area, sector, layout or village.
        landmark (None | str | Unset): A landmark: the `landmark` field, or a `near …`/`opp …` phrase in the lines.
    """

    house: None | str | Unset = UNSET
    building: None | str | Unset = UNSET
    street: None | str | Unset = UNSET
    locality: None | str | Unset = UNSET
    landmark: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        house: None | str | Unset
        if isinstance(self.house, Unset):
            house = UNSET
        else:
            house = self.house

        building: None | str | Unset
        if isinstance(self.building, Unset):
            building = UNSET
        else:
            building = self.building

        street: None | str | Unset
        if isinstance(self.street, Unset):
            street = UNSET
        else:
            street = self.street

        locality: None | str | Unset
        if isinstance(self.locality, Unset):
            locality = UNSET
        else:
            locality = self.locality

        landmark: None | str | Unset
        if isinstance(self.landmark, Unset):
            landmark = UNSET
        else:
            landmark = self.landmark

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if house is not UNSET:
            field_dict["house"] = house
        if building is not UNSET:
            field_dict["building"] = building
        if street is not UNSET:
            field_dict["street"] = street
        if locality is not UNSET:
            field_dict["locality"] = locality
        if landmark is not UNSET:
            field_dict["landmark"] = landmark

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_house(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        house = _parse_house(d.pop("house", UNSET))

        def _parse_building(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        building = _parse_building(d.pop("building", UNSET))

        def _parse_street(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        street = _parse_street(d.pop("street", UNSET))

        def _parse_locality(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        locality = _parse_locality(d.pop("locality", UNSET))

        def _parse_landmark(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        landmark = _parse_landmark(d.pop("landmark", UNSET))

        parts = cls(
            house=house,
            building=building,
            street=street,
            locality=locality,
            landmark=landmark,
        )

        parts.additional_properties = d
        return parts

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
