from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.address_when_input import AddressWhenInput


T = TypeVar("T", bound="AddressRuleInput")


@_attrs_define
class AddressRuleInput:
    """
    Attributes:
        name (str): Unique in the policy, 1 to 100 characters: bookings name it.
        then (str): `block` (refuse the booking: 422 with the reasons at their pointers), `refuse_cod`
            (refuse cash on delivery: 422 at `/payment`; applies to COD bookings only),
            `flag` (book it, flagged) or `allow` (book it, not flagged).
        when (AddressWhenInput | None | Unset):
    """

    name: str
    then: str
    when: AddressWhenInput | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.address_when_input import AddressWhenInput  # noqa: PLC0415

        name = self.name

        then = self.then

        when: dict[str, Any] | None | Unset
        if isinstance(self.when, Unset):
            when = UNSET
        elif isinstance(self.when, AddressWhenInput):
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
        from ..models.address_when_input import AddressWhenInput  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        then = d.pop("then")

        def _parse_when(data: object) -> AddressWhenInput | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                when_type_0 = AddressWhenInput.from_dict(data)

                return when_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AddressWhenInput | None | Unset, data)

        when = _parse_when(d.pop("when", UNSET))

        address_rule_input = cls(
            name=name,
            then=then,
            when=when,
        )

        return address_rule_input
