from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.rate_card import RateCard


T = TypeVar("T", bound="ValidatedRateCard")


@_attrs_define
class ValidatedRateCard:
    """A card that would be accepted, as it would be stored.

    Attributes:
        valid (bool): Always `true` (an invalid card is a 422).
        carrier_account (str):
        source_format (str): `json` or `csv`.
        card (RateCard): A validated rate card. Serialises to the JSON form it was (or could have been)
            uploaded as.
    """

    valid: bool
    carrier_account: str
    source_format: str
    card: RateCard
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        valid = self.valid

        carrier_account = self.carrier_account

        source_format = self.source_format

        card = self.card.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "valid": valid,
                "carrier_account": carrier_account,
                "source_format": source_format,
                "card": card,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rate_card import RateCard  # noqa: PLC0415

        d = dict(src_dict)
        valid = d.pop("valid")

        carrier_account = d.pop("carrier_account")

        source_format = d.pop("source_format")

        card = RateCard.from_dict(d.pop("card"))

        validated_rate_card = cls(
            valid=valid,
            carrier_account=carrier_account,
            source_format=source_format,
            card=card,
        )

        validated_rate_card.additional_properties = d
        return validated_rate_card

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
