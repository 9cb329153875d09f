from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DecisionView")


@_attrs_define
class DecisionView:
    """A decision of the tenant's NDR policy about one failed attempt.

    Attributes:
        attempt (int):
        policy_version (int):
        decision (str): `reattempt`, `rto`, `wait` or `none`.
        decided_at (datetime.datetime):
        rule (None | str | Unset): The rule that decided; null when no rule matched.
        action_id (None | str | Unset): The action it sent.
        detail (None | str | Unset): Why nothing was sent although the rule said so.
    """

    attempt: int
    policy_version: int
    decision: str
    decided_at: datetime.datetime
    rule: None | str | Unset = UNSET
    action_id: None | str | Unset = UNSET
    detail: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attempt = self.attempt

        policy_version = self.policy_version

        decision = self.decision

        decided_at = self.decided_at.isoformat()

        rule: None | str | Unset
        if isinstance(self.rule, Unset):
            rule = UNSET
        else:
            rule = self.rule

        action_id: None | str | Unset
        if isinstance(self.action_id, Unset):
            action_id = UNSET
        else:
            action_id = self.action_id

        detail: None | str | Unset
        if isinstance(self.detail, Unset):
            detail = UNSET
        else:
            detail = self.detail

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attempt": attempt,
                "policy_version": policy_version,
                "decision": decision,
                "decided_at": decided_at,
            }
        )
        if rule is not UNSET:
            field_dict["rule"] = rule
        if action_id is not UNSET:
            field_dict["action_id"] = action_id
        if detail is not UNSET:
            field_dict["detail"] = detail

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        attempt = d.pop("attempt")

        policy_version = d.pop("policy_version")

        decision = d.pop("decision")

        decided_at = datetime.datetime.fromisoformat(d.pop("decided_at"))

        def _parse_rule(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rule = _parse_rule(d.pop("rule", UNSET))

        def _parse_action_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        action_id = _parse_action_id(d.pop("action_id", UNSET))

        def _parse_detail(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        detail = _parse_detail(d.pop("detail", UNSET))

        decision_view = cls(
            attempt=attempt,
            policy_version=policy_version,
            decision=decision,
            decided_at=decided_at,
            rule=rule,
            action_id=action_id,
            detail=detail,
        )

        decision_view.additional_properties = d
        return decision_view

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
