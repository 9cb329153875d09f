from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="DefaultParcel")


@_attrs_define
class DefaultParcel:
    """
    Attributes:
        weight_g (int | None | Unset):
        length_mm (int | None | Unset):
        width_mm (int | None | Unset):
        height_mm (int | None | Unset):
    """

    weight_g: int | None | Unset = UNSET
    length_mm: int | None | Unset = UNSET
    width_mm: int | None | Unset = UNSET
    height_mm: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        weight_g: int | None | Unset
        if isinstance(self.weight_g, Unset):
            weight_g = UNSET
        else:
            weight_g = self.weight_g

        length_mm: int | None | Unset
        if isinstance(self.length_mm, Unset):
            length_mm = UNSET
        else:
            length_mm = self.length_mm

        width_mm: int | None | Unset
        if isinstance(self.width_mm, Unset):
            width_mm = UNSET
        else:
            width_mm = self.width_mm

        height_mm: int | None | Unset
        if isinstance(self.height_mm, Unset):
            height_mm = UNSET
        else:
            height_mm = self.height_mm

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if weight_g is not UNSET:
            field_dict["weight_g"] = weight_g
        if length_mm is not UNSET:
            field_dict["length_mm"] = length_mm
        if width_mm is not UNSET:
            field_dict["width_mm"] = width_mm
        if height_mm is not UNSET:
            field_dict["height_mm"] = height_mm

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_weight_g(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        weight_g = _parse_weight_g(d.pop("weight_g", UNSET))

        def _parse_length_mm(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        length_mm = _parse_length_mm(d.pop("length_mm", UNSET))

        def _parse_width_mm(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        width_mm = _parse_width_mm(d.pop("width_mm", UNSET))

        def _parse_height_mm(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        height_mm = _parse_height_mm(d.pop("height_mm", UNSET))

        default_parcel = cls(
            weight_g=weight_g,
            length_mm=length_mm,
            width_mm=width_mm,
            height_mm=height_mm,
        )

        return default_parcel
