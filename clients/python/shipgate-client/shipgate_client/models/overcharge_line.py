from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.charge_comparison import ChargeComparison
    from ..models.money import Money


T = TypeVar("T", bound="OverchargeLine")


@_attrs_define
class OverchargeLine:
    """An invoice line billed over what shipgate expected, or that it cannot check.

    Attributes:
        carrier (str):
        awb (str):
        invoice_date (str):
        import_id (str):
        zone_mismatch (bool): The billed zone is another than the PIN codes make.
        charges (list[ChargeComparison]):
        shipment_id (None | str | Unset): Null for an AWB shipgate did not book for this tenant.
        charged_weight_g (int | None | Unset):
        billed_zone (None | str | Unset): The zone the carrier billed, as it wrote it.
        expected_zone (None | str | Unset): The zone the two PIN codes make (shipgate's zone names).
        expected_source (None | str | Unset): `booking_quote` (the quote an `auto` booking chose), `rate_card`, or null
            when
            nothing priced the shipment.
        overcharge (Money | None | Unset):
    """

    carrier: str
    awb: str
    invoice_date: str
    import_id: str
    zone_mismatch: bool
    charges: list[ChargeComparison]
    shipment_id: None | str | Unset = UNSET
    charged_weight_g: int | None | Unset = UNSET
    billed_zone: None | str | Unset = UNSET
    expected_zone: None | str | Unset = UNSET
    expected_source: None | str | Unset = UNSET
    overcharge: Money | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money  # noqa: PLC0415

        carrier = self.carrier

        awb = self.awb

        invoice_date = self.invoice_date

        import_id = self.import_id

        zone_mismatch = self.zone_mismatch

        charges = []
        for charges_item_data in self.charges:
            charges_item = charges_item_data.to_dict()
            charges.append(charges_item)

        shipment_id: None | str | Unset
        if isinstance(self.shipment_id, Unset):
            shipment_id = UNSET
        else:
            shipment_id = self.shipment_id

        charged_weight_g: int | None | Unset
        if isinstance(self.charged_weight_g, Unset):
            charged_weight_g = UNSET
        else:
            charged_weight_g = self.charged_weight_g

        billed_zone: None | str | Unset
        if isinstance(self.billed_zone, Unset):
            billed_zone = UNSET
        else:
            billed_zone = self.billed_zone

        expected_zone: None | str | Unset
        if isinstance(self.expected_zone, Unset):
            expected_zone = UNSET
        else:
            expected_zone = self.expected_zone

        expected_source: None | str | Unset
        if isinstance(self.expected_source, Unset):
            expected_source = UNSET
        else:
            expected_source = self.expected_source

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
                "carrier": carrier,
                "awb": awb,
                "invoice_date": invoice_date,
                "import_id": import_id,
                "zone_mismatch": zone_mismatch,
                "charges": charges,
            }
        )
        if shipment_id is not UNSET:
            field_dict["shipment_id"] = shipment_id
        if charged_weight_g is not UNSET:
            field_dict["charged_weight_g"] = charged_weight_g
        if billed_zone is not UNSET:
            field_dict["billed_zone"] = billed_zone
        if expected_zone is not UNSET:
            field_dict["expected_zone"] = expected_zone
        if expected_source is not UNSET:
            field_dict["expected_source"] = expected_source
        if overcharge is not UNSET:
            field_dict["overcharge"] = overcharge

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.charge_comparison import ChargeComparison  # noqa: PLC0415
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        carrier = d.pop("carrier")

        awb = d.pop("awb")

        invoice_date = d.pop("invoice_date")

        import_id = d.pop("import_id")

        zone_mismatch = d.pop("zone_mismatch")

        charges = []
        _charges = d.pop("charges")
        for charges_item_data in _charges:
            charges_item = ChargeComparison.from_dict(charges_item_data)

            charges.append(charges_item)

        def _parse_shipment_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        shipment_id = _parse_shipment_id(d.pop("shipment_id", UNSET))

        def _parse_charged_weight_g(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        charged_weight_g = _parse_charged_weight_g(d.pop("charged_weight_g", UNSET))

        def _parse_billed_zone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        billed_zone = _parse_billed_zone(d.pop("billed_zone", UNSET))

        def _parse_expected_zone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        expected_zone = _parse_expected_zone(d.pop("expected_zone", UNSET))

        def _parse_expected_source(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        expected_source = _parse_expected_source(d.pop("expected_source", UNSET))

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

        overcharge_line = cls(
            carrier=carrier,
            awb=awb,
            invoice_date=invoice_date,
            import_id=import_id,
            zone_mismatch=zone_mismatch,
            charges=charges,
            shipment_id=shipment_id,
            charged_weight_g=charged_weight_g,
            billed_zone=billed_zone,
            expected_zone=expected_zone,
            expected_source=expected_source,
            overcharge=overcharge,
        )

        overcharge_line.additional_properties = d
        return overcharge_line

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
