from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.message_event import MessageEvent
    from ..models.shipment_summary import ShipmentSummary


T = TypeVar("T", bound="EventData")


@_attrs_define
class EventData:
    """
    Attributes:
        shipment (ShipmentSummary): What a payload says about the shipment: where it stands now.
        event (MessageEvent): The tracking event that made the message, with when shipgate received it.
    """

    shipment: ShipmentSummary
    event: MessageEvent
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        shipment = self.shipment.to_dict()

        event = self.event.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "shipment": shipment,
                "event": event,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.message_event import MessageEvent  # noqa: PLC0415
        from ..models.shipment_summary import ShipmentSummary  # noqa: PLC0415

        d = dict(src_dict)
        shipment = ShipmentSummary.from_dict(d.pop("shipment"))

        event = MessageEvent.from_dict(d.pop("event"))

        event_data = cls(
            shipment=shipment,
            event=event,
        )

        event_data.additional_properties = d
        return event_data

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
