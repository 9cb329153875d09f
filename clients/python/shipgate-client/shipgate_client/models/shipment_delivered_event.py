from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.shipment_delivered_event_type import ShipmentDeliveredEventType

if TYPE_CHECKING:
    from ..models.event_data import EventData


T = TypeVar("T", bound="ShipmentDeliveredEvent")


@_attrs_define
class ShipmentDeliveredEvent:
    """The body of a `shipment.delivered` message.

    Attributes:
        type_ (ShipmentDeliveredEventType): The event types an endpoint can subscribe to.
        timestamp (datetime.datetime): When the event was stored (RFC 3339, UTC, milliseconds).
        data (EventData):
    """

    type_: ShipmentDeliveredEventType
    timestamp: datetime.datetime
    data: EventData
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        timestamp = self.timestamp.isoformat()

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "timestamp": timestamp,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_data import EventData  # noqa: PLC0415

        d = dict(src_dict)
        type_ = ShipmentDeliveredEventType(d.pop("type"))

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        data = EventData.from_dict(d.pop("data"))

        shipment_delivered_event = cls(
            type_=type_,
            timestamp=timestamp,
            data=data,
        )

        shipment_delivered_event.additional_properties = d
        return shipment_delivered_event

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
