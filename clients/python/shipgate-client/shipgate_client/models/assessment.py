from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.band import Band
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.address import Address
    from ..models.parts import Parts
    from ..models.reason import Reason


T = TypeVar("T", bound="Assessment")


@_attrs_define
class Assessment:
    """The whole assessment of an address.

    Attributes:
        score (int): 0 to 100.
        band (Band): How a score reads.
        reasons (list[Reason]): Worst first.
        address (Address): A parsed address: phone normalised to E.164, postal code checked for its country.
        parts (Parts): The parts found in the street lines; any may be missing.
        checks (list[str]): The checks that ran: `pincode`, `city`, `state`, `phone` (Indian mobile) or
            `phone_pattern` (elsewhere), `lines`, `junk`.
        district (None | str | Unset): The PIN code's district and state code, where the table knows it (India).
        state_code (None | str | Unset):
    """

    score: int
    band: Band
    reasons: list[Reason]
    address: Address
    parts: Parts
    checks: list[str]
    district: None | str | Unset = UNSET
    state_code: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        score = self.score

        band = self.band.value

        reasons = []
        for reasons_item_data in self.reasons:
            reasons_item = reasons_item_data.to_dict()
            reasons.append(reasons_item)

        address = self.address.to_dict()

        parts = self.parts.to_dict()

        checks = self.checks

        district: None | str | Unset
        if isinstance(self.district, Unset):
            district = UNSET
        else:
            district = self.district

        state_code: None | str | Unset
        if isinstance(self.state_code, Unset):
            state_code = UNSET
        else:
            state_code = self.state_code

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "score": score,
                "band": band,
                "reasons": reasons,
                "address": address,
                "parts": parts,
                "checks": checks,
            }
        )
        if district is not UNSET:
            field_dict["district"] = district
        if state_code is not UNSET:
            field_dict["state_code"] = state_code

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.address import Address  # noqa: PLC0415
        from ..models.parts import Parts  # noqa: PLC0415
        from ..models.reason import Reason  # noqa: PLC0415

        d = dict(src_dict)
        score = d.pop("score")

        band = Band(d.pop("band"))

        reasons = []
        _reasons = d.pop("reasons")
        for reasons_item_data in _reasons:
            reasons_item = Reason.from_dict(reasons_item_data)

            reasons.append(reasons_item)

        address = Address.from_dict(d.pop("address"))

        parts = Parts.from_dict(d.pop("parts"))

        checks = cast(list[str], d.pop("checks"))

        def _parse_district(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        district = _parse_district(d.pop("district", UNSET))

        def _parse_state_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        state_code = _parse_state_code(d.pop("state_code", UNSET))

        assessment = cls(
            score=score,
            band=band,
            reasons=reasons,
            address=address,
            parts=parts,
            checks=checks,
            district=district,
            state_code=state_code,
        )

        assessment.additional_properties = d
        return assessment

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
