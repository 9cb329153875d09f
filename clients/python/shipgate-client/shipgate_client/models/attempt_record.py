from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.attempt_outcome import AttemptOutcome
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.charge import Charge
    from ..models.money import Money


T = TypeVar("T", bound="AttemptRecord")


@_attrs_define
class AttemptRecord:
    """
    Attributes:
        carrier (str): The carrier account tried (the carrier id for a carrier's default account).
        service (str):
        total (Money): An amount in integer minor units of its currency, as ISO 4217 counts them (paise for
            INR, cents for USD, yen for JPY, fils for KWD: 2, 2, 0 and 3 decimals). Floats never carry
            money in shipgate: carriers' decimal rupee strings are converted at the adapter edge.
        outcome (AttemptOutcome):
        breakdown (list[Charge] | Unset): The quote's breakdown, kept so a carrier's invoice can be checked against it
            (`service::weights`); empty in records written before it was kept.
        error_class (None | str | Unset): The failure class (`rejected`, `connect`, `not_sent`, `timeout`, …).
        error (None | str | Unset):
    """

    carrier: str
    service: str
    total: Money
    outcome: AttemptOutcome
    breakdown: list[Charge] | Unset = UNSET
    error_class: None | str | Unset = UNSET
    error: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        carrier = self.carrier

        service = self.service

        total = self.total.to_dict()

        outcome = self.outcome.value

        breakdown: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.breakdown, Unset):
            breakdown = []
            for breakdown_item_data in self.breakdown:
                breakdown_item = breakdown_item_data.to_dict()
                breakdown.append(breakdown_item)

        error_class: None | str | Unset
        if isinstance(self.error_class, Unset):
            error_class = UNSET
        else:
            error_class = self.error_class

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "carrier": carrier,
                "service": service,
                "total": total,
                "outcome": outcome,
            }
        )
        if breakdown is not UNSET:
            field_dict["breakdown"] = breakdown
        if error_class is not UNSET:
            field_dict["error_class"] = error_class
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.charge import Charge  # noqa: PLC0415
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        carrier = d.pop("carrier")

        service = d.pop("service")

        total = Money.from_dict(d.pop("total"))

        outcome = AttemptOutcome(d.pop("outcome"))

        _breakdown = d.pop("breakdown", UNSET)
        breakdown: list[Charge] | Unset = UNSET
        if _breakdown is not UNSET:
            breakdown = []
            for breakdown_item_data in _breakdown:
                breakdown_item = Charge.from_dict(breakdown_item_data)

                breakdown.append(breakdown_item)

        def _parse_error_class(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error_class = _parse_error_class(d.pop("error_class", UNSET))

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        attempt_record = cls(
            carrier=carrier,
            service=service,
            total=total,
            outcome=outcome,
            breakdown=breakdown,
            error_class=error_class,
            error=error,
        )

        attempt_record.additional_properties = d
        return attempt_record

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
