from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.sub_status import SubStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.decision_view import DecisionView
    from ..models.ndr_action_summary import NdrActionSummary


T = TypeVar("T", bound="NdrQueueEntry")


@_attrs_define
class NdrQueueEntry:
    """A shipment waiting for an NDR decision.

    Attributes:
        shipment_id (str):
        order_ref (str):
        carrier (str):
        carrier_account (str):
        attempts (int): Failed attempts so far.
        reason (SubStatus): Second level of the unified taxonomy; each value belongs to exactly one [`Status`].
        attempted_at (datetime.datetime): When the last attempt failed (carrier time).
        hours_since_attempt (int): Whole hours since then.
        actions (list[NdrActionSummary]): What was done about this shipment's failed attempts, oldest first.
        decisions (list[DecisionView]): What the tenant's NDR policy decided about them, oldest first.
        awb (None | str | Unset):
        reason_text (None | str | Unset): The carrier's own words for it.
        carrier_deadline (datetime.datetime | None | Unset): When the carrier returns the parcel unless told otherwise,
            where it says; null:
            neither Delhivery nor Shiprocket gives one in its API.
    """

    shipment_id: str
    order_ref: str
    carrier: str
    carrier_account: str
    attempts: int
    reason: SubStatus
    attempted_at: datetime.datetime
    hours_since_attempt: int
    actions: list[NdrActionSummary]
    decisions: list[DecisionView]
    awb: None | str | Unset = UNSET
    reason_text: None | str | Unset = UNSET
    carrier_deadline: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        shipment_id = self.shipment_id

        order_ref = self.order_ref

        carrier = self.carrier

        carrier_account = self.carrier_account

        attempts = self.attempts

        reason = self.reason.value

        attempted_at = self.attempted_at.isoformat()

        hours_since_attempt = self.hours_since_attempt

        actions = []
        for actions_item_data in self.actions:
            actions_item = actions_item_data.to_dict()
            actions.append(actions_item)

        decisions = []
        for decisions_item_data in self.decisions:
            decisions_item = decisions_item_data.to_dict()
            decisions.append(decisions_item)

        awb: None | str | Unset
        if isinstance(self.awb, Unset):
            awb = UNSET
        else:
            awb = self.awb

        reason_text: None | str | Unset
        if isinstance(self.reason_text, Unset):
            reason_text = UNSET
        else:
            reason_text = self.reason_text

        carrier_deadline: None | str | Unset
        if isinstance(self.carrier_deadline, Unset):
            carrier_deadline = UNSET
        elif isinstance(self.carrier_deadline, datetime.datetime):
            carrier_deadline = self.carrier_deadline.isoformat()
        else:
            carrier_deadline = self.carrier_deadline

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "shipment_id": shipment_id,
                "order_ref": order_ref,
                "carrier": carrier,
                "carrier_account": carrier_account,
                "attempts": attempts,
                "reason": reason,
                "attempted_at": attempted_at,
                "hours_since_attempt": hours_since_attempt,
                "actions": actions,
                "decisions": decisions,
            }
        )
        if awb is not UNSET:
            field_dict["awb"] = awb
        if reason_text is not UNSET:
            field_dict["reason_text"] = reason_text
        if carrier_deadline is not UNSET:
            field_dict["carrier_deadline"] = carrier_deadline

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.decision_view import DecisionView  # noqa: PLC0415
        from ..models.ndr_action_summary import NdrActionSummary  # noqa: PLC0415

        d = dict(src_dict)
        shipment_id = d.pop("shipment_id")

        order_ref = d.pop("order_ref")

        carrier = d.pop("carrier")

        carrier_account = d.pop("carrier_account")

        attempts = d.pop("attempts")

        reason = SubStatus(d.pop("reason"))

        attempted_at = datetime.datetime.fromisoformat(d.pop("attempted_at"))

        hours_since_attempt = d.pop("hours_since_attempt")

        actions = []
        _actions = d.pop("actions")
        for actions_item_data in _actions:
            actions_item = NdrActionSummary.from_dict(actions_item_data)

            actions.append(actions_item)

        decisions = []
        _decisions = d.pop("decisions")
        for decisions_item_data in _decisions:
            decisions_item = DecisionView.from_dict(decisions_item_data)

            decisions.append(decisions_item)

        def _parse_awb(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        awb = _parse_awb(d.pop("awb", UNSET))

        def _parse_reason_text(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason_text = _parse_reason_text(d.pop("reason_text", UNSET))

        def _parse_carrier_deadline(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                carrier_deadline_type_0 = datetime.datetime.fromisoformat(data)

                return carrier_deadline_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        carrier_deadline = _parse_carrier_deadline(d.pop("carrier_deadline", UNSET))

        ndr_queue_entry = cls(
            shipment_id=shipment_id,
            order_ref=order_ref,
            carrier=carrier,
            carrier_account=carrier_account,
            attempts=attempts,
            reason=reason,
            attempted_at=attempted_at,
            hours_since_attempt=hours_since_attempt,
            actions=actions,
            decisions=decisions,
            awb=awb,
            reason_text=reason_text,
            carrier_deadline=carrier_deadline,
        )

        ndr_queue_entry.additional_properties = d
        return ndr_queue_entry

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
