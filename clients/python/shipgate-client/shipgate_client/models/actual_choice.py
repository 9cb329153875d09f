from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.actual_outcome import ActualOutcome
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="ActualChoice")


@_attrs_define
class ActualChoice:
    """
    Attributes:
        carrier (str):
        cost (Money): An amount in integer minor units of its currency, as ISO 4217 counts them (paise for
            INR, cents for USD, yen for JPY, fils for KWD: 2, 2, 0 and 3 decimals). Floats never carry
            money in shipgate: carriers' decimal rupee strings are converted at the adapter edge.
        service (None | str | Unset):
        outcome (ActualOutcome | None | Unset):
    """

    carrier: str
    cost: Money
    service: None | str | Unset = UNSET
    outcome: ActualOutcome | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        carrier = self.carrier

        cost = self.cost.to_dict()

        service: None | str | Unset
        if isinstance(self.service, Unset):
            service = UNSET
        else:
            service = self.service

        outcome: None | str | Unset
        if isinstance(self.outcome, Unset):
            outcome = UNSET
        elif isinstance(self.outcome, ActualOutcome):
            outcome = self.outcome.value
        else:
            outcome = self.outcome

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "carrier": carrier,
                "cost": cost,
            }
        )
        if service is not UNSET:
            field_dict["service"] = service
        if outcome is not UNSET:
            field_dict["outcome"] = outcome

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        carrier = d.pop("carrier")

        cost = Money.from_dict(d.pop("cost"))

        def _parse_service(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        service = _parse_service(d.pop("service", UNSET))

        def _parse_outcome(data: object) -> ActualOutcome | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                outcome_type_0 = ActualOutcome(data)

                return outcome_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ActualOutcome | None | Unset, data)

        outcome = _parse_outcome(d.pop("outcome", UNSET))

        actual_choice = cls(
            carrier=carrier,
            cost=cost,
            service=service,
            outcome=outcome,
        )

        actual_choice.additional_properties = d
        return actual_choice

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
