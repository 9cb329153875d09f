from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="CarrierOvercharges")


@_attrs_define
class CarrierOvercharges:
    """Per carrier, over every invoice line in the range.

    Attributes:
        carrier (str):
        lines (int):
        billed (Money): An amount in integer minor units of its currency, as ISO 4217 counts them (paise for
            INR, cents for USD, yen for JPY, fils for KWD: 2, 2, 0 and 3 decimals). Floats never carry
            money in shipgate: carriers' decimal rupee strings are converted at the adapter edge.
        expected (Money): An amount in integer minor units of its currency, as ISO 4217 counts them (paise for
            INR, cents for USD, yen for JPY, fils for KWD: 2, 2, 0 and 3 decimals). Floats never carry
            money in shipgate: carriers' decimal rupee strings are converted at the adapter edge.
        overcharge (Money): An amount in integer minor units of its currency, as ISO 4217 counts them (paise for
            INR, cents for USD, yen for JPY, fils for KWD: 2, 2, 0 and 3 decimals). Floats never carry
            money in shipgate: carriers' decimal rupee strings are converted at the adapter edge.
        overcharged_lines (int):
        unpriced_lines (int): Lines nothing priced (unknown AWB, no quote kept and no rate card, an RTO).
    """

    carrier: str
    lines: int
    billed: Money
    expected: Money
    overcharge: Money
    overcharged_lines: int
    unpriced_lines: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        carrier = self.carrier

        lines = self.lines

        billed = self.billed.to_dict()

        expected = self.expected.to_dict()

        overcharge = self.overcharge.to_dict()

        overcharged_lines = self.overcharged_lines

        unpriced_lines = self.unpriced_lines

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "carrier": carrier,
                "lines": lines,
                "billed": billed,
                "expected": expected,
                "overcharge": overcharge,
                "overcharged_lines": overcharged_lines,
                "unpriced_lines": unpriced_lines,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        carrier = d.pop("carrier")

        lines = d.pop("lines")

        billed = Money.from_dict(d.pop("billed"))

        expected = Money.from_dict(d.pop("expected"))

        overcharge = Money.from_dict(d.pop("overcharge"))

        overcharged_lines = d.pop("overcharged_lines")

        unpriced_lines = d.pop("unpriced_lines")

        carrier_overcharges = cls(
            carrier=carrier,
            lines=lines,
            billed=billed,
            expected=expected,
            overcharge=overcharge,
            overcharged_lines=overcharged_lines,
            unpriced_lines=unpriced_lines,
        )

        carrier_overcharges.additional_properties = d
        return carrier_overcharges

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
