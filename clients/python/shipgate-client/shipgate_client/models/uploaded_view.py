from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="UploadedView")


@_attrs_define
class UploadedView:
    """The shipper's trade document as kept after its carrier took it.

    Attributes:
        kind (str): `commercial_invoice` or `customs_declaration`.
        carrier_document_id (str): The id the carrier filed the document under (FedEx's ETD `docId`, UPS's Forms
            History document id).
        content_type (str):
        size (int): Bytes.
        href (str): Where to download it back.
    """

    kind: str
    carrier_document_id: str
    content_type: str
    size: int
    href: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        carrier_document_id = self.carrier_document_id

        content_type = self.content_type

        size = self.size

        href = self.href

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "carrier_document_id": carrier_document_id,
                "content_type": content_type,
                "size": size,
                "href": href,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = d.pop("kind")

        carrier_document_id = d.pop("carrier_document_id")

        content_type = d.pop("content_type")

        size = d.pop("size")

        href = d.pop("href")

        uploaded_view = cls(
            kind=kind,
            carrier_document_id=carrier_document_id,
            content_type=content_type,
            size=size,
            href=href,
        )

        uploaded_view.additional_properties = d
        return uploaded_view

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
