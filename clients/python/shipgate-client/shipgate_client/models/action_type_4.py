from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.action_type_4_action import ActionType4Action
from ..models.lane_metric import LaneMetric

T = TypeVar("T", bound="ActionType4")


@_attrs_define
class ActionType4:
    """
    Attributes:
        metric (LaneMetric): A lane metric selection rules can prefer by.
        window_days (int):
        min_shipments (int):
        weight (int):
        action (ActionType4Action):
    """

    metric: LaneMetric
    window_days: int
    min_shipments: int
    weight: int
    action: ActionType4Action
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        metric = self.metric.value

        window_days = self.window_days

        min_shipments = self.min_shipments

        weight = self.weight

        action = self.action.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "metric": metric,
                "window_days": window_days,
                "min_shipments": min_shipments,
                "weight": weight,
                "action": action,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        metric = LaneMetric(d.pop("metric"))

        window_days = d.pop("window_days")

        min_shipments = d.pop("min_shipments")

        weight = d.pop("weight")

        action = ActionType4Action(d.pop("action"))

        action_type_4 = cls(
            metric=metric,
            window_days=window_days,
            min_shipments=min_shipments,
            weight=weight,
            action=action,
        )

        action_type_4.additional_properties = d
        return action_type_4

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
