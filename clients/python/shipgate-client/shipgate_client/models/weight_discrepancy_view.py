from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="WeightDiscrepancyView")


@_attrs_define
class WeightDiscrepancyView:
    """A carrier's charged weight against the declared one, as the API and the webhook
    messages show it.

        Attributes:
            shipment_id (str):
            carrier (str):
            awb (str):
            declared_g (int): The declared chargeable weight: per parcel the larger of dead and volumetric
                weight (by the carrier's divisor), summed.
            charged_g (int): The weight the carrier charged.
            difference_g (int): `charged_g − declared_g`.
            tolerance_g (int): The difference allowed before it is flagged.
            import_id (str): The import that brought the charge.
            updated_at (datetime.datetime):
            impact (Money | None | Unset):
            impact_note (None | str | Unset):
            state (None | str | Unset): `open` (flagged), `disputed`, `accepted` (the dispute won: the declared weight
                stands), `rejected` (the charged weight stands); null within tolerance.
            flagged_at (datetime.datetime | None | Unset):
    """

    shipment_id: str
    carrier: str
    awb: str
    declared_g: int
    charged_g: int
    difference_g: int
    tolerance_g: int
    import_id: str
    updated_at: datetime.datetime
    impact: Money | None | Unset = UNSET
    impact_note: None | str | Unset = UNSET
    state: None | str | Unset = UNSET
    flagged_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money  # noqa: PLC0415

        shipment_id = self.shipment_id

        carrier = self.carrier

        awb = self.awb

        declared_g = self.declared_g

        charged_g = self.charged_g

        difference_g = self.difference_g

        tolerance_g = self.tolerance_g

        import_id = self.import_id

        updated_at = self.updated_at.isoformat()

        impact: dict[str, Any] | None | Unset
        if isinstance(self.impact, Unset):
            impact = UNSET
        elif isinstance(self.impact, Money):
            impact = self.impact.to_dict()
        else:
            impact = self.impact

        impact_note: None | str | Unset
        if isinstance(self.impact_note, Unset):
            impact_note = UNSET
        else:
            impact_note = self.impact_note

        state: None | str | Unset
        if isinstance(self.state, Unset):
            state = UNSET
        else:
            state = self.state

        flagged_at: None | str | Unset
        if isinstance(self.flagged_at, Unset):
            flagged_at = UNSET
        elif isinstance(self.flagged_at, datetime.datetime):
            flagged_at = self.flagged_at.isoformat()
        else:
            flagged_at = self.flagged_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "shipment_id": shipment_id,
                "carrier": carrier,
                "awb": awb,
                "declared_g": declared_g,
                "charged_g": charged_g,
                "difference_g": difference_g,
                "tolerance_g": tolerance_g,
                "import_id": import_id,
                "updated_at": updated_at,
            }
        )
        if impact is not UNSET:
            field_dict["impact"] = impact
        if impact_note is not UNSET:
            field_dict["impact_note"] = impact_note
        if state is not UNSET:
            field_dict["state"] = state
        if flagged_at is not UNSET:
            field_dict["flagged_at"] = flagged_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        shipment_id = d.pop("shipment_id")

        carrier = d.pop("carrier")

        awb = d.pop("awb")

        declared_g = d.pop("declared_g")

        charged_g = d.pop("charged_g")

        difference_g = d.pop("difference_g")

        tolerance_g = d.pop("tolerance_g")

        import_id = d.pop("import_id")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

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

        def _parse_impact_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        impact_note = _parse_impact_note(d.pop("impact_note", UNSET))

        def _parse_state(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        state = _parse_state(d.pop("state", UNSET))

        def _parse_flagged_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                flagged_at_type_0 = datetime.datetime.fromisoformat(data)

                return flagged_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        flagged_at = _parse_flagged_at(d.pop("flagged_at", UNSET))

        weight_discrepancy_view = cls(
            shipment_id=shipment_id,
            carrier=carrier,
            awb=awb,
            declared_g=declared_g,
            charged_g=charged_g,
            difference_g=difference_g,
            tolerance_g=tolerance_g,
            import_id=import_id,
            updated_at=updated_at,
            impact=impact,
            impact_note=impact_note,
            state=state,
            flagged_at=flagged_at,
        )

        weight_discrepancy_view.additional_properties = d
        return weight_discrepancy_view

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
