from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.score_range_input import ScoreRangeInput


T = TypeVar("T", bound="AddressWhenInput")


@_attrs_define
class AddressWhenInput:
    """
    Attributes:
        bands (list[str] | None | Unset): `good`, `fair`, `poor`; any of them.
        score (None | ScoreRangeInput | Unset):
        reasons (list[str] | None | Unset): Reason codes the assessment gives (`pincode_unknown`, `phone_sequence`, …);
            any
            of them.
        payment (None | str | Unset): `cod` or `prepaid`.
    """

    bands: list[str] | None | Unset = UNSET
    score: None | ScoreRangeInput | Unset = UNSET
    reasons: list[str] | None | Unset = UNSET
    payment: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.score_range_input import ScoreRangeInput  # noqa: PLC0415

        bands: list[str] | None | Unset
        if isinstance(self.bands, Unset):
            bands = UNSET
        elif isinstance(self.bands, list):
            bands = self.bands

        else:
            bands = self.bands

        score: dict[str, Any] | None | Unset
        if isinstance(self.score, Unset):
            score = UNSET
        elif isinstance(self.score, ScoreRangeInput):
            score = self.score.to_dict()
        else:
            score = self.score

        reasons: list[str] | None | Unset
        if isinstance(self.reasons, Unset):
            reasons = UNSET
        elif isinstance(self.reasons, list):
            reasons = self.reasons

        else:
            reasons = self.reasons

        payment: None | str | Unset
        if isinstance(self.payment, Unset):
            payment = UNSET
        else:
            payment = self.payment

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if bands is not UNSET:
            field_dict["bands"] = bands
        if score is not UNSET:
            field_dict["score"] = score
        if reasons is not UNSET:
            field_dict["reasons"] = reasons
        if payment is not UNSET:
            field_dict["payment"] = payment

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.score_range_input import ScoreRangeInput  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_bands(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                bands_type_0 = cast(list[str], data)

                return bands_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        bands = _parse_bands(d.pop("bands", UNSET))

        def _parse_score(data: object) -> None | ScoreRangeInput | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                score_type_0 = ScoreRangeInput.from_dict(data)

                return score_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ScoreRangeInput | Unset, data)

        score = _parse_score(d.pop("score", UNSET))

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

        def _parse_payment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        payment = _parse_payment(d.pop("payment", UNSET))

        address_when_input = cls(
            bands=bands,
            score=score,
            reasons=reasons,
            payment=payment,
        )

        return address_when_input
