from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.rate_card import RateCard
    from ..models.rate_card_version import RateCardVersion


T = TypeVar("T", bound="RateCardDetail")


@_attrs_define
class RateCardDetail:
    """A card with its account's version history, newest first.

    Attributes:
        carrier_account (str): The tenant's name for the carrier account the card prices (quotes carry it as
            `service`). Example: delhivery-surface.
        version (int):
        active (bool): Whether quotes use this version (the newest is the active one).
        source_format (str): How it was uploaded: `json` or `csv`.
        created_at (datetime.datetime):
        card (RateCard): A validated rate card. Serialises to the JSON form it was (or could have been)
            uploaded as.
        versions (list[RateCardVersion]):
    """

    carrier_account: str
    version: int
    active: bool
    source_format: str
    created_at: datetime.datetime
    card: RateCard
    versions: list[RateCardVersion]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        carrier_account = self.carrier_account

        version = self.version

        active = self.active

        source_format = self.source_format

        created_at = self.created_at.isoformat()

        card = self.card.to_dict()

        versions = []
        for versions_item_data in self.versions:
            versions_item = versions_item_data.to_dict()
            versions.append(versions_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "carrier_account": carrier_account,
                "version": version,
                "active": active,
                "source_format": source_format,
                "created_at": created_at,
                "card": card,
                "versions": versions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rate_card import RateCard  # noqa: PLC0415
        from ..models.rate_card_version import RateCardVersion  # noqa: PLC0415

        d = dict(src_dict)
        carrier_account = d.pop("carrier_account")

        version = d.pop("version")

        active = d.pop("active")

        source_format = d.pop("source_format")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        card = RateCard.from_dict(d.pop("card"))

        versions = []
        _versions = d.pop("versions")
        for versions_item_data in _versions:
            versions_item = RateCardVersion.from_dict(versions_item_data)

            versions.append(versions_item)

        rate_card_detail = cls(
            carrier_account=carrier_account,
            version=version,
            active=active,
            source_format=source_format,
            created_at=created_at,
            card=card,
            versions=versions,
        )

        rate_card_detail.additional_properties = d
        return rate_card_detail

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
