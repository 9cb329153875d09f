from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Markup")


@_attrs_define
class Markup:
    """
    Attributes:
        percent (None | str | Unset): Percent of the carrier's price added, a decimal string with at most two decimals
            (`"10"`, `"12.5"`), 0 to 1000. Rounded up to the minor unit. Example: 10.
        amount (int | None | Unset): Minor units added after the percentage, in the rate's currency, 0 to 10^9.
    """

    percent: None | str | Unset = UNSET
    amount: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        percent: None | str | Unset
        if isinstance(self.percent, Unset):
            percent = UNSET
        else:
            percent = self.percent

        amount: int | None | Unset
        if isinstance(self.amount, Unset):
            amount = UNSET
        else:
            amount = self.amount

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if percent is not UNSET:
            field_dict["percent"] = percent
        if amount is not UNSET:
            field_dict["amount"] = amount

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_percent(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        percent = _parse_percent(d.pop("percent", UNSET))

        def _parse_amount(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        amount = _parse_amount(d.pop("amount", UNSET))

        markup = cls(
            percent=percent,
            amount=amount,
        )

        return markup
