from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.event_type import EventType

if TYPE_CHECKING:
    from ..models.manifest_data import ManifestData


T = TypeVar("T", bound="ManifestMessage")


@_attrs_define
class ManifestMessage:
    """The body of a manifest message: `{"type", "timestamp", "data": {"manifest"}}`.

    Attributes:
        type_ (EventType): The event types an endpoint can subscribe to.
        timestamp (datetime.datetime):
        data (ManifestData):
    """

    type_: EventType
    timestamp: datetime.datetime
    data: ManifestData
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
        from ..models.manifest_data import ManifestData  # noqa: PLC0415

        d = dict(src_dict)
        type_ = EventType(d.pop("type"))

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        data = ManifestData.from_dict(d.pop("data"))

        manifest_message = cls(
            type_=type_,
            timestamp=timestamp,
            data=data,
        )

        manifest_message.additional_properties = d
        return manifest_message

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
