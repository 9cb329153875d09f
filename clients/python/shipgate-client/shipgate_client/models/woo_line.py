from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WooLine")


@_attrs_define
class WooLine:
    """A cart line, from the product (`get_weight()`, `get_length()`…: strings, `""` unset).

    Attributes:
        quantity (int | None | Unset):
        weight (None | str | Unset):
        length (None | str | Unset):
        width (None | str | Unset):
        height (None | str | Unset):
        price (None | str | Unset): Per unit, in the store currency (major units).
        sku (None | str | Unset):
        needs_shipping (bool | None | Unset): `needs_shipping()`: false for virtual products.
    """

    quantity: int | None | Unset = UNSET
    weight: None | str | Unset = UNSET
    length: None | str | Unset = UNSET
    width: None | str | Unset = UNSET
    height: None | str | Unset = UNSET
    price: None | str | Unset = UNSET
    sku: None | str | Unset = UNSET
    needs_shipping: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        quantity: int | None | Unset
        if isinstance(self.quantity, Unset):
            quantity = UNSET
        else:
            quantity = self.quantity

        weight: None | str | Unset
        if isinstance(self.weight, Unset):
            weight = UNSET
        else:
            weight = self.weight

        length: None | str | Unset
        if isinstance(self.length, Unset):
            length = UNSET
        else:
            length = self.length

        width: None | str | Unset
        if isinstance(self.width, Unset):
            width = UNSET
        else:
            width = self.width

        height: None | str | Unset
        if isinstance(self.height, Unset):
            height = UNSET
        else:
            height = self.height

        price: None | str | Unset
        if isinstance(self.price, Unset):
            price = UNSET
        else:
            price = self.price

        sku: None | str | Unset
        if isinstance(self.sku, Unset):
            sku = UNSET
        else:
            sku = self.sku

        needs_shipping: bool | None | Unset
        if isinstance(self.needs_shipping, Unset):
            needs_shipping = UNSET
        else:
            needs_shipping = self.needs_shipping

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if quantity is not UNSET:
            field_dict["quantity"] = quantity
        if weight is not UNSET:
            field_dict["weight"] = weight
        if length is not UNSET:
            field_dict["length"] = length
        if width is not UNSET:
            field_dict["width"] = width
        if height is not UNSET:
            field_dict["height"] = height
        if price is not UNSET:
            field_dict["price"] = price
        if sku is not UNSET:
            field_dict["sku"] = sku
        if needs_shipping is not UNSET:
            field_dict["needs_shipping"] = needs_shipping

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_quantity(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        quantity = _parse_quantity(d.pop("quantity", UNSET))

        def _parse_weight(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        weight = _parse_weight(d.pop("weight", UNSET))

        def _parse_length(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        length = _parse_length(d.pop("length", UNSET))

        def _parse_width(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        width = _parse_width(d.pop("width", UNSET))

        def _parse_height(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        height = _parse_height(d.pop("height", UNSET))

        def _parse_price(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        price = _parse_price(d.pop("price", UNSET))

        def _parse_sku(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sku = _parse_sku(d.pop("sku", UNSET))

        def _parse_needs_shipping(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        needs_shipping = _parse_needs_shipping(d.pop("needs_shipping", UNSET))

        woo_line = cls(
            quantity=quantity,
            weight=weight,
            length=length,
            width=width,
            height=height,
            price=price,
            sku=sku,
            needs_shipping=needs_shipping,
        )

        woo_line.additional_properties = d
        return woo_line

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
