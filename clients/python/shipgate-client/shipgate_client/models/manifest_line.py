from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ManifestLine")


@_attrs_define
class ManifestLine:
    """One shipment of a manifest, as the handover sheet lists it.

    Attributes:
        shipment_id (str):
        awb (str):
        order_ref (str):
        cod_amount (int): Cash to collect, minor units (0 for prepaid).
        pieces (int):
    """

    shipment_id: str
    awb: str
    order_ref: str
    cod_amount: int
    pieces: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        shipment_id = self.shipment_id

        awb = self.awb

        order_ref = self.order_ref

        cod_amount = self.cod_amount

        pieces = self.pieces

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "shipment_id": shipment_id,
                "awb": awb,
                "order_ref": order_ref,
                "cod_amount": cod_amount,
                "pieces": pieces,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        shipment_id = d.pop("shipment_id")

        awb = d.pop("awb")

        order_ref = d.pop("order_ref")

        cod_amount = d.pop("cod_amount")

        pieces = d.pop("pieces")

        manifest_line = cls(
            shipment_id=shipment_id,
            awb=awb,
            order_ref=order_ref,
            cod_amount=cod_amount,
            pieces=pieces,
        )

        manifest_line.additional_properties = d
        return manifest_line

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
