from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.status import Status
from ..models.sub_status import SubStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="MessageEvent")


@_attrs_define
class MessageEvent:
    """The tracking event that made the message, with when shipgate received it.

    Attributes:
        status (Status): Top level of the unified taxonomy.
        sub_status (SubStatus): Second level of the unified taxonomy; each value belongs to exactly one [`Status`].
        carrier_code (str): The carrier's raw code, exactly as sent (kept even when unmapped).
        carrier_status (str): The carrier's raw status text.
        event_time (datetime.datetime): Carrier time converted to UTC using the carrier's zone.
        action_required (bool):
        terminal (bool):
        received_at (datetime.datetime): When shipgate received the event (RFC 3339, UTC, milliseconds).
        description (None | str | Unset): Free-text remark from the carrier, if any.
        location (None | str | Unset):
        attempt (int | None | Unset):
        ndr_reason (None | str | Unset):
    """

    status: Status
    sub_status: SubStatus
    carrier_code: str
    carrier_status: str
    event_time: datetime.datetime
    action_required: bool
    terminal: bool
    received_at: datetime.datetime
    description: None | str | Unset = UNSET
    location: None | str | Unset = UNSET
    attempt: int | None | Unset = UNSET
    ndr_reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        sub_status = self.sub_status.value

        carrier_code = self.carrier_code

        carrier_status = self.carrier_status

        event_time = self.event_time.isoformat()

        action_required = self.action_required

        terminal = self.terminal

        received_at = self.received_at.isoformat()

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        location: None | str | Unset
        if isinstance(self.location, Unset):
            location = UNSET
        else:
            location = self.location

        attempt: int | None | Unset
        if isinstance(self.attempt, Unset):
            attempt = UNSET
        else:
            attempt = self.attempt

        ndr_reason: None | str | Unset
        if isinstance(self.ndr_reason, Unset):
            ndr_reason = UNSET
        else:
            ndr_reason = self.ndr_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "sub_status": sub_status,
                "carrier_code": carrier_code,
                "carrier_status": carrier_status,
                "event_time": event_time,
                "action_required": action_required,
                "terminal": terminal,
                "received_at": received_at,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if location is not UNSET:
            field_dict["location"] = location
        if attempt is not UNSET:
            field_dict["attempt"] = attempt
        if ndr_reason is not UNSET:
            field_dict["ndr_reason"] = ndr_reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = Status(d.pop("status"))

        sub_status = SubStatus(d.pop("sub_status"))

        carrier_code = d.pop("carrier_code")

        carrier_status = d.pop("carrier_status")

        event_time = datetime.datetime.fromisoformat(d.pop("event_time"))

        action_required = d.pop("action_required")

        terminal = d.pop("terminal")

        received_at = datetime.datetime.fromisoformat(d.pop("received_at"))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_location(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        location = _parse_location(d.pop("location", UNSET))

        def _parse_attempt(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        attempt = _parse_attempt(d.pop("attempt", UNSET))

        def _parse_ndr_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ndr_reason = _parse_ndr_reason(d.pop("ndr_reason", UNSET))

        message_event = cls(
            status=status,
            sub_status=sub_status,
            carrier_code=carrier_code,
            carrier_status=carrier_status,
            event_time=event_time,
            action_required=action_required,
            terminal=terminal,
            received_at=received_at,
            description=description,
            location=location,
            attempt=attempt,
            ndr_reason=ndr_reason,
        )

        message_event.additional_properties = d
        return message_event

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
