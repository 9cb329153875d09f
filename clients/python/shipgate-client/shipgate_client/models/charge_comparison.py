from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.invoice_charge_kind import InvoiceChargeKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="ChargeComparison")


@_attrs_define
class ChargeComparison:
    """One charge of an invoice line against what shipgate expected.

    Attributes:
        kind (InvoiceChargeKind): A kind of charge on a freight invoice line.
        billed (Money): An amount in integer minor units of its currency, as ISO 4217 counts them (paise for
            INR, cents for USD, yen for JPY, fils for KWD: 2, 2, 0 and 3 decimals). Floats never carry
            money in shipgate: carriers' decimal rupee strings are converted at the adapter edge.
        expected (Money | None | Unset):
        difference (Money | None | Unset):
    """

    kind: InvoiceChargeKind
    billed: Money
    expected: Money | None | Unset = UNSET
    difference: Money | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money  # noqa: PLC0415

        kind = self.kind.value

        billed = self.billed.to_dict()

        expected: dict[str, Any] | None | Unset
        if isinstance(self.expected, Unset):
            expected = UNSET
        elif isinstance(self.expected, Money):
            expected = self.expected.to_dict()
        else:
            expected = self.expected

        difference: dict[str, Any] | None | Unset
        if isinstance(self.difference, Unset):
            difference = UNSET
        elif isinstance(self.difference, Money):
            difference = self.difference.to_dict()
        else:
            difference = self.difference

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "billed": billed,
            }
        )
        if expected is not UNSET:
            field_dict["expected"] = expected
        if difference is not UNSET:
            field_dict["difference"] = difference

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        kind = InvoiceChargeKind(d.pop("kind"))

        billed = Money.from_dict(d.pop("billed"))

        def _parse_expected(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                expected_type_0 = Money.from_dict(data)

                return expected_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        expected = _parse_expected(d.pop("expected", UNSET))

        def _parse_difference(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                difference_type_0 = Money.from_dict(data)

                return difference_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        difference = _parse_difference(d.pop("difference", UNSET))

        charge_comparison = cls(
            kind=kind,
            billed=billed,
            expected=expected,
            difference=difference,
        )

        charge_comparison.additional_properties = d
        return charge_comparison

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
