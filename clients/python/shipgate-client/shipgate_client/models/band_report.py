from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="BandReport")


@_attrs_define
class BandReport:
    """What one band's shipments became.

    Attributes:
        band (str): `good`, `fair`, `poor`, or `unscored` (booked before addresses were scored; listed
            only when there are any).
        shipments (int): Booked forward shipments (returns booked as such are not counted).
        delivered (int):
        rto (int): Returned to origin or on the way back (any `rto` status).
        rto_pct (float | None): RTO as a percentage of the band's shipments that reached an end (delivered or
            RTO), one decimal; null while none has.
    """

    band: str
    shipments: int
    delivered: int
    rto: int
    rto_pct: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        band = self.band

        shipments = self.shipments

        delivered = self.delivered

        rto = self.rto

        rto_pct: float | None
        rto_pct = self.rto_pct

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "band": band,
                "shipments": shipments,
                "delivered": delivered,
                "rto": rto,
                "rto_pct": rto_pct,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        band = d.pop("band")

        shipments = d.pop("shipments")

        delivered = d.pop("delivered")

        rto = d.pop("rto")

        def _parse_rto_pct(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        rto_pct = _parse_rto_pct(d.pop("rto_pct"))

        band_report = cls(
            band=band,
            shipments=shipments,
            delivered=delivered,
            rto=rto,
            rto_pct=rto_pct,
        )

        band_report.additional_properties = d
        return band_report

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
