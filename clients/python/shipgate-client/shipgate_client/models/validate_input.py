from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.address_input import AddressInput


T = TypeVar("T", bound="ValidateInput")


@_attrs_define
class ValidateInput:
    """
    Attributes:
        carrier_account (str): The carrier account to ask (a carrier id for the platform's account, or your own
            account's id); its carrier must offer address validation.
        address (AddressInput): An address as the OMS sends it. Text is trimmed before it is checked, so the lengths
            count the text without surrounding whitespace.
    """

    carrier_account: str
    address: AddressInput

    def to_dict(self) -> dict[str, Any]:
        carrier_account = self.carrier_account

        address = self.address.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "carrier_account": carrier_account,
                "address": address,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.address_input import AddressInput  # noqa: PLC0415

        d = dict(src_dict)
        carrier_account = d.pop("carrier_account")

        address = AddressInput.from_dict(d.pop("address"))

        validate_input = cls(
            carrier_account=carrier_account,
            address=address,
        )

        return validate_input
