from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.action_type_1_action import ActionType1Action

T = TypeVar("T", bound="ActionType1")


@_attrs_define
class ActionType1:
    """
    Attributes:
        carriers (list[str]):
        action (ActionType1Action):
    """

    carriers: list[str]
    action: ActionType1Action
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        carriers = self.carriers

        action = self.action.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "carriers": carriers,
                "action": action,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        carriers = cast(list[str], d.pop("carriers"))

        action = ActionType1Action(d.pop("action"))

        action_type_1 = cls(
            carriers=carriers,
            action=action,
        )

        action_type_1.additional_properties = d
        return action_type_1

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
