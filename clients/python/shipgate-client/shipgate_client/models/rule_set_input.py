from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.objective import Objective
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.rule_input import RuleInput


T = TypeVar("T", bound="RuleSetInput")


@_attrs_define
class RuleSetInput:
    """A rule set as uploaded with `PUT /v1/selection-rules`.

    Attributes:
        objective (None | Objective | Unset):
        promise_days (int | None | Unset): For `cheapest_within_promise` when a request has no `deliver_by`: the promise
            is
            this many days from today, 0 to 60. Example: 4.
        rules (list[RuleInput] | None | Unset): Evaluated in order, at most 200; see docs/rate-cards-and-selection.md,
            "Carrier
            selection", for how matching rules combine. No rules when absent.
    """

    objective: None | Objective | Unset = UNSET
    promise_days: int | None | Unset = UNSET
    rules: list[RuleInput] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        objective: None | str | Unset
        if isinstance(self.objective, Unset):
            objective = UNSET
        elif isinstance(self.objective, Objective):
            objective = self.objective.value
        else:
            objective = self.objective

        promise_days: int | None | Unset
        if isinstance(self.promise_days, Unset):
            promise_days = UNSET
        else:
            promise_days = self.promise_days

        rules: list[dict[str, Any]] | None | Unset
        if isinstance(self.rules, Unset):
            rules = UNSET
        elif isinstance(self.rules, list):
            rules = []
            for rules_type_0_item_data in self.rules:
                rules_type_0_item = rules_type_0_item_data.to_dict()
                rules.append(rules_type_0_item)

        else:
            rules = self.rules

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if objective is not UNSET:
            field_dict["objective"] = objective
        if promise_days is not UNSET:
            field_dict["promise_days"] = promise_days
        if rules is not UNSET:
            field_dict["rules"] = rules

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rule_input import RuleInput  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_objective(data: object) -> None | Objective | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                objective_type_0 = Objective(data)

                return objective_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Objective | Unset, data)

        objective = _parse_objective(d.pop("objective", UNSET))

        def _parse_promise_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        promise_days = _parse_promise_days(d.pop("promise_days", UNSET))

        def _parse_rules(data: object) -> list[RuleInput] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                rules_type_0 = []
                _rules_type_0 = data
                for rules_type_0_item_data in _rules_type_0:
                    rules_type_0_item = RuleInput.from_dict(rules_type_0_item_data)

                    rules_type_0.append(rules_type_0_item)

                return rules_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[RuleInput] | None | Unset, data)

        rules = _parse_rules(d.pop("rules", UNSET))

        rule_set_input = cls(
            objective=objective,
            promise_days=promise_days,
            rules=rules,
        )

        return rule_set_input
