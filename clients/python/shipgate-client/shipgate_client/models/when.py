from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.sub_status import SubStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="When")


@_attrs_define
class When:
    """
    Attributes:
        reasons (list[SubStatus] | None | Unset):
        attempts_min (int | None | Unset):
        attempts_max (int | None | Unset):
        cod (bool | None | Unset): `true`: cash on delivery only; `false`: prepaid only.
        carriers (list[str] | None | Unset):
    """

    reasons: list[SubStatus] | None | Unset = UNSET
    attempts_min: int | None | Unset = UNSET
    attempts_max: int | None | Unset = UNSET
    cod: bool | None | Unset = UNSET
    carriers: list[str] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        reasons: list[str] | None | Unset
        if isinstance(self.reasons, Unset):
            reasons = UNSET
        elif isinstance(self.reasons, list):
            reasons = []
            for reasons_type_0_item_data in self.reasons:
                reasons_type_0_item = reasons_type_0_item_data.value
                reasons.append(reasons_type_0_item)

        else:
            reasons = self.reasons

        attempts_min: int | None | Unset
        if isinstance(self.attempts_min, Unset):
            attempts_min = UNSET
        else:
            attempts_min = self.attempts_min

        attempts_max: int | None | Unset
        if isinstance(self.attempts_max, Unset):
            attempts_max = UNSET
        else:
            attempts_max = self.attempts_max

        cod: bool | None | Unset
        if isinstance(self.cod, Unset):
            cod = UNSET
        else:
            cod = self.cod

        carriers: list[str] | None | Unset
        if isinstance(self.carriers, Unset):
            carriers = UNSET
        elif isinstance(self.carriers, list):
            carriers = self.carriers

        else:
            carriers = self.carriers

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if reasons is not UNSET:
            field_dict["reasons"] = reasons
        if attempts_min is not UNSET:
            field_dict["attempts_min"] = attempts_min
        if attempts_max is not UNSET:
            field_dict["attempts_max"] = attempts_max
        if cod is not UNSET:
            field_dict["cod"] = cod
        if carriers is not UNSET:
            field_dict["carriers"] = carriers

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_reasons(data: object) -> list[SubStatus] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                reasons_type_0 = []
                _reasons_type_0 = data
                for reasons_type_0_item_data in _reasons_type_0:
                    reasons_type_0_item = SubStatus(reasons_type_0_item_data)

                    reasons_type_0.append(reasons_type_0_item)

                return reasons_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[SubStatus] | None | Unset, data)

        reasons = _parse_reasons(d.pop("reasons", UNSET))

        def _parse_attempts_min(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        attempts_min = _parse_attempts_min(d.pop("attempts_min", UNSET))

        def _parse_attempts_max(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        attempts_max = _parse_attempts_max(d.pop("attempts_max", UNSET))

        def _parse_cod(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        cod = _parse_cod(d.pop("cod", UNSET))

        def _parse_carriers(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                carriers_type_0 = cast(list[str], data)

                return carriers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        carriers = _parse_carriers(d.pop("carriers", UNSET))

        when = cls(
            reasons=reasons,
            attempts_min=attempts_min,
            attempts_max=attempts_max,
            cod=cod,
            carriers=carriers,
        )

        when.additional_properties = d
        return when

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
