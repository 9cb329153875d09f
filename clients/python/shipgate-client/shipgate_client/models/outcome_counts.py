from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="OutcomeCounts")


@_attrs_define
class OutcomeCounts:
    """What the OMS's own choices led to, as the rows say.

    Attributes:
        delivered (int):
        rto (int):
        lost (int):
        in_transit (int):
        cancelled (int):
        unknown (int): Rows without an outcome.
        delivered_pct (float | None | Unset): Of the rows that reached an end (delivered, rto, lost).
        rto_pct (float | None | Unset):
    """

    delivered: int
    rto: int
    lost: int
    in_transit: int
    cancelled: int
    unknown: int
    delivered_pct: float | None | Unset = UNSET
    rto_pct: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        delivered = self.delivered

        rto = self.rto

        lost = self.lost

        in_transit = self.in_transit

        cancelled = self.cancelled

        unknown = self.unknown

        delivered_pct: float | None | Unset
        if isinstance(self.delivered_pct, Unset):
            delivered_pct = UNSET
        else:
            delivered_pct = self.delivered_pct

        rto_pct: float | None | Unset
        if isinstance(self.rto_pct, Unset):
            rto_pct = UNSET
        else:
            rto_pct = self.rto_pct

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "delivered": delivered,
                "rto": rto,
                "lost": lost,
                "in_transit": in_transit,
                "cancelled": cancelled,
                "unknown": unknown,
            }
        )
        if delivered_pct is not UNSET:
            field_dict["delivered_pct"] = delivered_pct
        if rto_pct is not UNSET:
            field_dict["rto_pct"] = rto_pct

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        delivered = d.pop("delivered")

        rto = d.pop("rto")

        lost = d.pop("lost")

        in_transit = d.pop("in_transit")

        cancelled = d.pop("cancelled")

        unknown = d.pop("unknown")

        def _parse_delivered_pct(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        delivered_pct = _parse_delivered_pct(d.pop("delivered_pct", UNSET))

        def _parse_rto_pct(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        rto_pct = _parse_rto_pct(d.pop("rto_pct", UNSET))

        outcome_counts = cls(
            delivered=delivered,
            rto=rto,
            lost=lost,
            in_transit=in_transit,
            cancelled=cancelled,
            unknown=unknown,
            delivered_pct=delivered_pct,
            rto_pct=rto_pct,
        )

        outcome_counts.additional_properties = d
        return outcome_counts

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
