from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="RowOutcome")


@_attrs_define
class RowOutcome:
    """One row of an import.

    Attributes:
        line (int):
        carrier (str):
        awb (str):
        weight (str): `flagged`, `within_tolerance`, `kept_decided` or `unknown_awb`.
        charged_g (int):
        shipment_id (None | str | Unset):
        declared_g (int | None | Unset):
        difference_g (int | None | Unset):
        impact (Money | None | Unset):
        invoice (None | str | Unset): `stored`, `duplicate`; null for a weights-only file.
        overcharge (Money | None | Unset):
    """

    line: int
    carrier: str
    awb: str
    weight: str
    charged_g: int
    shipment_id: None | str | Unset = UNSET
    declared_g: int | None | Unset = UNSET
    difference_g: int | None | Unset = UNSET
    impact: Money | None | Unset = UNSET
    invoice: None | str | Unset = UNSET
    overcharge: Money | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money  # noqa: PLC0415

        line = self.line

        carrier = self.carrier

        awb = self.awb

        weight = self.weight

        charged_g = self.charged_g

        shipment_id: None | str | Unset
        if isinstance(self.shipment_id, Unset):
            shipment_id = UNSET
        else:
            shipment_id = self.shipment_id

        declared_g: int | None | Unset
        if isinstance(self.declared_g, Unset):
            declared_g = UNSET
        else:
            declared_g = self.declared_g

        difference_g: int | None | Unset
        if isinstance(self.difference_g, Unset):
            difference_g = UNSET
        else:
            difference_g = self.difference_g

        impact: dict[str, Any] | None | Unset
        if isinstance(self.impact, Unset):
            impact = UNSET
        elif isinstance(self.impact, Money):
            impact = self.impact.to_dict()
        else:
            impact = self.impact

        invoice: None | str | Unset
        if isinstance(self.invoice, Unset):
            invoice = UNSET
        else:
            invoice = self.invoice

        overcharge: dict[str, Any] | None | Unset
        if isinstance(self.overcharge, Unset):
            overcharge = UNSET
        elif isinstance(self.overcharge, Money):
            overcharge = self.overcharge.to_dict()
        else:
            overcharge = self.overcharge

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "line": line,
                "carrier": carrier,
                "awb": awb,
                "weight": weight,
                "charged_g": charged_g,
            }
        )
        if shipment_id is not UNSET:
            field_dict["shipment_id"] = shipment_id
        if declared_g is not UNSET:
            field_dict["declared_g"] = declared_g
        if difference_g is not UNSET:
            field_dict["difference_g"] = difference_g
        if impact is not UNSET:
            field_dict["impact"] = impact
        if invoice is not UNSET:
            field_dict["invoice"] = invoice
        if overcharge is not UNSET:
            field_dict["overcharge"] = overcharge

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        line = d.pop("line")

        carrier = d.pop("carrier")

        awb = d.pop("awb")

        weight = d.pop("weight")

        charged_g = d.pop("charged_g")

        def _parse_shipment_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        shipment_id = _parse_shipment_id(d.pop("shipment_id", UNSET))

        def _parse_declared_g(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        declared_g = _parse_declared_g(d.pop("declared_g", UNSET))

        def _parse_difference_g(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        difference_g = _parse_difference_g(d.pop("difference_g", UNSET))

        def _parse_impact(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                impact_type_0 = Money.from_dict(data)

                return impact_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        impact = _parse_impact(d.pop("impact", UNSET))

        def _parse_invoice(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        invoice = _parse_invoice(d.pop("invoice", UNSET))

        def _parse_overcharge(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                overcharge_type_0 = Money.from_dict(data)

                return overcharge_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        overcharge = _parse_overcharge(d.pop("overcharge", UNSET))

        row_outcome = cls(
            line=line,
            carrier=carrier,
            awb=awb,
            weight=weight,
            charged_g=charged_g,
            shipment_id=shipment_id,
            declared_g=declared_g,
            difference_g=difference_g,
            impact=impact,
            invoice=invoice,
            overcharge=overcharge,
        )

        row_outcome.additional_properties = d
        return row_outcome

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
