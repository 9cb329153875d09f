from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ShopifyRate")


@_attrs_define
class ShopifyRate:
    """
    Attributes:
        service_name (str): What the buyer sees (`Delhivery Surface`).
        service_code (str): `<carrier account>:<service>`: what the order is booked with.
        total_price (str): Subunits of `currency`, as a string of digits (`"1295"`).
        description (str):
        currency (str): The rate's currency: the carrier's, which Shopify converts if it is not the
            checkout's.
        min_delivery_date (None | str | Unset): `YYYY-MM-DD HH:MM:SS +ZZZZ`; absent without an estimate.
        max_delivery_date (None | str | Unset):
    """

    service_name: str
    service_code: str
    total_price: str
    description: str
    currency: str
    min_delivery_date: None | str | Unset = UNSET
    max_delivery_date: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        service_name = self.service_name

        service_code = self.service_code

        total_price = self.total_price

        description = self.description

        currency = self.currency

        min_delivery_date: None | str | Unset
        if isinstance(self.min_delivery_date, Unset):
            min_delivery_date = UNSET
        else:
            min_delivery_date = self.min_delivery_date

        max_delivery_date: None | str | Unset
        if isinstance(self.max_delivery_date, Unset):
            max_delivery_date = UNSET
        else:
            max_delivery_date = self.max_delivery_date

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "service_name": service_name,
                "service_code": service_code,
                "total_price": total_price,
                "description": description,
                "currency": currency,
            }
        )
        if min_delivery_date is not UNSET:
            field_dict["min_delivery_date"] = min_delivery_date
        if max_delivery_date is not UNSET:
            field_dict["max_delivery_date"] = max_delivery_date

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        service_name = d.pop("service_name")

        service_code = d.pop("service_code")

        total_price = d.pop("total_price")

        description = d.pop("description")

        currency = d.pop("currency")

        def _parse_min_delivery_date(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        min_delivery_date = _parse_min_delivery_date(d.pop("min_delivery_date", UNSET))

        def _parse_max_delivery_date(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        max_delivery_date = _parse_max_delivery_date(d.pop("max_delivery_date", UNSET))

        shopify_rate = cls(
            service_name=service_name,
            service_code=service_code,
            total_price=total_price,
            description=description,
            currency=currency,
            min_delivery_date=min_delivery_date,
            max_delivery_date=max_delivery_date,
        )

        shopify_rate.additional_properties = d
        return shopify_rate

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
