from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DocumentEntry")


@_attrs_define
class DocumentEntry:
    """One document of a shipment: stored, or one its carrier can produce on request.

    Attributes:
        kind (str): `commercial_invoice`, `customs_declaration`, `proof_of_delivery` or `manifest`.
        stored (bool): Whether shipgate holds it (else the first download asks the carrier).
        content_type (None | str): `application/pdf`, … (null until stored).
        size (int | None): Bytes (null until stored).
        href (str): Where to download it.
    """

    kind: str
    stored: bool
    content_type: None | str
    size: int | None
    href: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        stored = self.stored

        content_type: None | str
        content_type = self.content_type

        size: int | None
        size = self.size

        href = self.href

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "stored": stored,
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

        stored = d.pop("stored")

        def _parse_content_type(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        content_type = _parse_content_type(d.pop("content_type"))

        def _parse_size(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        size = _parse_size(d.pop("size"))

        href = d.pop("href")

        document_entry = cls(
            kind=kind,
            stored=stored,
            content_type=content_type,
            size=size,
            href=href,
        )

        document_entry.additional_properties = d
        return document_entry

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
