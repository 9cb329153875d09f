from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LaneScorecard")


@_attrs_define
class LaneScorecard:
    """shipgate's scorecard for the account it chose most on a lane (last 30 days).

    Attributes:
        carrier_account (str):
        window_days (int):
        shipments (int):
        delivered_pct (float | None | Unset):
        rto_pct (float | None | Unset):
    """

    carrier_account: str
    window_days: int
    shipments: int
    delivered_pct: float | None | Unset = UNSET
    rto_pct: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        carrier_account = self.carrier_account

        window_days = self.window_days

        shipments = self.shipments

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
                "carrier_account": carrier_account,
                "window_days": window_days,
                "shipments": shipments,
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
        carrier_account = d.pop("carrier_account")

        window_days = d.pop("window_days")

        shipments = d.pop("shipments")

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

        lane_scorecard = cls(
            carrier_account=carrier_account,
            window_days=window_days,
            shipments=shipments,
            delivered_pct=delivered_pct,
            rto_pct=rto_pct,
        )

        lane_scorecard.additional_properties = d
        return lane_scorecard

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
