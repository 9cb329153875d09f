from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ZoneRateInput")


@_attrs_define
class ZoneRateInput:
    """
    Attributes:
        first_slab (int): Price of the first slab, minor units: 1 to 100000000. Example: 4000.
        additional_slab (int): Price of each additional slab, minor units: 0 (free) to 100000000. Example: 3500.
        transit_days (int | None | Unset): Promised transit time, shown on quotes: 0 to 60 days.
    """

    first_slab: int
    additional_slab: int
    transit_days: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        first_slab = self.first_slab

        additional_slab = self.additional_slab

        transit_days: int | None | Unset
        if isinstance(self.transit_days, Unset):
            transit_days = UNSET
        else:
            transit_days = self.transit_days

        field_dict: dict[str, Any] = {}

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

        zone_rate_input = cls(
            first_slab=first_slab,
            additional_slab=additional_slab,
            transit_days=transit_days,
        )

        return zone_rate_input
