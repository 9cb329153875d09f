from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.ndr_action_summary import NdrActionSummary
    from ..models.shipment_summary import ShipmentSummary


T = TypeVar("T", bound="NdrActionData")


@_attrs_define
class NdrActionData:
    """
    Attributes:
        shipment (ShipmentSummary): What a payload says about the shipment: where it stands now.
        ndr_action (NdrActionSummary): An NDR action as the API and the webhook messages show it.
    """

    shipment: ShipmentSummary
    ndr_action: NdrActionSummary
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        shipment = self.shipment.to_dict()

        ndr_action = self.ndr_action.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "shipment": shipment,
                "ndr_action": ndr_action,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ndr_action_summary import NdrActionSummary  # noqa: PLC0415
        from ..models.shipment_summary import ShipmentSummary  # noqa: PLC0415

        d = dict(src_dict)
        shipment = ShipmentSummary.from_dict(d.pop("shipment"))

        ndr_action = NdrActionSummary.from_dict(d.pop("ndr_action"))

        ndr_action_data = cls(
            shipment=shipment,
            ndr_action=ndr_action,
        )

        ndr_action_data.additional_properties = d
        return ndr_action_data

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
