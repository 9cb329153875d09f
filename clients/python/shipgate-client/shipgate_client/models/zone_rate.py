from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ZoneRate")


@_attrs_define
class ZoneRate:
    """
    Attributes:
        first_slab (int):
        additional_slab (int):
        transit_days (int | None | Unset):
    """

    first_slab: int
    additional_slab: int
    transit_days: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        first_slab = self.first_slab

        additional_slab = self.additional_slab

        transit_days: int | None | Unset
        if isinstance(self.transit_days, Unset):
            transit_days = UNSET
        else:
            transit_days = self.transit_days

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "first_slab": first_slab,
                "additional_slab": additional_slab,
            }
        )
        if transit_days is not UNSET:
            field_dict["transit_days"] = transit_days

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        first_slab = d.pop("first_slab")

        additional_slab = d.pop("additional_slab")

        def _parse_transit_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        transit_days = _parse_transit_days(d.pop("transit_days", UNSET))

        zone_rate = cls(
            first_slab=first_slab,
            additional_slab=additional_slab,
            transit_days=transit_days,
        )

        zone_rate.additional_properties = d
        return zone_rate

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
