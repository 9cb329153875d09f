from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.status import Status
from ..models.sub_status import SubStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_record import EventRecord


T = TypeVar("T", bound="TrackingView")


@_attrs_define
class TrackingView:
    """The unified timeline of one shipment.

    Attributes:
        shipment_id (str):
        carrier (str):
        status (Status): Top level of the unified taxonomy.
        sub_status (SubStatus): Second level of the unified taxonomy; each value belongs to exactly one [`Status`].
        terminal (bool):
        action_required (bool):
        events (list[EventRecord]): Oldest first, by carrier event time.
        awb (None | str | Unset):
    """

    shipment_id: str
    carrier: str
    status: Status
    sub_status: SubStatus
    terminal: bool
    action_required: bool
    events: list[EventRecord]
    awb: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        shipment_id = self.shipment_id

        carrier = self.carrier

        status = self.status.value

        sub_status = self.sub_status.value

        terminal = self.terminal

        action_required = self.action_required

        events = []
        for events_item_data in self.events:
            events_item = events_item_data.to_dict()
            events.append(events_item)

        awb: None | str | Unset
        if isinstance(self.awb, Unset):
            awb = UNSET
        else:
            awb = self.awb

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "shipment_id": shipment_id,
                "carrier": carrier,
                "status": status,
                "sub_status": sub_status,
                "terminal": terminal,
                "action_required": action_required,
                "events": events,
            }
        )
        if awb is not UNSET:
            field_dict["awb"] = awb

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_record import EventRecord  # noqa: PLC0415

        d = dict(src_dict)
        shipment_id = d.pop("shipment_id")

        carrier = d.pop("carrier")

        status = Status(d.pop("status"))

        sub_status = SubStatus(d.pop("sub_status"))

        terminal = d.pop("terminal")

        action_required = d.pop("action_required")

        events = []
        _events = d.pop("events")
        for events_item_data in _events:
            events_item = EventRecord.from_dict(events_item_data)

            events.append(events_item)

        def _parse_awb(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        awb = _parse_awb(d.pop("awb", UNSET))

        tracking_view = cls(
            shipment_id=shipment_id,
            carrier=carrier,
            status=status,
            sub_status=sub_status,
            terminal=terminal,
            action_required=action_required,
            events=events,
            awb=awb,
        )

        tracking_view.additional_properties = d
        return tracking_view

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
