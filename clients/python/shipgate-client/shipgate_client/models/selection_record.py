from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.objective import Objective
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.attempt_record import AttemptRecord


T = TypeVar("T", bound="SelectionRecord")


@_attrs_define
class SelectionRecord:
    """How an `auto` booking chose its carrier, kept with the shipment.

    Attributes:
        objective (Objective): How candidate quotes are ranked.
        reasons (list[str]): The evaluation's reasons, as a rate recommendation gives them.
        attempts (list[AttemptRecord]): Every carrier tried, in order.
        rule_set_version (int | None | Unset):
    """

    objective: Objective
    reasons: list[str]
    attempts: list[AttemptRecord]
    rule_set_version: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        objective = self.objective.value

        reasons = self.reasons

        attempts = []
        for attempts_item_data in self.attempts:
            attempts_item = attempts_item_data.to_dict()
            attempts.append(attempts_item)

        rule_set_version: int | None | Unset
        if isinstance(self.rule_set_version, Unset):
            rule_set_version = UNSET
        else:
            rule_set_version = self.rule_set_version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "objective": objective,
                "reasons": reasons,
                "attempts": attempts,
            }
        )
        if rule_set_version is not UNSET:
            field_dict["rule_set_version"] = rule_set_version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attempt_record import AttemptRecord  # noqa: PLC0415

        d = dict(src_dict)
        objective = Objective(d.pop("objective"))

        reasons = cast(list[str], d.pop("reasons"))

        attempts = []
        _attempts = d.pop("attempts")
        for attempts_item_data in _attempts:
            attempts_item = AttemptRecord.from_dict(attempts_item_data)

            attempts.append(attempts_item)

        def _parse_rule_set_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rule_set_version = _parse_rule_set_version(d.pop("rule_set_version", UNSET))

        selection_record = cls(
            objective=objective,
            reasons=reasons,
            attempts=attempts,
            rule_set_version=rule_set_version,
        )

        selection_record.additional_properties = d
        return selection_record

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
