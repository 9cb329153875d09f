from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ShopifyItem")


@_attrs_define
class ShopifyItem:
    """A cart line (other fields are ignored).

    Attributes:
        quantity (int | None | Unset):
        grams (int | None | Unset):
        price (int | None | Unset): Subunits of the checkout's currency, per unit.
        requires_shipping (bool | None | Unset):
    """

    quantity: int | None | Unset = UNSET
    grams: int | None | Unset = UNSET
    price: int | None | Unset = UNSET
    requires_shipping: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        quantity: int | None | Unset
        if isinstance(self.quantity, Unset):
            quantity = UNSET
        else:
            quantity = self.quantity

        grams: int | None | Unset
        if isinstance(self.grams, Unset):
            grams = UNSET
        else:
            grams = self.grams

        price: int | None | Unset
        if isinstance(self.price, Unset):
            price = UNSET
        else:
            price = self.price

        requires_shipping: bool | None | Unset
        if isinstance(self.requires_shipping, Unset):
            requires_shipping = UNSET
        else:
            requires_shipping = self.requires_shipping

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if quantity is not UNSET:
            field_dict["quantity"] = quantity
        if grams is not UNSET:
            field_dict["grams"] = grams
        if price is not UNSET:
            field_dict["price"] = price
        if requires_shipping is not UNSET:
            field_dict["requires_shipping"] = requires_shipping

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

        def _parse_grams(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        grams = _parse_grams(d.pop("grams", UNSET))

        def _parse_price(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        price = _parse_price(d.pop("price", UNSET))

        def _parse_requires_shipping(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        requires_shipping = _parse_requires_shipping(d.pop("requires_shipping", UNSET))

        shopify_item = cls(
            quantity=quantity,
            grams=grams,
            price=price,
            requires_shipping=requires_shipping,
        )

        shopify_item.additional_properties = d
        return shopify_item

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
