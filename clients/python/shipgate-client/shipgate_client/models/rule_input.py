from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.action_input import ActionInput
    from ..models.conditions_input import ConditionsInput


T = TypeVar("T", bound="RuleInput")


@_attrs_define
class RuleInput:
    """
    Attributes:
        then (ActionInput):
        name (None | str | Unset): Shown in the reasons of a recommendation; at most 100 characters, surrounding
            whitespace not counted. Example: COD to the north-east.
        when (ConditionsInput | None | Unset):
    """

    then: ActionInput
    name: None | str | Unset = UNSET
    when: ConditionsInput | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.conditions_input import ConditionsInput  # noqa: PLC0415

        then = self.then.to_dict()

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        when: dict[str, Any] | None | Unset
        if isinstance(self.when, Unset):
            when = UNSET
        elif isinstance(self.when, ConditionsInput):
            when = self.when.to_dict()
        else:
            when = self.when

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "then": then,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if when is not UNSET:
            field_dict["when"] = when

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.action_input import ActionInput  # noqa: PLC0415
        from ..models.conditions_input import ConditionsInput  # noqa: PLC0415

        d = dict(src_dict)
        then = ActionInput.from_dict(d.pop("then"))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_when(data: object) -> ConditionsInput | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                when_type_0 = ConditionsInput.from_dict(data)

                return when_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConditionsInput | None | Unset, data)

        when = _parse_when(d.pop("when", UNSET))

        rule_input = cls(
            then=then,
            name=name,
            when=when,
        )

        return rule_input
