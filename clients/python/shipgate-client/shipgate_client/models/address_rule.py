from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.address_action import AddressAction

if TYPE_CHECKING:
    from ..models.address_when import AddressWhen


T = TypeVar("T", bound="AddressRule")


@_attrs_define
class AddressRule:
    """
    Attributes:
        name (str):
        when (AddressWhen):
        then (AddressAction): What a rule does to a booking.
    """

    name: str
    when: AddressWhen
    then: AddressAction
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        when = self.when.to_dict()

        then = self.then.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "when": when,
                "then": then,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.address_when import AddressWhen  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        when = AddressWhen.from_dict(d.pop("when"))

        then = AddressAction(d.pop("then"))

        address_rule = cls(
            name=name,
            when=when,
            then=then,
        )

        address_rule.additional_properties = d
        return address_rule

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
