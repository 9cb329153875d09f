from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.pickup_view import PickupView


T = TypeVar("T", bound="PickupData")


@_attrs_define
class PickupData:
    """
    Attributes:
        pickup (PickupView): A pickup as the API and its webhooks show it.
    """

    pickup: PickupView
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        pickup = self.pickup.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "pickup": pickup,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.pickup_view import PickupView  # noqa: PLC0415

        d = dict(src_dict)
        pickup = PickupView.from_dict(d.pop("pickup"))

        pickup_data = cls(
            pickup=pickup,
        )

        pickup_data.additional_properties = d
        return pickup_data

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
