from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="Alternative")


@_attrs_define
class Alternative:
    """
    Attributes:
        carrier (str):
        service (str):
        total (Money): An amount in integer minor units of its currency, as ISO 4217 counts them (paise for
            INR, cents for USD, yen for JPY, fils for KWD: 2, 2, 0 and 3 decimals). Floats never carry
            money in shipgate: carriers' decimal rupee strings are converted at the adapter edge.
    """

    carrier: str
    service: str
    total: Money
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        carrier = self.carrier

        service = self.service

        total = self.total.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "carrier": carrier,
                "service": service,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        carrier = d.pop("carrier")

        service = d.pop("service")

        total = Money.from_dict(d.pop("total"))

        alternative = cls(
            carrier=carrier,
            service=service,
            total=total,
        )

        alternative.additional_properties = d
        return alternative

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
