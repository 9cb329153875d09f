from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.shopify_cart import ShopifyCart


T = TypeVar("T", bound="ShopifyRateRequest")


@_attrs_define
class ShopifyRateRequest:
    """Shopify's rate request.

    Attributes:
        rate (None | ShopifyCart | Unset):
    """

    rate: None | ShopifyCart | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.shopify_cart import ShopifyCart  # noqa: PLC0415

        rate: dict[str, Any] | None | Unset
        if isinstance(self.rate, Unset):
            rate = UNSET
        elif isinstance(self.rate, ShopifyCart):
            rate = self.rate.to_dict()
        else:
            rate = self.rate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if rate is not UNSET:
            field_dict["rate"] = rate

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.shopify_cart import ShopifyCart  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_rate(data: object) -> None | ShopifyCart | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                rate_type_0 = ShopifyCart.from_dict(data)

                return rate_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ShopifyCart | Unset, data)

        rate = _parse_rate(d.pop("rate", UNSET))

        shopify_rate_request = cls(
            rate=rate,
        )

        shopify_rate_request.additional_properties = d
        return shopify_rate_request

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
