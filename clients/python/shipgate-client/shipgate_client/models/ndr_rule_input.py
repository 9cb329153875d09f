from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.when_input import WhenInput


T = TypeVar("T", bound="NdrRuleInput")


@_attrs_define
class NdrRuleInput:
    """
    Attributes:
        name (str): Unique in the policy, 1 to 100 characters: decisions name it.
        then (str): `reattempt`, `rto`, or `wait` (record the decision, send nothing: the OMS or an
            operator decides).
        when (None | Unset | WhenInput):
    """

    name: str
    then: str
    when: None | Unset | WhenInput = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.when_input import WhenInput  # noqa: PLC0415

        name = self.name

        then = self.then

        when: dict[str, Any] | None | Unset
        if isinstance(self.when, Unset):
            when = UNSET
        elif isinstance(self.when, WhenInput):
            when = self.when.to_dict()
        else:
            when = self.when

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "then": then,
            }
        )
        if when is not UNSET:
            field_dict["when"] = when

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.when_input import WhenInput  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        then = d.pop("then")

        def _parse_when(data: object) -> None | Unset | WhenInput:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                when_type_0 = WhenInput.from_dict(data)

                return when_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WhenInput, data)

        when = _parse_when(d.pop("when", UNSET))

        ndr_rule_input = cls(
            name=name,
            then=then,
            when=when,
        )

        return ndr_rule_input
