from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.event_type import EventType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.delivery_detail import DeliveryDetail
    from ..models.message_view_payload import MessageViewPayload


T = TypeVar("T", bound="MessageView")


@_attrs_define
class MessageView:
    """A message: what was (or will be) sent, to which endpoints, and how each went.

    Attributes:
        id (str): The `webhook-id` header.
        type_ (EventType): The event types an endpoint can subscribe to.
        created_at (datetime.datetime):
        payload (MessageViewPayload): The body sent.
        deliveries (list[DeliveryDetail]):
        shipment_id (None | str | Unset):
    """

    id: str
    type_: EventType
    created_at: datetime.datetime
    payload: MessageViewPayload
    deliveries: list[DeliveryDetail]
    shipment_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_.value

        created_at = self.created_at.isoformat()

        payload = self.payload.to_dict()

        deliveries = []
        for deliveries_item_data in self.deliveries:
            deliveries_item = deliveries_item_data.to_dict()
            deliveries.append(deliveries_item)

        shipment_id: None | str | Unset
        if isinstance(self.shipment_id, Unset):
            shipment_id = UNSET
        else:
            shipment_id = self.shipment_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "created_at": created_at,
                "payload": payload,
                "deliveries": deliveries,
            }
        )
        if shipment_id is not UNSET:
            field_dict["shipment_id"] = shipment_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delivery_detail import DeliveryDetail  # noqa: PLC0415
        from ..models.message_view_payload import MessageViewPayload  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        type_ = EventType(d.pop("type"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        payload = MessageViewPayload.from_dict(d.pop("payload"))

        deliveries = []
        _deliveries = d.pop("deliveries")
        for deliveries_item_data in _deliveries:
            deliveries_item = DeliveryDetail.from_dict(deliveries_item_data)

            deliveries.append(deliveries_item)

        def _parse_shipment_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        shipment_id = _parse_shipment_id(d.pop("shipment_id", UNSET))

        message_view = cls(
            id=id,
            type_=type_,
            created_at=created_at,
            payload=payload,
            deliveries=deliveries,
            shipment_id=shipment_id,
        )

        message_view.additional_properties = d
        return message_view

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
