from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CodOutcomeCounts")


@_attrs_define
class CodOutcomeCounts:
    """Lines by outcome.

    Attributes:
        matched (int):
        amount_mismatch (int):
        remitted_not_delivered (int):
        unknown_awb (int):
        duplicate_line (int):
    """

    matched: int
    amount_mismatch: int
    remitted_not_delivered: int
    unknown_awb: int
    duplicate_line: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        matched = self.matched

        amount_mismatch = self.amount_mismatch

        remitted_not_delivered = self.remitted_not_delivered

        unknown_awb = self.unknown_awb

        duplicate_line = self.duplicate_line

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "matched": matched,
                "amount_mismatch": amount_mismatch,
                "remitted_not_delivered": remitted_not_delivered,
                "unknown_awb": unknown_awb,
                "duplicate_line": duplicate_line,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        matched = d.pop("matched")

        amount_mismatch = d.pop("amount_mismatch")

        remitted_not_delivered = d.pop("remitted_not_delivered")

        unknown_awb = d.pop("unknown_awb")

        duplicate_line = d.pop("duplicate_line")

        cod_outcome_counts = cls(
            matched=matched,
            amount_mismatch=amount_mismatch,
            remitted_not_delivered=remitted_not_delivered,
            unknown_awb=unknown_awb,
            duplicate_line=duplicate_line,
        )

        cod_outcome_counts.additional_properties = d
        return cod_outcome_counts

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
