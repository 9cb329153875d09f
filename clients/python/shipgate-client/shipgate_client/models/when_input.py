from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ndr_range_input import NdrRangeInput


T = TypeVar("T", bound="WhenInput")


@_attrs_define
class WhenInput:
    """
    Attributes:
        reasons (list[str] | None | Unset): Why the attempt failed: sub-statuses of `delivery_failed`
            (`customer_unavailable`,
            `refused`, `address_issue`, …); any of them.
        attempts (NdrRangeInput | None | Unset):
        payment (None | str | Unset): `cod` or `prepaid`.
        carriers (list[str] | None | Unset): Carrier ids or carrier account ids; any of them.
    """

    reasons: list[str] | None | Unset = UNSET
    attempts: NdrRangeInput | None | Unset = UNSET
    payment: None | str | Unset = UNSET
    carriers: list[str] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.ndr_range_input import NdrRangeInput  # noqa: PLC0415

        reasons: list[str] | None | Unset
        if isinstance(self.reasons, Unset):
            reasons = UNSET
        elif isinstance(self.reasons, list):
            reasons = self.reasons

        else:
            reasons = self.reasons

        attempts: dict[str, Any] | None | Unset
        if isinstance(self.attempts, Unset):
            attempts = UNSET
        elif isinstance(self.attempts, NdrRangeInput):
            attempts = self.attempts.to_dict()
        else:
            attempts = self.attempts

        payment: None | str | Unset
        if isinstance(self.payment, Unset):
            payment = UNSET
        else:
            payment = self.payment

        carriers: list[str] | None | Unset
        if isinstance(self.carriers, Unset):
            carriers = UNSET
        elif isinstance(self.carriers, list):
            carriers = self.carriers

        else:
            carriers = self.carriers

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if reasons is not UNSET:
            field_dict["reasons"] = reasons
        if attempts is not UNSET:
            field_dict["attempts"] = attempts
        if payment is not UNSET:
            field_dict["payment"] = payment
        if carriers is not UNSET:
            field_dict["carriers"] = carriers

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ndr_range_input import NdrRangeInput  # noqa: PLC0415

        d = dict(src_dict)

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

        def _parse_attempts(data: object) -> NdrRangeInput | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                attempts_type_0 = NdrRangeInput.from_dict(data)

                return attempts_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NdrRangeInput | None | Unset, data)

        attempts = _parse_attempts(d.pop("attempts", UNSET))

        def _parse_payment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        payment = _parse_payment(d.pop("payment", UNSET))

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

        when_input = cls(
            reasons=reasons,
            attempts=attempts,
            payment=payment,
            carriers=carriers,
        )

        return when_input
