from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CodInput")


@_attrs_define
class CodInput:
    """
    Attributes:
        percent (int | str): A percentage, 0 to 100: a decimal string with at most two decimals (`"12.5"`, `"12.50%"`)
            or a whole number (`18`). Write a fractional percentage as a string, so it is kept exactly.
        minimum (int | None | Unset): The least the COD charge is, minor units: 0 to 100000000; 0 when absent. Example:
            3500.
    """

    percent: int | str
    minimum: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        percent: int | str
        percent = self.percent

        minimum: int | None | Unset
        if isinstance(self.minimum, Unset):
            minimum = UNSET
        else:
            minimum = self.minimum

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "percent": percent,
            }
        )
        if minimum is not UNSET:
            field_dict["minimum"] = minimum

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_percent(data: object) -> int | str:
            return cast(int | str, data)

        percent = _parse_percent(d.pop("percent"))

        def _parse_minimum(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        minimum = _parse_minimum(d.pop("minimum", UNSET))

        cod_input = cls(
            percent=percent,
            minimum=minimum,
        )

        return cod_input
