from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ndr_state import NdrState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ndr_action_summary_params import NdrActionSummaryParams


T = TypeVar("T", bound="NdrActionSummary")


@_attrs_define
class NdrActionSummary:
    """An NDR action as the API and the webhook messages show it.

    Attributes:
        id (str): `nda_…`.
        action (str): `reattempt`, `reschedule`, `change_address`, `change_phone` or `rto`.
        params (NdrActionSummaryParams): The action's `date`, `address` or `phone`, as given.
        state (NdrState): Where an action stands.
        source (str): `api`, `buyer` (on the tracking page), or `policy:<rule name>` when the tenant's
            NDR policy decided it.
        attempt (int): The failed delivery attempt it answers (1 for the first).
        requested_at (datetime.datetime):
        carrier_message (None | str | Unset): What the carrier said, in its words.
        carrier_ref (None | str | Unset): The carrier's reference for the instruction, where it gives one.
        answered_at (datetime.datetime | None | Unset):
        settled_at (datetime.datetime | None | Unset): When it became `effective` or `expired`.
    """

    id: str
    action: str
    params: NdrActionSummaryParams
    state: NdrState
    source: str
    attempt: int
    requested_at: datetime.datetime
    carrier_message: None | str | Unset = UNSET
    carrier_ref: None | str | Unset = UNSET
    answered_at: datetime.datetime | None | Unset = UNSET
    settled_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        action = self.action

        params = self.params.to_dict()

        state = self.state.value

        source = self.source

        attempt = self.attempt

        requested_at = self.requested_at.isoformat()

        carrier_message: None | str | Unset
        if isinstance(self.carrier_message, Unset):
            carrier_message = UNSET
        else:
            carrier_message = self.carrier_message

        carrier_ref: None | str | Unset
        if isinstance(self.carrier_ref, Unset):
            carrier_ref = UNSET
        else:
            carrier_ref = self.carrier_ref

        answered_at: None | str | Unset
        if isinstance(self.answered_at, Unset):
            answered_at = UNSET
        elif isinstance(self.answered_at, datetime.datetime):
            answered_at = self.answered_at.isoformat()
        else:
            answered_at = self.answered_at

        settled_at: None | str | Unset
        if isinstance(self.settled_at, Unset):
            settled_at = UNSET
        elif isinstance(self.settled_at, datetime.datetime):
            settled_at = self.settled_at.isoformat()
        else:
            settled_at = self.settled_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "action": action,
                "params": params,
                "state": state,
                "source": source,
                "attempt": attempt,
                "requested_at": requested_at,
            }
        )
        if carrier_message is not UNSET:
            field_dict["carrier_message"] = carrier_message
        if carrier_ref is not UNSET:
            field_dict["carrier_ref"] = carrier_ref
        if answered_at is not UNSET:
            field_dict["answered_at"] = answered_at
        if settled_at is not UNSET:
            field_dict["settled_at"] = settled_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ndr_action_summary_params import NdrActionSummaryParams  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        action = d.pop("action")

        params = NdrActionSummaryParams.from_dict(d.pop("params"))

        state = NdrState(d.pop("state"))

        source = d.pop("source")

        attempt = d.pop("attempt")

        requested_at = datetime.datetime.fromisoformat(d.pop("requested_at"))

        def _parse_carrier_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        carrier_message = _parse_carrier_message(d.pop("carrier_message", UNSET))

        def _parse_carrier_ref(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        carrier_ref = _parse_carrier_ref(d.pop("carrier_ref", UNSET))

        def _parse_answered_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                answered_at_type_0 = datetime.datetime.fromisoformat(data)

                return answered_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        answered_at = _parse_answered_at(d.pop("answered_at", UNSET))

        def _parse_settled_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                settled_at_type_0 = datetime.datetime.fromisoformat(data)

                return settled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        settled_at = _parse_settled_at(d.pop("settled_at", UNSET))

        ndr_action_summary = cls(
            id=id,
            action=action,
            params=params,
            state=state,
            source=source,
            attempt=attempt,
            requested_at=requested_at,
            carrier_message=carrier_message,
            carrier_ref=carrier_ref,
            answered_at=answered_at,
            settled_at=settled_at,
        )

        ndr_action_summary.additional_properties = d
        return ndr_action_summary

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
