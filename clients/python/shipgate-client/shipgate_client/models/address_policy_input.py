from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.address_rule_input import AddressRuleInput


T = TypeVar("T", bound="AddressPolicyInput")


@_attrs_define
class AddressPolicyInput:
    """A policy as uploaded.

    Attributes:
        rules (list[AddressRuleInput]): Tried in order; the first that matches a booking decides. 1 to 50.
    """

    rules: list[AddressRuleInput]

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
        from ..models.address_rule_input import AddressRuleInput  # noqa: PLC0415

        d = dict(src_dict)
        rules = []
        _rules = d.pop("rules")
        for rules_item_data in _rules:
            rules_item = AddressRuleInput.from_dict(rules_item_data)

            rules.append(rules_item)

        address_policy_input = cls(
            rules=rules,
        )

        return address_policy_input
