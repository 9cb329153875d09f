from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DisputeView")


@_attrs_define
class DisputeView:
    """A weight dispute.

    Attributes:
        id (str): `wdp_…`.
        shipment_id (str):
        state (str): `disputed`, `accepted` or `rejected`.
        raised_via (str): `carrier` (raised through its API) or `shipgate` (tracked here: the carrier has no
            dispute API; raise it in its panel and record its decision).
        weight_g (int):
        length_mm (int):
        width_mm (int):
        height_mm (int):
        photo_urls (list[str]):
        raised_at (datetime.datetime):
        comment (None | str | Unset):
        carrier_ref (None | str | Unset):
        decision_note (None | str | Unset):
        decided_at (datetime.datetime | None | Unset):
    """

    id: str
    shipment_id: str
    state: str
    raised_via: str
    weight_g: int
    length_mm: int
    width_mm: int
    height_mm: int
    photo_urls: list[str]
    raised_at: datetime.datetime
    comment: None | str | Unset = UNSET
    carrier_ref: None | str | Unset = UNSET
    decision_note: None | str | Unset = UNSET
    decided_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        shipment_id = self.shipment_id

        state = self.state

        raised_via = self.raised_via

        weight_g = self.weight_g

        length_mm = self.length_mm

        width_mm = self.width_mm

        height_mm = self.height_mm

        photo_urls = self.photo_urls

        raised_at = self.raised_at.isoformat()

        comment: None | str | Unset
        if isinstance(self.comment, Unset):
            comment = UNSET
        else:
            comment = self.comment

        carrier_ref: None | str | Unset
        if isinstance(self.carrier_ref, Unset):
            carrier_ref = UNSET
        else:
            carrier_ref = self.carrier_ref

        decision_note: None | str | Unset
        if isinstance(self.decision_note, Unset):
            decision_note = UNSET
        else:
            decision_note = self.decision_note

        decided_at: None | str | Unset
        if isinstance(self.decided_at, Unset):
            decided_at = UNSET
        elif isinstance(self.decided_at, datetime.datetime):
            decided_at = self.decided_at.isoformat()
        else:
            decided_at = self.decided_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "shipment_id": shipment_id,
                "state": state,
                "raised_via": raised_via,
                "weight_g": weight_g,
                "length_mm": length_mm,
                "width_mm": width_mm,
                "height_mm": height_mm,
                "photo_urls": photo_urls,
                "raised_at": raised_at,
            }
        )
        if comment is not UNSET:
            field_dict["comment"] = comment
        if carrier_ref is not UNSET:
            field_dict["carrier_ref"] = carrier_ref
        if decision_note is not UNSET:
            field_dict["decision_note"] = decision_note
        if decided_at is not UNSET:
            field_dict["decided_at"] = decided_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        shipment_id = d.pop("shipment_id")

        state = d.pop("state")

        raised_via = d.pop("raised_via")

        weight_g = d.pop("weight_g")

        length_mm = d.pop("length_mm")

        width_mm = d.pop("width_mm")

        height_mm = d.pop("height_mm")

        photo_urls = cast(list[str], d.pop("photo_urls"))

        raised_at = datetime.datetime.fromisoformat(d.pop("raised_at"))

        def _parse_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comment = _parse_comment(d.pop("comment", UNSET))

        def _parse_carrier_ref(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        carrier_ref = _parse_carrier_ref(d.pop("carrier_ref", UNSET))

        def _parse_decision_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        decision_note = _parse_decision_note(d.pop("decision_note", UNSET))

        def _parse_decided_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                decided_at_type_0 = datetime.datetime.fromisoformat(data)

                return decided_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        decided_at = _parse_decided_at(d.pop("decided_at", UNSET))

        dispute_view = cls(
            id=id,
            shipment_id=shipment_id,
            state=state,
            raised_via=raised_via,
            weight_g=weight_g,
            length_mm=length_mm,
            width_mm=width_mm,
            height_mm=height_mm,
            photo_urls=photo_urls,
            raised_at=raised_at,
            comment=comment,
            carrier_ref=carrier_ref,
            decision_note=decision_note,
            decided_at=decided_at,
        )

        dispute_view.additional_properties = d
        return dispute_view

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
