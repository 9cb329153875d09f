from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="Parcel")


@_attrs_define
class Parcel:
    """A parcel in grams and millimetres. Dimensions are all present or all absent.

    Attributes:
        weight_g (int):
        length_mm (int | None | Unset):
        width_mm (int | None | Unset):
        height_mm (int | None | Unset):
        declared_value (Money | None | Unset):
        description (None | str | Unset):
    """

    weight_g: int
    length_mm: int | None | Unset = UNSET
    width_mm: int | None | Unset = UNSET
    height_mm: int | None | Unset = UNSET
    declared_value: Money | None | Unset = UNSET
    description: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money  # noqa: PLC0415

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

        declared_value: dict[str, Any] | None | Unset
        if isinstance(self.declared_value, Unset):
            declared_value = UNSET
        elif isinstance(self.declared_value, Money):
            declared_value = self.declared_value.to_dict()
        else:
            declared_value = self.declared_value

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "weight_g": weight_g,
            }
        )
        if length_mm is not UNSET:
            field_dict["length_mm"] = length_mm
        if width_mm is not UNSET:
            field_dict["width_mm"] = width_mm
        if height_mm is not UNSET:
            field_dict["height_mm"] = height_mm
        if declared_value is not UNSET:
            field_dict["declared_value"] = declared_value
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        weight_g = d.pop("weight_g")

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

        def _parse_declared_value(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                declared_value_type_0 = Money.from_dict(data)

                return declared_value_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        declared_value = _parse_declared_value(d.pop("declared_value", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        parcel = cls(
            weight_g=weight_g,
            length_mm=length_mm,
            width_mm=width_mm,
            height_mm=height_mm,
            declared_value=declared_value,
            description=description,
        )

        parcel.additional_properties = d
        return parcel

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
