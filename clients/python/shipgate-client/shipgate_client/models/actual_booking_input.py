from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.actual_outcome import ActualOutcome
from ..models.payment_mode import PaymentMode
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="ActualBookingInput")


@_attrs_define
class ActualBookingInput:
    """One booking the OMS made itself (a JSON item; CSV has the same columns, `cost` as
    `cost_amount` and `cost_currency`, `cod_amount` in minor units of `cost_currency`).

        Attributes:
            order_ref (str):  Example: ORD-1001.
            carrier (str): The carrier the OMS booked with (a shipgate carrier id or account to compare). Example: bluedart.
            cost (Money): An amount in integer minor units of its currency, as ISO 4217 counts them (paise for
                INR, cents for USD, yen for JPY, fils for KWD: 2, 2, 0 and 3 decimals). Floats never carry
                money in shipgate: carriers' decimal rupee strings are converted at the adapter edge.
            service (None | str | Unset):
            outcome (ActualOutcome | None | Unset):
            booked_at (None | str | Unset): RFC 3339 or `YYYY-MM-DD`.
            from_postal_code (None | str | Unset): With `to_postal_code` and `weight_g`: the lane, and enough to price an
                order that
                has no dry run (`quoted_now`). Indian PIN codes. Example: 110020.
            to_postal_code (None | str | Unset):  Example: 560001.
            weight_g (int | None | Unset):
            payment_mode (None | PaymentMode | Unset):
            cod_amount (Money | None | Unset):
    """

    order_ref: str
    carrier: str
    cost: Money
    service: None | str | Unset = UNSET
    outcome: ActualOutcome | None | Unset = UNSET
    booked_at: None | str | Unset = UNSET
    from_postal_code: None | str | Unset = UNSET
    to_postal_code: None | str | Unset = UNSET
    weight_g: int | None | Unset = UNSET
    payment_mode: None | PaymentMode | Unset = UNSET
    cod_amount: Money | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money  # noqa: PLC0415

        order_ref = self.order_ref

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

        booked_at: None | str | Unset
        if isinstance(self.booked_at, Unset):
            booked_at = UNSET
        else:
            booked_at = self.booked_at

        from_postal_code: None | str | Unset
        if isinstance(self.from_postal_code, Unset):
            from_postal_code = UNSET
        else:
            from_postal_code = self.from_postal_code

        to_postal_code: None | str | Unset
        if isinstance(self.to_postal_code, Unset):
            to_postal_code = UNSET
        else:
            to_postal_code = self.to_postal_code

        weight_g: int | None | Unset
        if isinstance(self.weight_g, Unset):
            weight_g = UNSET
        else:
            weight_g = self.weight_g

        payment_mode: None | str | Unset
        if isinstance(self.payment_mode, Unset):
            payment_mode = UNSET
        elif isinstance(self.payment_mode, PaymentMode):
            payment_mode = self.payment_mode.value
        else:
            payment_mode = self.payment_mode

        cod_amount: dict[str, Any] | None | Unset
        if isinstance(self.cod_amount, Unset):
            cod_amount = UNSET
        elif isinstance(self.cod_amount, Money):
            cod_amount = self.cod_amount.to_dict()
        else:
            cod_amount = self.cod_amount

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "order_ref": order_ref,
                "carrier": carrier,
                "cost": cost,
            }
        )
        if service is not UNSET:
            field_dict["service"] = service
        if outcome is not UNSET:
            field_dict["outcome"] = outcome
        if booked_at is not UNSET:
            field_dict["booked_at"] = booked_at
        if from_postal_code is not UNSET:
            field_dict["from_postal_code"] = from_postal_code
        if to_postal_code is not UNSET:
            field_dict["to_postal_code"] = to_postal_code
        if weight_g is not UNSET:
            field_dict["weight_g"] = weight_g
        if payment_mode is not UNSET:
            field_dict["payment_mode"] = payment_mode
        if cod_amount is not UNSET:
            field_dict["cod_amount"] = cod_amount

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        order_ref = d.pop("order_ref")

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

        def _parse_booked_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        booked_at = _parse_booked_at(d.pop("booked_at", UNSET))

        def _parse_from_postal_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        from_postal_code = _parse_from_postal_code(d.pop("from_postal_code", UNSET))

        def _parse_to_postal_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        to_postal_code = _parse_to_postal_code(d.pop("to_postal_code", UNSET))

        def _parse_weight_g(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        weight_g = _parse_weight_g(d.pop("weight_g", UNSET))

        def _parse_payment_mode(data: object) -> None | PaymentMode | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                payment_mode_type_0 = PaymentMode(data)

                return payment_mode_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PaymentMode | Unset, data)

        payment_mode = _parse_payment_mode(d.pop("payment_mode", UNSET))

        def _parse_cod_amount(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                cod_amount_type_0 = Money.from_dict(data)

                return cod_amount_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        cod_amount = _parse_cod_amount(d.pop("cod_amount", UNSET))

        actual_booking_input = cls(
            order_ref=order_ref,
            carrier=carrier,
            cost=cost,
            service=service,
            outcome=outcome,
            booked_at=booked_at,
            from_postal_code=from_postal_code,
            to_postal_code=to_postal_code,
            weight_g=weight_g,
            payment_mode=payment_mode,
            cod_amount=cod_amount,
        )

        actual_booking_input.additional_properties = d
        return actual_booking_input

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
