from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.band import Band
from ..types import UNSET, Unset

T = TypeVar("T", bound="AddressWhen")


@_attrs_define
class AddressWhen:
    """
    Attributes:
        bands (list[Band] | None | Unset):
        score_min (int | None | Unset):
        score_max (int | None | Unset):
        reasons (list[str] | None | Unset):
        cod (bool | None | Unset): `true`: cash on delivery only; `false`: prepaid only.
    """

    bands: list[Band] | None | Unset = UNSET
    score_min: int | None | Unset = UNSET
    score_max: int | None | Unset = UNSET
    reasons: list[str] | None | Unset = UNSET
    cod: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        bands: list[str] | None | Unset
        if isinstance(self.bands, Unset):
            bands = UNSET
        elif isinstance(self.bands, list):
            bands = []
            for bands_type_0_item_data in self.bands:
                bands_type_0_item = bands_type_0_item_data.value
                bands.append(bands_type_0_item)

        else:
            bands = self.bands

        score_min: int | None | Unset
        if isinstance(self.score_min, Unset):
            score_min = UNSET
        else:
            score_min = self.score_min

        score_max: int | None | Unset
        if isinstance(self.score_max, Unset):
            score_max = UNSET
        else:
            score_max = self.score_max

        reasons: list[str] | None | Unset
        if isinstance(self.reasons, Unset):
            reasons = UNSET
        elif isinstance(self.reasons, list):
            reasons = self.reasons

        else:
            reasons = self.reasons

        cod: bool | None | Unset
        if isinstance(self.cod, Unset):
            cod = UNSET
        else:
            cod = self.cod

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if bands is not UNSET:
            field_dict["bands"] = bands
        if score_min is not UNSET:
            field_dict["score_min"] = score_min
        if score_max is not UNSET:
            field_dict["score_max"] = score_max
        if reasons is not UNSET:
            field_dict["reasons"] = reasons
        if cod is not UNSET:
            field_dict["cod"] = cod

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_bands(data: object) -> list[Band] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                bands_type_0 = []
                _bands_type_0 = data
                for bands_type_0_item_data in _bands_type_0:
                    bands_type_0_item = Band(bands_type_0_item_data)

                    bands_type_0.append(bands_type_0_item)

                return bands_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Band] | None | Unset, data)

        bands = _parse_bands(d.pop("bands", UNSET))

        def _parse_score_min(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        score_min = _parse_score_min(d.pop("score_min", UNSET))

        def _parse_score_max(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        score_max = _parse_score_max(d.pop("score_max", UNSET))

        def _parse_reasons(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                reasons_type_0 = cast(list[str], data)

                return reasons_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        reasons = _parse_reasons(d.pop("reasons", UNSET))

        def _parse_cod(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        cod = _parse_cod(d.pop("cod", UNSET))

        address_when = cls(
            bands=bands,
            score_min=score_min,
            score_max=score_max,
            reasons=reasons,
            cod=cod,
        )

        address_when.additional_properties = d
        return address_when

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
