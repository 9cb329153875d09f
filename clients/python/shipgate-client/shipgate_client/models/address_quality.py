from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.band import Band
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.reason import Reason


T = TypeVar("T", bound="AddressQuality")


@_attrs_define
class AddressQuality:
    """A booking's address quality (issue 17): the score of its destination
    (`carriers::address_quality`) and what the tenant's address policy made of it.

        Attributes:
            score (int): 0 to 100.
            band (Band): How a score reads.
            reasons (list[Reason]): Worst first, each at the pointer of its field in the booking (`/to/postal_code`).
            flagged (bool): Whether the tenant's address policy flagged the shipment for a look.
            policy_version (int): The version of the address policy applied (0: the built-in default).
            rule (None | str | Unset): The policy rule that decided; null when none matched.
    """

    score: int
    band: Band
    reasons: list[Reason]
    flagged: bool
    policy_version: int
    rule: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        score = self.score

        band = self.band.value

        reasons = []
        for reasons_item_data in self.reasons:
            reasons_item = reasons_item_data.to_dict()
            reasons.append(reasons_item)

        flagged = self.flagged

        policy_version = self.policy_version

        rule: None | str | Unset
        if isinstance(self.rule, Unset):
            rule = UNSET
        else:
            rule = self.rule

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "score": score,
                "band": band,
                "reasons": reasons,
                "flagged": flagged,
                "policy_version": policy_version,
            }
        )
        if rule is not UNSET:
            field_dict["rule"] = rule

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.reason import Reason  # noqa: PLC0415

        d = dict(src_dict)
        score = d.pop("score")

        band = Band(d.pop("band"))

        reasons = []
        _reasons = d.pop("reasons")
        for reasons_item_data in _reasons:
            reasons_item = Reason.from_dict(reasons_item_data)

            reasons.append(reasons_item)

        flagged = d.pop("flagged")

        policy_version = d.pop("policy_version")

        def _parse_rule(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rule = _parse_rule(d.pop("rule", UNSET))

        address_quality = cls(
            score=score,
            band=band,
            reasons=reasons,
            flagged=flagged,
            policy_version=policy_version,
            rule=rule,
        )

        address_quality.additional_properties = d
        return address_quality

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
