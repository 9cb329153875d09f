from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.payment_mode import PaymentMode
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="RequestSummary")


@_attrs_define
class RequestSummary:
    """The lane facts a comparison matches on.

    Attributes:
        from_postal_code (str):
        to_postal_code (str):
        weight_g (int):
        payment_mode (PaymentMode):
        cod_amount (Money | None | Unset):
    """

    from_postal_code: str
    to_postal_code: str
    weight_g: int
    payment_mode: PaymentMode
    cod_amount: Money | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money  # noqa: PLC0415

        from_postal_code = self.from_postal_code

        to_postal_code = self.to_postal_code

        weight_g = self.weight_g

        payment_mode = self.payment_mode.value

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
                "from_postal_code": from_postal_code,
                "to_postal_code": to_postal_code,
                "weight_g": weight_g,
                "payment_mode": payment_mode,
            }
        )
        if cod_amount is not UNSET:
            field_dict["cod_amount"] = cod_amount

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        from_postal_code = d.pop("from_postal_code")

        to_postal_code = d.pop("to_postal_code")

        weight_g = d.pop("weight_g")

        payment_mode = PaymentMode(d.pop("payment_mode"))

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

        request_summary = cls(
            from_postal_code=from_postal_code,
            to_postal_code=to_postal_code,
            weight_g=weight_g,
            payment_mode=payment_mode,
            cod_amount=cod_amount,
        )

        request_summary.additional_properties = d
        return request_summary

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
