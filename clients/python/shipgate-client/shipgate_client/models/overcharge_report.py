from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.carrier_overcharges import CarrierOvercharges
    from ..models.overcharge_line import OverchargeLine


T = TypeVar("T", bound="OverchargeReport")


@_attrs_define
class OverchargeReport:
    """
    Attributes:
        from_ (datetime.date):
        to (datetime.date):
        lines (list[OverchargeLine]): Lines with a charge over what was expected, a zone mismatch, or nothing to check
            them against; by carrier, date and AWB.
        totals (list[CarrierOvercharges]):
    """

    from_: datetime.date
    to: datetime.date
    lines: list[OverchargeLine]
    totals: list[CarrierOvercharges]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        totals = []
        for totals_item_data in self.totals:
            totals_item = totals_item_data.to_dict()
            totals.append(totals_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "to": to,
                "lines": lines,
                "totals": totals,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.carrier_overcharges import CarrierOvercharges  # noqa: PLC0415
        from ..models.overcharge_line import OverchargeLine  # noqa: PLC0415

        d = dict(src_dict)
        from_ = datetime.date.fromisoformat(d.pop("from"))

        to = datetime.date.fromisoformat(d.pop("to"))

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = OverchargeLine.from_dict(lines_item_data)

            lines.append(lines_item)

        totals = []
        _totals = d.pop("totals")
        for totals_item_data in _totals:
            totals_item = CarrierOvercharges.from_dict(totals_item_data)

            totals.append(totals_item)

        overcharge_report = cls(
            from_=from_,
            to=to,
            lines=lines,
            totals=totals,
        )

        overcharge_report.additional_properties = d
        return overcharge_report

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
