from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.location_registration import LocationRegistration
    from ..models.pickup_location_view_address import PickupLocationViewAddress
    from ..models.working_hours import WorkingHours


T = TypeVar("T", bound="PickupLocationView")


@_attrs_define
class PickupLocationView:
    """A pickup location as the API shows it.

    Attributes:
        id (str):
        name (str):
        address (PickupLocationViewAddress): As given, normalised.
        active (bool): False once deactivated: no new pickups or manifests.
        registrations (list[LocationRegistration]): One entry per carrier account that takes pickups.
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        working_hours (None | Unset | WorkingHours):
    """

    id: str
    name: str
    address: PickupLocationViewAddress
    active: bool
    registrations: list[LocationRegistration]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    working_hours: None | Unset | WorkingHours = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.working_hours import WorkingHours  # noqa: PLC0415

        id = self.id

        name = self.name

        address = self.address.to_dict()

        active = self.active

        registrations = []
        for registrations_item_data in self.registrations:
            registrations_item = registrations_item_data.to_dict()
            registrations.append(registrations_item)

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        working_hours: dict[str, Any] | None | Unset
        if isinstance(self.working_hours, Unset):
            working_hours = UNSET
        elif isinstance(self.working_hours, WorkingHours):
            working_hours = self.working_hours.to_dict()
        else:
            working_hours = self.working_hours

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "address": address,
                "active": active,
                "registrations": registrations,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if working_hours is not UNSET:
            field_dict["working_hours"] = working_hours

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.location_registration import LocationRegistration  # noqa: PLC0415
        from ..models.pickup_location_view_address import PickupLocationViewAddress  # noqa: PLC0415
        from ..models.working_hours import WorkingHours  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        address = PickupLocationViewAddress.from_dict(d.pop("address"))

        active = d.pop("active")

        registrations = []
        _registrations = d.pop("registrations")
        for registrations_item_data in _registrations:
            registrations_item = LocationRegistration.from_dict(registrations_item_data)

            registrations.append(registrations_item)

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_working_hours(data: object) -> None | Unset | WorkingHours:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                working_hours_type_0 = WorkingHours.from_dict(data)

                return working_hours_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WorkingHours, data)

        working_hours = _parse_working_hours(d.pop("working_hours", UNSET))

        pickup_location_view = cls(
            id=id,
            name=name,
            address=address,
            active=active,
            registrations=registrations,
            created_at=created_at,
            updated_at=updated_at,
            working_hours=working_hours,
        )

        pickup_location_view.additional_properties = d
        return pickup_location_view

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
