from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.working_hours import WorkingHours


T = TypeVar("T", bound="PickupInput")


@_attrs_define
class PickupInput:
    """A pickup, as the API takes it.

    Attributes:
        pickup_location (str): The pickup location's id (`pl_…`).
        carrier_account (str): The carrier account to collect: an account id (`delhivery`, `ca_…`) the location
            is registered with.
        date (datetime.date): `YYYY-MM-DD`: today (India time) up to 7 days ahead.
        window (None | Unset | WorkingHours):
        shipments (list[str] | None | Unset): The shipments to collect (ids), booked with this account from this
            location and
            not picked up yet; or none, with `packages`.
        packages (int | None | Unset): Parcels to collect, 1–500, when no shipments are listed (Delhivery takes a count;
            Shiprocket needs the shipments).
    """

    pickup_location: str
    carrier_account: str
    date: datetime.date
    window: None | Unset | WorkingHours = UNSET
    shipments: list[str] | None | Unset = UNSET
    packages: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.working_hours import WorkingHours  # noqa: PLC0415

        pickup_location = self.pickup_location

        carrier_account = self.carrier_account

        date = self.date.isoformat()

        window: dict[str, Any] | None | Unset
        if isinstance(self.window, Unset):
            window = UNSET
        elif isinstance(self.window, WorkingHours):
            window = self.window.to_dict()
        else:
            window = self.window

        shipments: list[str] | None | Unset
        if isinstance(self.shipments, Unset):
            shipments = UNSET
        elif isinstance(self.shipments, list):
            shipments = self.shipments

        else:
            shipments = self.shipments

        packages: int | None | Unset
        if isinstance(self.packages, Unset):
            packages = UNSET
        else:
            packages = self.packages

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "pickup_location": pickup_location,
                "carrier_account": carrier_account,
                "date": date,
            }
        )
        if window is not UNSET:
            field_dict["window"] = window
        if shipments is not UNSET:
            field_dict["shipments"] = shipments
        if packages is not UNSET:
            field_dict["packages"] = packages

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.working_hours import WorkingHours  # noqa: PLC0415

        d = dict(src_dict)
        pickup_location = d.pop("pickup_location")

        carrier_account = d.pop("carrier_account")

        date = datetime.date.fromisoformat(d.pop("date"))

        def _parse_window(data: object) -> None | Unset | WorkingHours:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                window_type_0 = WorkingHours.from_dict(data)

                return window_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WorkingHours, data)

        window = _parse_window(d.pop("window", UNSET))

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

        def _parse_packages(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        packages = _parse_packages(d.pop("packages", UNSET))

        pickup_input = cls(
            pickup_location=pickup_location,
            carrier_account=carrier_account,
            date=date,
            window=window,
            shipments=shipments,
            packages=packages,
        )

        return pickup_input
