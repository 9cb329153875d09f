from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.cod_amount import CodAmount


T = TypeVar("T", bound="CustomsItemInput")


@_attrs_define
class CustomsItemInput:
    """One kind of goods in a customs declaration, as the OMS sends it.

    Attributes:
        description (str): What the goods are, precisely enough for customs (`Men's cotton T-shirt`, not
            `clothing`): at most 200 characters. Example: Men's cotton T-shirt.
        hs_code (str): The Harmonized System code: 6 to 10 digits, dots and spaces allowed between them
            (`6109.10.00` is kept as `61091000`). Example: 6109.10.
        origin_country (str): Where the goods were made: ISO 3166-1 alpha-2, either case (`UK` is `GB`). Example: IN.
        quantity (int): How many units: 1 to 1000000. Example: 2.
        unit_value (CodAmount): The amount a courier collects, `{amount, currency}` like `Money`: 1 to 10^15 minor
            units of an active ISO 4217 currency.
        weight_g (int): The weight of one unit in integer grams, 1 to 1000000 (the schema is in grams
            throughout; carriers wanting pounds or ounces get them converted at their edge). Example: 250.
    """

    description: str
    hs_code: str
    origin_country: str
    quantity: int
    unit_value: CodAmount
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
        from ..models.cod_amount import CodAmount  # noqa: PLC0415

        d = dict(src_dict)
        description = d.pop("description")

        hs_code = d.pop("hs_code")

        origin_country = d.pop("origin_country")

        quantity = d.pop("quantity")

        unit_value = CodAmount.from_dict(d.pop("unit_value"))

        weight_g = d.pop("weight_g")

        customs_item_input = cls(
            description=description,
            hs_code=hs_code,
            origin_country=origin_country,
            quantity=quantity,
            unit_value=unit_value,
            weight_g=weight_g,
        )

        customs_item_input.additional_properties = d
        return customs_item_input

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
