from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CircuitView")


@_attrs_define
class CircuitView:
    """An account's circuit breaker, as this process sees it.

    Attributes:
        state (str): `closed`, `half_open` (the next call probes) or `open` (calls fail fast, nothing
            is sent). Example: closed.
        retry_in_ms (int | None): While open: milliseconds until the next probe may go; null otherwise.
        failure_threshold (int): Consecutive transport failures (no connection, timeouts, 5xx) that open it.
        cool_down_ms (int): How long it stays open before a probe.
    """

    state: str
    retry_in_ms: int | None
    failure_threshold: int
    cool_down_ms: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        state = self.state

        retry_in_ms: int | None
        retry_in_ms = self.retry_in_ms

        failure_threshold = self.failure_threshold

        cool_down_ms = self.cool_down_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "state": state,
                "retry_in_ms": retry_in_ms,
                "failure_threshold": failure_threshold,
                "cool_down_ms": cool_down_ms,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        state = d.pop("state")

        def _parse_retry_in_ms(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        retry_in_ms = _parse_retry_in_ms(d.pop("retry_in_ms"))

        failure_threshold = d.pop("failure_threshold")

        cool_down_ms = d.pop("cool_down_ms")

        circuit_view = cls(
            state=state,
            retry_in_ms=retry_in_ms,
            failure_threshold=failure_threshold,
            cool_down_ms=cool_down_ms,
        )

        circuit_view.additional_properties = d
        return circuit_view

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
