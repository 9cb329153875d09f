from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ManifestInput")


@_attrs_define
class ManifestInput:
    """A manifest, as the API takes it.

    Attributes:
        pickup_location (str): The pickup location's id (`pl_…`).
        carrier_account (str): The carrier account whose shipments it lists.
        date (datetime.date | None | Unset): The day it closes, `YYYY-MM-DD` (today in India when absent).
        shipments (list[str] | None | Unset): The shipments (ids) to hand over; absent: every shipment booked with the
            account
            from the location's PIN code, not picked up yet and in no manifest.
    """

    pickup_location: str
    carrier_account: str
    date: datetime.date | None | Unset = UNSET
    shipments: list[str] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        pickup_location = self.pickup_location

        carrier_account = self.carrier_account

        date: None | str | Unset
        if isinstance(self.date, Unset):
            date = UNSET
        elif isinstance(self.date, datetime.date):
            date = self.date.isoformat()
        else:
            date = self.date

        shipments: list[str] | None | Unset
        if isinstance(self.shipments, Unset):
            shipments = UNSET
        elif isinstance(self.shipments, list):
            shipments = self.shipments

        else:
            shipments = self.shipments

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "pickup_location": pickup_location,
                "carrier_account": carrier_account,
            }
        )
        if date is not UNSET:
            field_dict["date"] = date
        if shipments is not UNSET:
            field_dict["shipments"] = shipments

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        pickup_location = d.pop("pickup_location")

        carrier_account = d.pop("carrier_account")

        def _parse_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                date_type_0 = datetime.date.fromisoformat(data)

                return date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        date = _parse_date(d.pop("date", UNSET))

        def _parse_shipments(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                shipments_type_0 = cast(list[str], data)

                return shipments_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        shipments = _parse_shipments(d.pop("shipments", UNSET))

        manifest_input = cls(
            pickup_location=pickup_location,
            carrier_account=carrier_account,
            date=date,
            shipments=shipments,
        )

        return manifest_input
