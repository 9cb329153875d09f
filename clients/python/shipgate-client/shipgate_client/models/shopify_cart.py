from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.shopify_address import ShopifyAddress
    from ..models.shopify_item import ShopifyItem


T = TypeVar("T", bound="ShopifyCart")


@_attrs_define
class ShopifyCart:
    """
    Attributes:
        origin (None | ShopifyAddress | Unset):
        destination (None | ShopifyAddress | Unset):
        items (list[ShopifyItem] | None | Unset):
        currency (None | str | Unset): The checkout's currency (`USD`).
        locale (None | str | Unset):
    """

    origin: None | ShopifyAddress | Unset = UNSET
    destination: None | ShopifyAddress | Unset = UNSET
    items: list[ShopifyItem] | None | Unset = UNSET
    currency: None | str | Unset = UNSET
    locale: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.shopify_address import ShopifyAddress  # noqa: PLC0415

        origin: dict[str, Any] | None | Unset
        if isinstance(self.origin, Unset):
            origin = UNSET
        elif isinstance(self.origin, ShopifyAddress):
            origin = self.origin.to_dict()
        else:
            origin = self.origin

        destination: dict[str, Any] | None | Unset
        if isinstance(self.destination, Unset):
            destination = UNSET
        elif isinstance(self.destination, ShopifyAddress):
            destination = self.destination.to_dict()
        else:
            destination = self.destination

        items: list[dict[str, Any]] | None | Unset
        if isinstance(self.items, Unset):
            items = UNSET
        elif isinstance(self.items, list):
            items = []
            for items_type_0_item_data in self.items:
                items_type_0_item = items_type_0_item_data.to_dict()
                items.append(items_type_0_item)

        else:
            items = self.items

        currency: None | str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        else:
            currency = self.currency

        locale: None | str | Unset
        if isinstance(self.locale, Unset):
            locale = UNSET
        else:
            locale = self.locale

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if origin is not UNSET:
            field_dict["origin"] = origin
        if destination is not UNSET:
            field_dict["destination"] = destination
        if items is not UNSET:
            field_dict["items"] = items
        if currency is not UNSET:
            field_dict["currency"] = currency
        if locale is not UNSET:
            field_dict["locale"] = locale

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.shopify_address import ShopifyAddress  # noqa: PLC0415
        from ..models.shopify_item import ShopifyItem  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_origin(data: object) -> None | ShopifyAddress | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                origin_type_0 = ShopifyAddress.from_dict(data)

                return origin_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ShopifyAddress | Unset, data)

        origin = _parse_origin(d.pop("origin", UNSET))

        def _parse_destination(data: object) -> None | ShopifyAddress | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                destination_type_0 = ShopifyAddress.from_dict(data)

                return destination_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ShopifyAddress | Unset, data)

        destination = _parse_destination(d.pop("destination", UNSET))

        def _parse_items(data: object) -> list[ShopifyItem] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                items_type_0 = []
                _items_type_0 = data
                for items_type_0_item_data in _items_type_0:
                    items_type_0_item = ShopifyItem.from_dict(items_type_0_item_data)

                    items_type_0.append(items_type_0_item)

                return items_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ShopifyItem] | None | Unset, data)

        items = _parse_items(d.pop("items", UNSET))

        def _parse_currency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))

        def _parse_locale(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        locale = _parse_locale(d.pop("locale", UNSET))

        shopify_cart = cls(
            origin=origin,
            destination=destination,
            items=items,
            currency=currency,
            locale=locale,
        )

        shopify_cart.additional_properties = d
        return shopify_cart

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
