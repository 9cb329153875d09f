from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.action_type_0 import ActionType0
    from ..models.action_type_1 import ActionType1
    from ..models.action_type_2 import ActionType2
    from ..models.action_type_3 import ActionType3
    from ..models.action_type_4 import ActionType4
    from ..models.conditions import Conditions


T = TypeVar("T", bound="Rule")


@_attrs_define
class Rule:
    """
    Attributes:
        when (Conditions): Each field is a condition; `None` is "any".
        then (ActionType0 | ActionType1 | ActionType2 | ActionType3 | ActionType4):
        name (None | str | Unset):
    """

    when: Conditions
    then: ActionType0 | ActionType1 | ActionType2 | ActionType3 | ActionType4
    name: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.action_type_0 import ActionType0  # noqa: PLC0415
        from ..models.action_type_1 import ActionType1  # noqa: PLC0415
        from ..models.action_type_2 import ActionType2  # noqa: PLC0415
        from ..models.action_type_3 import ActionType3  # noqa: PLC0415

        when = self.when.to_dict()

        then: dict[str, Any]
        if isinstance(self.then, ActionType0):
            then = self.then.to_dict()
        elif isinstance(self.then, ActionType1):
            then = self.then.to_dict()
        elif isinstance(self.then, ActionType2):
            then = self.then.to_dict()
        elif isinstance(self.then, ActionType3):
            then = self.then.to_dict()
        else:
            then = self.then.to_dict()

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "when": when,
                "then": then,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.action_type_0 import ActionType0  # noqa: PLC0415
        from ..models.action_type_1 import ActionType1  # noqa: PLC0415
        from ..models.action_type_2 import ActionType2  # noqa: PLC0415
        from ..models.action_type_3 import ActionType3  # noqa: PLC0415
        from ..models.action_type_4 import ActionType4  # noqa: PLC0415
        from ..models.conditions import Conditions  # noqa: PLC0415

        d = dict(src_dict)
        when = Conditions.from_dict(d.pop("when"))

        def _parse_then(data: object) -> ActionType0 | ActionType1 | ActionType2 | ActionType3 | ActionType4:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_action_type_0 = ActionType0.from_dict(data)

                return componentsschemas_action_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_action_type_1 = ActionType1.from_dict(data)

                return componentsschemas_action_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_action_type_2 = ActionType2.from_dict(data)

                return componentsschemas_action_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_action_type_3 = ActionType3.from_dict(data)

                return componentsschemas_action_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_action_type_4 = ActionType4.from_dict(data)

            return componentsschemas_action_type_4

        then = _parse_then(d.pop("then"))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        rule = cls(
            when=when,
            then=then,
            name=name,
        )

        rule.additional_properties = d
        return rule

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
