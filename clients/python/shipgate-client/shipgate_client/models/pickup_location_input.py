from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.address_input import AddressInput
    from ..models.working_hours import WorkingHours


T = TypeVar("T", bound="PickupLocationInput")


@_attrs_define
class PickupLocationInput:
    """A warehouse, as the API takes it.

    Attributes:
        name (str): The name carriers will know it by: 1–36 letters, digits, spaces, `-` and `_`;
            unique among the tenant's active locations. Example: Okhla-WH-1.
        address (AddressInput): An address as the OMS sends it. Text is trimmed before it is checked, so the lengths
            count the text without surrounding whitespace.
        working_hours (None | Unset | WorkingHours):
    """

    name: str
    address: AddressInput
    working_hours: None | Unset | WorkingHours = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.working_hours import WorkingHours  # noqa: PLC0415

        name = self.name

        address = self.address.to_dict()

        working_hours: dict[str, Any] | None | Unset
        if isinstance(self.working_hours, Unset):
            working_hours = UNSET
        elif isinstance(self.working_hours, WorkingHours):
            working_hours = self.working_hours.to_dict()
        else:
            working_hours = self.working_hours

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "address": address,
            }
        )
        if working_hours is not UNSET:
            field_dict["working_hours"] = working_hours

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.address_input import AddressInput  # noqa: PLC0415
        from ..models.working_hours import WorkingHours  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        address = AddressInput.from_dict(d.pop("address"))

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

        pickup_location_input = cls(
            name=name,
            address=address,
            working_hours=working_hours,
        )

        return pickup_location_input
