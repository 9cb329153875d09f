from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.objective import Objective
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.rule import Rule


T = TypeVar("T", bound="RuleSet")


@_attrs_define
class RuleSet:
    """A validated rule set.

    Attributes:
        objective (Objective): How candidate quotes are ranked.
        rules (list[Rule]):
        promise_days (int | None | Unset):
    """

    objective: Objective
    rules: list[Rule]
    promise_days: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        objective = self.objective.value

        rules = []
        for rules_item_data in self.rules:
            rules_item = rules_item_data.to_dict()
            rules.append(rules_item)

        promise_days: int | None | Unset
        if isinstance(self.promise_days, Unset):
            promise_days = UNSET
        else:
            promise_days = self.promise_days

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "objective": objective,
                "rules": rules,
            }
        )
        if promise_days is not UNSET:
            field_dict["promise_days"] = promise_days

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rule import Rule  # noqa: PLC0415

        d = dict(src_dict)
        objective = Objective(d.pop("objective"))

        rules = []
        _rules = d.pop("rules")
        for rules_item_data in _rules:
            rules_item = Rule.from_dict(rules_item_data)

            rules.append(rules_item)

        def _parse_promise_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        promise_days = _parse_promise_days(d.pop("promise_days", UNSET))

        rule_set = cls(
            objective=objective,
            rules=rules,
            promise_days=promise_days,
        )

        rule_set.additional_properties = d
        return rule_set

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
