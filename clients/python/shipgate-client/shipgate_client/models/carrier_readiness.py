from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CarrierReadiness")


@_attrs_define
class CarrierReadiness:
    """
    Attributes:
        carrier (str):
        breaker (str): `closed`, `half_open` (the next call probes) or `open` (calls fail fast).
        retry_in_ms (int | None | Unset): While open: when the next probe may go.
    """

    carrier: str
    breaker: str
    retry_in_ms: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        carrier = self.carrier

        breaker = self.breaker

        retry_in_ms: int | None | Unset
        if isinstance(self.retry_in_ms, Unset):
            retry_in_ms = UNSET
        else:
            retry_in_ms = self.retry_in_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "carrier": carrier,
                "breaker": breaker,
            }
        )
        if retry_in_ms is not UNSET:
            field_dict["retry_in_ms"] = retry_in_ms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        carrier = d.pop("carrier")

        breaker = d.pop("breaker")

        def _parse_retry_in_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        retry_in_ms = _parse_retry_in_ms(d.pop("retry_in_ms", UNSET))

        carrier_readiness = cls(
            carrier=carrier,
            breaker=breaker,
            retry_in_ms=retry_in_ms,
        )

        carrier_readiness.additional_properties = d
        return carrier_readiness

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
