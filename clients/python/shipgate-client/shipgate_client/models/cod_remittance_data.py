from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.cod_remittance_summary import CodRemittanceSummary


T = TypeVar("T", bound="CodRemittanceData")


@_attrs_define
class CodRemittanceData:
    """
    Attributes:
        remittance (CodRemittanceSummary): A reconciled COD remittance file as the API and the webhook messages show it.
    """

    remittance: CodRemittanceSummary
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        remittance = self.remittance.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "remittance": remittance,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cod_remittance_summary import CodRemittanceSummary  # noqa: PLC0415

        d = dict(src_dict)
        remittance = CodRemittanceSummary.from_dict(d.pop("remittance"))

        cod_remittance_data = cls(
            remittance=remittance,
        )

        cod_remittance_data.additional_properties = d
        return cod_remittance_data

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
