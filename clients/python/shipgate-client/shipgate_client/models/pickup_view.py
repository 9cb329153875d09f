from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.pickup_state import PickupState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.pickup_shipment import PickupShipment
    from ..models.working_hours import WorkingHours


T = TypeVar("T", bound="PickupView")


@_attrs_define
class PickupView:
    """A pickup as the API and its webhooks show it.

    Attributes:
        id (str):
        pickup_location (str):
        carrier (str):
        carrier_account (str):
        date (datetime.date): The date asked for (`YYYY-MM-DD`, the location's local date).
        packages (int): Parcels to collect.
        state (PickupState): Where a pickup stands.
        shipments (list[PickupShipment]):
        requested_at (datetime.datetime):
        window (None | Unset | WorkingHours):
        carrier_pickup_id (None | str | Unset): The carrier's pickup reference.
        carrier_date (datetime.date | None | Unset): The date the carrier confirmed (it may move the one asked for).
        carrier_message (None | str | Unset):
        answered_at (datetime.datetime | None | Unset):
        settled_at (datetime.datetime | None | Unset):
        cancelled_at (datetime.datetime | None | Unset):
    """

    id: str
    pickup_location: str
    carrier: str
    carrier_account: str
    date: datetime.date
    packages: int
    state: PickupState
    shipments: list[PickupShipment]
    requested_at: datetime.datetime
    window: None | Unset | WorkingHours = UNSET
    carrier_pickup_id: None | str | Unset = UNSET
    carrier_date: datetime.date | None | Unset = UNSET
    carrier_message: None | str | Unset = UNSET
    answered_at: datetime.datetime | None | Unset = UNSET
    settled_at: datetime.datetime | None | Unset = UNSET
    cancelled_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.working_hours import WorkingHours  # noqa: PLC0415

        id = self.id

        pickup_location = self.pickup_location

        carrier = self.carrier

        carrier_account = self.carrier_account

        date = self.date.isoformat()

        packages = self.packages

        state = self.state.value

        shipments = []
        for shipments_item_data in self.shipments:
            shipments_item = shipments_item_data.to_dict()
            shipments.append(shipments_item)

        requested_at = self.requested_at.isoformat()

        window: dict[str, Any] | None | Unset
        if isinstance(self.window, Unset):
            window = UNSET
        elif isinstance(self.window, WorkingHours):
            window = self.window.to_dict()
        else:
            window = self.window

        carrier_pickup_id: None | str | Unset
        if isinstance(self.carrier_pickup_id, Unset):
            carrier_pickup_id = UNSET
        else:
            carrier_pickup_id = self.carrier_pickup_id

        carrier_date: None | str | Unset
        if isinstance(self.carrier_date, Unset):
            carrier_date = UNSET
        elif isinstance(self.carrier_date, datetime.date):
            carrier_date = self.carrier_date.isoformat()
        else:
            carrier_date = self.carrier_date

        carrier_message: None | str | Unset
        if isinstance(self.carrier_message, Unset):
            carrier_message = UNSET
        else:
            carrier_message = self.carrier_message

        answered_at: None | str | Unset
        if isinstance(self.answered_at, Unset):
            answered_at = UNSET
        elif isinstance(self.answered_at, datetime.datetime):
            answered_at = self.answered_at.isoformat()
        else:
            answered_at = self.answered_at

        settled_at: None | str | Unset
        if isinstance(self.settled_at, Unset):
            settled_at = UNSET
        elif isinstance(self.settled_at, datetime.datetime):
            settled_at = self.settled_at.isoformat()
        else:
            settled_at = self.settled_at

        cancelled_at: None | str | Unset
        if isinstance(self.cancelled_at, Unset):
            cancelled_at = UNSET
        elif isinstance(self.cancelled_at, datetime.datetime):
            cancelled_at = self.cancelled_at.isoformat()
        else:
            cancelled_at = self.cancelled_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "pickup_location": pickup_location,
                "carrier": carrier,
                "carrier_account": carrier_account,
                "date": date,
                "packages": packages,
                "state": state,
                "shipments": shipments,
                "requested_at": requested_at,
            }
        )
        if window is not UNSET:
            field_dict["window"] = window
        if carrier_pickup_id is not UNSET:
            field_dict["carrier_pickup_id"] = carrier_pickup_id
        if carrier_date is not UNSET:
            field_dict["carrier_date"] = carrier_date
        if carrier_message is not UNSET:
            field_dict["carrier_message"] = carrier_message
        if answered_at is not UNSET:
            field_dict["answered_at"] = answered_at
        if settled_at is not UNSET:
            field_dict["settled_at"] = settled_at
        if cancelled_at is not UNSET:
            field_dict["cancelled_at"] = cancelled_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.pickup_shipment import PickupShipment  # noqa: PLC0415
        from ..models.working_hours import WorkingHours  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        pickup_location = d.pop("pickup_location")

        carrier = d.pop("carrier")

        carrier_account = d.pop("carrier_account")

        date = datetime.date.fromisoformat(d.pop("date"))

        packages = d.pop("packages")

        state = PickupState(d.pop("state"))

        shipments = []
        _shipments = d.pop("shipments")
        for shipments_item_data in _shipments:
            shipments_item = PickupShipment.from_dict(shipments_item_data)

            shipments.append(shipments_item)

        requested_at = datetime.datetime.fromisoformat(d.pop("requested_at"))

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

        def _parse_carrier_pickup_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        carrier_pickup_id = _parse_carrier_pickup_id(d.pop("carrier_pickup_id", UNSET))

        def _parse_carrier_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                carrier_date_type_0 = datetime.date.fromisoformat(data)

                return carrier_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        carrier_date = _parse_carrier_date(d.pop("carrier_date", UNSET))

        def _parse_carrier_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        carrier_message = _parse_carrier_message(d.pop("carrier_message", UNSET))

        def _parse_answered_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                answered_at_type_0 = datetime.datetime.fromisoformat(data)

                return answered_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        answered_at = _parse_answered_at(d.pop("answered_at", UNSET))

        def _parse_settled_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                settled_at_type_0 = datetime.datetime.fromisoformat(data)

                return settled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        settled_at = _parse_settled_at(d.pop("settled_at", UNSET))

        def _parse_cancelled_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                cancelled_at_type_0 = datetime.datetime.fromisoformat(data)

                return cancelled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        cancelled_at = _parse_cancelled_at(d.pop("cancelled_at", UNSET))

        pickup_view = cls(
            id=id,
            pickup_location=pickup_location,
            carrier=carrier,
            carrier_account=carrier_account,
            date=date,
            packages=packages,
            state=state,
            shipments=shipments,
            requested_at=requested_at,
            window=window,
            carrier_pickup_id=carrier_pickup_id,
            carrier_date=carrier_date,
            carrier_message=carrier_message,
            answered_at=answered_at,
            settled_at=settled_at,
            cancelled_at=cancelled_at,
        )

        pickup_view.additional_properties = d
        return pickup_view

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
