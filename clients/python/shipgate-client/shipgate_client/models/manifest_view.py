from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.manifest_line import ManifestLine
    from ..models.money import Money


T = TypeVar("T", bound="ManifestView")


@_attrs_define
class ManifestView:
    """A manifest as the API and its webhooks show it.

    Attributes:
        id (str):
        pickup_location (str):
        carrier (str):
        carrier_account (str):
        date (datetime.date): The day it closes (`YYYY-MM-DD`).
        carrier_state (str): The carrier's own manifest: `none` (the carrier has no manifest call: Delhivery),
            `requested` (its answer was lost), `created` or `failed`.
        shipment_count (int):
        pieces (int):
        cod_total (Money): An amount in integer minor units of its currency, as ISO 4217 counts them (paise for
            INR, cents for USD, yen for JPY, fils for KWD: 2, 2, 0 and 3 decimals). Floats never carry
            money in shipgate: carriers' decimal rupee strings are converted at the adapter edge.
        document (str): shipgate's handover sheet (PDF).
        shipments (list[ManifestLine]):
        created_at (datetime.datetime):
        carrier_manifest_id (None | str | Unset):
        carrier_document_url (None | str | Unset): The carrier's manifest document, where it made one.
        carrier_message (None | str | Unset):
    """

    id: str
    pickup_location: str
    carrier: str
    carrier_account: str
    date: datetime.date
    carrier_state: str
    shipment_count: int
    pieces: int
    cod_total: Money
    document: str
    shipments: list[ManifestLine]
    created_at: datetime.datetime
    carrier_manifest_id: None | str | Unset = UNSET
    carrier_document_url: None | str | Unset = UNSET
    carrier_message: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        pickup_location = self.pickup_location

        carrier = self.carrier

        carrier_account = self.carrier_account

        date = self.date.isoformat()

        carrier_state = self.carrier_state

        shipment_count = self.shipment_count

        pieces = self.pieces

        cod_total = self.cod_total.to_dict()

        document = self.document

        shipments = []
        for shipments_item_data in self.shipments:
            shipments_item = shipments_item_data.to_dict()
            shipments.append(shipments_item)

        created_at = self.created_at.isoformat()

        carrier_manifest_id: None | str | Unset
        if isinstance(self.carrier_manifest_id, Unset):
            carrier_manifest_id = UNSET
        else:
            carrier_manifest_id = self.carrier_manifest_id

        carrier_document_url: None | str | Unset
        if isinstance(self.carrier_document_url, Unset):
            carrier_document_url = UNSET
        else:
            carrier_document_url = self.carrier_document_url

        carrier_message: None | str | Unset
        if isinstance(self.carrier_message, Unset):
            carrier_message = UNSET
        else:
            carrier_message = self.carrier_message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "pickup_location": pickup_location,
                "carrier": carrier,
                "carrier_account": carrier_account,
                "date": date,
                "carrier_state": carrier_state,
                "shipment_count": shipment_count,
                "pieces": pieces,
                "cod_total": cod_total,
                "document": document,
                "shipments": shipments,
                "created_at": created_at,
            }
        )
        if carrier_manifest_id is not UNSET:
            field_dict["carrier_manifest_id"] = carrier_manifest_id
        if carrier_document_url is not UNSET:
            field_dict["carrier_document_url"] = carrier_document_url
        if carrier_message is not UNSET:
            field_dict["carrier_message"] = carrier_message

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.manifest_line import ManifestLine  # noqa: PLC0415
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        pickup_location = d.pop("pickup_location")

        carrier = d.pop("carrier")

        carrier_account = d.pop("carrier_account")

        date = datetime.date.fromisoformat(d.pop("date"))

        carrier_state = d.pop("carrier_state")

        shipment_count = d.pop("shipment_count")

        pieces = d.pop("pieces")

        cod_total = Money.from_dict(d.pop("cod_total"))

        document = d.pop("document")

        shipments = []
        _shipments = d.pop("shipments")
        for shipments_item_data in _shipments:
            shipments_item = ManifestLine.from_dict(shipments_item_data)

            shipments.append(shipments_item)

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_carrier_manifest_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        carrier_manifest_id = _parse_carrier_manifest_id(d.pop("carrier_manifest_id", UNSET))

        def _parse_carrier_document_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        carrier_document_url = _parse_carrier_document_url(d.pop("carrier_document_url", UNSET))

        def _parse_carrier_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        carrier_message = _parse_carrier_message(d.pop("carrier_message", UNSET))

        manifest_view = cls(
            id=id,
            pickup_location=pickup_location,
            carrier=carrier,
            carrier_account=carrier_account,
            date=date,
            carrier_state=carrier_state,
            shipment_count=shipment_count,
            pieces=pieces,
            cod_total=cod_total,
            document=document,
            shipments=shipments,
            created_at=created_at,
            carrier_manifest_id=carrier_manifest_id,
            carrier_document_url=carrier_document_url,
            carrier_message=carrier_message,
        )

        manifest_view.additional_properties = d
        return manifest_view

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
