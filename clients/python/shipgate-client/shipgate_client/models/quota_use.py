from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="QuotaUse")


@_attrs_define
class QuotaUse:
    """How much of its outbound quota an account used over the last minute, in this process
    (each gateway process paces its own share).

        Attributes:
            per_second (float): The calls a second the account may send to the carrier.
            limit_per_minute (float): `per_second` × 60.
            used_last_minute (int): Calls sent in the last 60 seconds.
            used_pct (float): `used_last_minute` as a percentage of `limit_per_minute`, one decimal.
            refused_last_minute (int): Calls refused in the last 60 seconds for want of a free slot (nothing was sent).
    """

    per_second: float
    limit_per_minute: float
    used_last_minute: int
    used_pct: float
    refused_last_minute: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        per_second = self.per_second

        limit_per_minute = self.limit_per_minute

        used_last_minute = self.used_last_minute

        used_pct = self.used_pct

        refused_last_minute = self.refused_last_minute

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "per_second": per_second,
                "limit_per_minute": limit_per_minute,
                "used_last_minute": used_last_minute,
                "used_pct": used_pct,
                "refused_last_minute": refused_last_minute,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        per_second = d.pop("per_second")

        limit_per_minute = d.pop("limit_per_minute")

        used_last_minute = d.pop("used_last_minute")

        used_pct = d.pop("used_pct")

        refused_last_minute = d.pop("refused_last_minute")

        quota_use = cls(
            per_second=per_second,
            limit_per_minute=limit_per_minute,
            used_last_minute=used_last_minute,
            used_pct=used_pct,
            refused_last_minute=refused_last_minute,
        )

        quota_use.additional_properties = d
        return quota_use

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
