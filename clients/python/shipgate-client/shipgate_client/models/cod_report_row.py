from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.cod_total import CodTotal


T = TypeVar("T", bound="CodReportRow")


@_attrs_define
class CodReportRow:
    """One carrier account's COD, in one currency.

    Attributes:
        carrier (str):
        carrier_account (str):
        remittance_days (int): Its remittance cycle: days after delivery the carrier pays within.
        collected (CodTotal): A count of shipments and their amount.
        remitted (CodTotal): A count of shipments and their amount.
        outstanding (CodTotal): A count of shipments and their amount.
        overdue (CodTotal): A count of shipments and their amount.
    """

    carrier: str
    carrier_account: str
    remittance_days: int
    collected: CodTotal
    remitted: CodTotal
    outstanding: CodTotal
    overdue: CodTotal
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        carrier = self.carrier

        carrier_account = self.carrier_account

        remittance_days = self.remittance_days

        collected = self.collected.to_dict()

        remitted = self.remitted.to_dict()

        outstanding = self.outstanding.to_dict()

        overdue = self.overdue.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "carrier": carrier,
                "carrier_account": carrier_account,
                "remittance_days": remittance_days,
                "collected": collected,
                "remitted": remitted,
                "outstanding": outstanding,
                "overdue": overdue,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cod_total import CodTotal  # noqa: PLC0415

        d = dict(src_dict)
        carrier = d.pop("carrier")

        carrier_account = d.pop("carrier_account")

        remittance_days = d.pop("remittance_days")

        collected = CodTotal.from_dict(d.pop("collected"))

        remitted = CodTotal.from_dict(d.pop("remitted"))

        outstanding = CodTotal.from_dict(d.pop("outstanding"))

        overdue = CodTotal.from_dict(d.pop("overdue"))

        cod_report_row = cls(
            carrier=carrier,
            carrier_account=carrier_account,
            remittance_days=remittance_days,
            collected=collected,
            remitted=remitted,
            outstanding=outstanding,
            overdue=overdue,
        )

        cod_report_row.additional_properties = d
        return cod_report_row

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
