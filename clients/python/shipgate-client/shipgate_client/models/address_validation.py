from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.address import Address


T = TypeVar("T", bound="AddressValidation")


@_attrs_define
class AddressValidation:
    """What the carrier made of the address.

    Attributes:
        carrier (str):
        carrier_account (str):
        deliverable (bool): Whether the carrier can deliver there as written.
        classification (str): `residential`, `commercial`, `mixed` or `unknown` (the carrier did not say).
        suggestion (Address | None):
        carrier_message (str): The carrier's own words.
    """

    carrier: str
    carrier_account: str
    deliverable: bool
    classification: str
    suggestion: Address | None
    carrier_message: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.address import Address  # noqa: PLC0415

        carrier = self.carrier

        carrier_account = self.carrier_account

        deliverable = self.deliverable

        classification = self.classification

        suggestion: dict[str, Any] | None
        if isinstance(self.suggestion, Address):
            suggestion = self.suggestion.to_dict()
        else:
            suggestion = self.suggestion

        carrier_message = self.carrier_message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "carrier": carrier,
                "carrier_account": carrier_account,
                "deliverable": deliverable,
                "classification": classification,
                "suggestion": suggestion,
                "carrier_message": carrier_message,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.address import Address  # noqa: PLC0415

        d = dict(src_dict)
        carrier = d.pop("carrier")

        carrier_account = d.pop("carrier_account")

        deliverable = d.pop("deliverable")

        classification = d.pop("classification")

        def _parse_suggestion(data: object) -> Address | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                suggestion_type_0 = Address.from_dict(data)

                return suggestion_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Address | None, data)

        suggestion = _parse_suggestion(d.pop("suggestion"))

        carrier_message = d.pop("carrier_message")

        address_validation = cls(
            carrier=carrier,
            carrier_account=carrier_account,
            deliverable=deliverable,
            classification=classification,
            suggestion=suggestion,
            carrier_message=carrier_message,
        )

        address_validation.additional_properties = d
        return address_validation

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
