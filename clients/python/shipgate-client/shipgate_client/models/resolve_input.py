from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ResolveInput")


@_attrs_define
class ResolveInput:
    """
    Attributes:
        outcome (str): `booked` (the carrier's records show the booking: give its `awb`) or `not_booked`
            (they do not: the order may be booked again).
        awb (str): The AWB (tracking number) the carrier booked it under; `booked` only.
        service (str): The service the carrier booked, when not the one the request named.
    """

    outcome: str
    awb: str
    service: str

    def to_dict(self) -> dict[str, Any]:
        outcome = self.outcome

        awb = self.awb

        service = self.service

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "outcome": outcome,
                "awb": awb,
                "service": service,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        outcome = d.pop("outcome")

        awb = d.pop("awb")

        service = d.pop("service")

        resolve_input = cls(
            outcome=outcome,
            awb=awb,
            service=service,
        )

        return resolve_input
