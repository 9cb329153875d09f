from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PickupShipment")


@_attrs_define
class PickupShipment:
    """One shipment of a pickup and what tracking showed of it.

    Attributes:
        shipment_id (str):
        order_ref (str):
        outcome (str): `pending`, `picked_up` or `not_picked`: the first pickup scan after the request;
            `cancelled` when the shipment was cancelled first (it counts for neither).
        awb (None | str | Unset):
        outcome_text (None | str | Unset): The carrier's words for a shipment not picked up.
        outcome_at (datetime.datetime | None | Unset):
    """

    shipment_id: str
    order_ref: str
    outcome: str
    awb: None | str | Unset = UNSET
    outcome_text: None | str | Unset = UNSET
    outcome_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        shipment_id = self.shipment_id

        order_ref = self.order_ref

        outcome = self.outcome

        awb: None | str | Unset
        if isinstance(self.awb, Unset):
            awb = UNSET
        else:
            awb = self.awb

        outcome_text: None | str | Unset
        if isinstance(self.outcome_text, Unset):
            outcome_text = UNSET
        else:
            outcome_text = self.outcome_text

        outcome_at: None | str | Unset
        if isinstance(self.outcome_at, Unset):
            outcome_at = UNSET
        elif isinstance(self.outcome_at, datetime.datetime):
            outcome_at = self.outcome_at.isoformat()
        else:
            outcome_at = self.outcome_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "shipment_id": shipment_id,
                "order_ref": order_ref,
                "outcome": outcome,
            }
        )
        if awb is not UNSET:
            field_dict["awb"] = awb
        if outcome_text is not UNSET:
            field_dict["outcome_text"] = outcome_text
        if outcome_at is not UNSET:
            field_dict["outcome_at"] = outcome_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        shipment_id = d.pop("shipment_id")

        order_ref = d.pop("order_ref")

        outcome = d.pop("outcome")

        def _parse_awb(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        awb = _parse_awb(d.pop("awb", UNSET))

        def _parse_outcome_text(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        outcome_text = _parse_outcome_text(d.pop("outcome_text", UNSET))

        def _parse_outcome_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                outcome_at_type_0 = datetime.datetime.fromisoformat(data)

                return outcome_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        outcome_at = _parse_outcome_at(d.pop("outcome_at", UNSET))

        pickup_shipment = cls(
            shipment_id=shipment_id,
            order_ref=order_ref,
            outcome=outcome,
            awb=awb,
            outcome_text=outcome_text,
            outcome_at=outcome_at,
        )

        pickup_shipment.additional_properties = d
        return pickup_shipment

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
