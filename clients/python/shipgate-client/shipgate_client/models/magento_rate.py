from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MagentoRate")


@_attrs_define
class MagentoRate:
    """
    Attributes:
        carrier (str): Always `shipgate` (the module's carrier code).
        carrier_title (str): The connection's name.
        method (str): `<carrier account>_<service>` in Magento's method-code alphabet (`[a-z0-9_]`).
        method_title (str):
        price (str): What the buyer pays, base currency major units as a decimal string (`"45.50"`).
        cost (str): The carrier's price before the connection's markup, the same way.
    """

    carrier: str
    carrier_title: str
    method: str
    method_title: str
    price: str
    cost: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        carrier = self.carrier

        carrier_title = self.carrier_title

        method = self.method

        method_title = self.method_title

        price = self.price

        cost = self.cost

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "carrier": carrier,
                "carrier_title": carrier_title,
                "method": method,
                "method_title": method_title,
                "price": price,
                "cost": cost,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        carrier = d.pop("carrier")

        carrier_title = d.pop("carrier_title")

        method = d.pop("method")

        method_title = d.pop("method_title")

        price = d.pop("price")

        cost = d.pop("cost")

        magento_rate = cls(
            carrier=carrier,
            carrier_title=carrier_title,
            method=method,
            method_title=method_title,
            price=price,
            cost=cost,
        )

        magento_rate.additional_properties = d
        return magento_rate

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
