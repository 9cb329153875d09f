from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.payment_mode import PaymentMode
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cod_amount import CodAmount


T = TypeVar("T", bound="PaymentInput")


@_attrs_define
class PaymentInput:
    """
    Attributes:
        mode (PaymentMode):
        cod_amount (CodAmount | None | Unset):
    """

    mode: PaymentMode
    cod_amount: CodAmount | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.cod_amount import CodAmount  # noqa: PLC0415

        mode = self.mode.value

        cod_amount: dict[str, Any] | None | Unset
        if isinstance(self.cod_amount, Unset):
            cod_amount = UNSET
        elif isinstance(self.cod_amount, CodAmount):
            cod_amount = self.cod_amount.to_dict()
        else:
            cod_amount = self.cod_amount

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "mode": mode,
            }
        )
        if cod_amount is not UNSET:
            field_dict["cod_amount"] = cod_amount

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cod_amount import CodAmount  # noqa: PLC0415

        d = dict(src_dict)
        mode = PaymentMode(d.pop("mode"))

        def _parse_cod_amount(data: object) -> CodAmount | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                cod_amount_type_0 = CodAmount.from_dict(data)

                return cod_amount_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CodAmount | None | Unset, data)

        cod_amount = _parse_cod_amount(d.pop("cod_amount", UNSET))

        payment_input = cls(
            mode=mode,
            cod_amount=cod_amount,
        )

        payment_input.additional_properties = d
        return payment_input

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
