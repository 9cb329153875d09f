from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.ndr_rule_input import NdrRuleInput


T = TypeVar("T", bound="PolicyInput")


@_attrs_define
class PolicyInput:
    """A policy as uploaded.

    Attributes:
        rules (list[NdrRuleInput]): Tried in order; the first that matches a failed attempt decides. 1 to 50.
    """

    rules: list[NdrRuleInput]

    def to_dict(self) -> dict[str, Any]:
        rules = []
        for rules_item_data in self.rules:
            rules_item = rules_item_data.to_dict()
            rules.append(rules_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "rules": rules,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ndr_rule_input import NdrRuleInput  # noqa: PLC0415

        d = dict(src_dict)
        rules = []
        _rules = d.pop("rules")
        for rules_item_data in _rules:
            rules_item = NdrRuleInput.from_dict(rules_item_data)

            rules.append(rules_item)

        policy_input = cls(
            rules=rules,
        )

        return policy_input
