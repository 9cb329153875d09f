from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.woo_rate_meta_data import WooRateMetaData


T = TypeVar("T", bound="WooRate")


@_attrs_define
class WooRate:
    """
    Attributes:
        id (str): `shipgate:<carrier account>:<service>` (the rate's `id`).
        label (str):
        cost (str): Major units of the store currency, as a decimal string (`"45.50"`).
        meta_data (WooRateMetaData): Kept on the order's shipping line: what to book with, and the estimate.
    """

    id: str
    label: str
    cost: str
    meta_data: WooRateMetaData
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        label = self.label

        cost = self.cost

        meta_data = self.meta_data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "label": label,
                "cost": cost,
                "meta_data": meta_data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.woo_rate_meta_data import WooRateMetaData  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        label = d.pop("label")

        cost = d.pop("cost")

        meta_data = WooRateMetaData.from_dict(d.pop("meta_data"))

        woo_rate = cls(
            id=id,
            label=label,
            cost=cost,
            meta_data=meta_data,
        )

        woo_rate.additional_properties = d
        return woo_rate

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
