from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="CustomsItem")


@_attrs_define
class CustomsItem:
    """One kind of goods, checked. `hs_code` is digits only.

    Attributes:
        description (str):
        hs_code (str):  Example: 610910.
        origin_country (str):  Example: IN.
        quantity (int):
        unit_value (Money): An amount in integer minor units of its currency, as ISO 4217 counts them (paise for
            INR, cents for USD, yen for JPY, fils for KWD: 2, 2, 0 and 3 decimals). Floats never carry
            money in shipgate: carriers' decimal rupee strings are converted at the adapter edge.
        weight_g (int):
    """

    description: str
    hs_code: str
    origin_country: str
    quantity: int
    unit_value: Money
    weight_g: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        description = self.description

        hs_code = self.hs_code

        origin_country = self.origin_country

        quantity = self.quantity

        unit_value = self.unit_value.to_dict()

        weight_g = self.weight_g

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "description": description,
                "hs_code": hs_code,
                "origin_country": origin_country,
                "quantity": quantity,
                "unit_value": unit_value,
                "weight_g": weight_g,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        description = d.pop("description")

        hs_code = d.pop("hs_code")

        origin_country = d.pop("origin_country")

        quantity = d.pop("quantity")

        unit_value = Money.from_dict(d.pop("unit_value"))

        weight_g = d.pop("weight_g")

        customs_item = cls(
            description=description,
            hs_code=hs_code,
            origin_country=origin_country,
            quantity=quantity,
            unit_value=unit_value,
            weight_g=weight_g,
        )

        customs_item.additional_properties = d
        return customs_item

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
