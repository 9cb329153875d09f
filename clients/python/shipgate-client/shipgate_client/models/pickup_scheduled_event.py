from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.pickup_scheduled_event_type import PickupScheduledEventType

if TYPE_CHECKING:
    from ..models.pickup_data import PickupData


T = TypeVar("T", bound="PickupScheduledEvent")


@_attrs_define
class PickupScheduledEvent:
    """The body of a `pickup.scheduled` message.

    Attributes:
        type_ (PickupScheduledEventType): The event types an endpoint can subscribe to.
        timestamp (datetime.datetime):
        data (PickupData):
    """

    type_: PickupScheduledEventType
    timestamp: datetime.datetime
    data: PickupData
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
        from ..models.pickup_data import PickupData  # noqa: PLC0415

        d = dict(src_dict)
        type_ = PickupScheduledEventType(d.pop("type"))

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        data = PickupData.from_dict(d.pop("data"))

        pickup_scheduled_event = cls(
            type_=type_,
            timestamp=timestamp,
            data=data,
        )

        pickup_scheduled_event.additional_properties = d
        return pickup_scheduled_event

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
