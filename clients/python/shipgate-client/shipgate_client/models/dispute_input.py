from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DisputeInput")


@_attrs_define
class DisputeInput:
    """Evidence for a weight dispute: the parcel as packed, measured and photographed.

    Attributes:
        weight_g (int): The weight on the seller's scale, 1 to 1000000 g. Example: 480.
        length_mm (int):  Example: 200.
        width_mm (int):  Example: 150.
        height_mm (int):  Example: 100.
        photo_urls (list[str]): 1 to 10 `https://` links to photos of the parcel on the scale and its sides.
        comment (None | str | Unset): Up to 500 characters.
    """

    weight_g: int
    length_mm: int
    width_mm: int
    height_mm: int
    photo_urls: list[str]
    comment: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        weight_g = self.weight_g

        length_mm = self.length_mm

        width_mm = self.width_mm

        height_mm = self.height_mm

        photo_urls = self.photo_urls

        comment: None | str | Unset
        if isinstance(self.comment, Unset):
            comment = UNSET
        else:
            comment = self.comment

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "weight_g": weight_g,
                "length_mm": length_mm,
                "width_mm": width_mm,
                "height_mm": height_mm,
                "photo_urls": photo_urls,
            }
        )
        if comment is not UNSET:
            field_dict["comment"] = comment

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        weight_g = d.pop("weight_g")

        length_mm = d.pop("length_mm")

        width_mm = d.pop("width_mm")

        height_mm = d.pop("height_mm")

        photo_urls = cast(list[str], d.pop("photo_urls"))

        def _parse_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comment = _parse_comment(d.pop("comment", UNSET))

        dispute_input = cls(
            weight_g=weight_g,
            length_mm=length_mm,
            width_mm=width_mm,
            height_mm=height_mm,
            photo_urls=photo_urls,
            comment=comment,
        )

        dispute_input.additional_properties = d
        return dispute_input

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
