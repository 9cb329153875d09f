from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.choice_mode import ChoiceMode
from ..models.objective import Objective
from ..types import UNSET, Unset

T = TypeVar("T", bound="DryRunSelection")


@_attrs_define
class DryRunSelection:
    """
    Attributes:
        mode (ChoiceMode): How the carrier was chosen.
        reasons (list[str]): Why this carrier: the rules that matched, dropped quotes, the winner — as a
            booking's `selection.reasons`.
        rule_set_version (int | None | Unset): The selection rule set version in force (`auto`; absent without rules).
        objective (None | Objective | Unset):
    """

    mode: ChoiceMode
    reasons: list[str]
    rule_set_version: int | None | Unset = UNSET
    objective: None | Objective | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        mode = self.mode.value

        reasons = self.reasons

        rule_set_version: int | None | Unset
        if isinstance(self.rule_set_version, Unset):
            rule_set_version = UNSET
        else:
            rule_set_version = self.rule_set_version

        objective: None | str | Unset
        if isinstance(self.objective, Unset):
            objective = UNSET
        elif isinstance(self.objective, Objective):
            objective = self.objective.value
        else:
            objective = self.objective

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "mode": mode,
                "reasons": reasons,
            }
        )
        if rule_set_version is not UNSET:
            field_dict["rule_set_version"] = rule_set_version
        if objective is not UNSET:
            field_dict["objective"] = objective

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        mode = ChoiceMode(d.pop("mode"))

        reasons = cast(list[str], d.pop("reasons"))

        def _parse_rule_set_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rule_set_version = _parse_rule_set_version(d.pop("rule_set_version", UNSET))

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

        dry_run_selection = cls(
            mode=mode,
            reasons=reasons,
            rule_set_version=rule_set_version,
            objective=objective,
        )

        dry_run_selection.additional_properties = d
        return dry_run_selection

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
