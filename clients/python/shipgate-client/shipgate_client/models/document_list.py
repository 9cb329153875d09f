from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.document_entry import DocumentEntry
    from ..models.uploaded_view import UploadedView


T = TypeVar("T", bound="DocumentList")


@_attrs_define
class DocumentList:
    """
    Attributes:
        data (list[DocumentEntry]): Stored documents first (by kind), then the kinds the carrier produces on request.
        uploaded (list[UploadedView]): The shipper's own documents handed to the carrier (`POST .../documents`).
        next_cursor (None | str | Unset): Always null: a shipment's documents fit on one page.
    """

    data: list[DocumentEntry]
    uploaded: list[UploadedView]
    next_cursor: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        uploaded = []
        for uploaded_item_data in self.uploaded:
            uploaded_item = uploaded_item_data.to_dict()
            uploaded.append(uploaded_item)

        next_cursor: None | str | Unset
        if isinstance(self.next_cursor, Unset):
            next_cursor = UNSET
        else:
            next_cursor = self.next_cursor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "uploaded": uploaded,
            }
        )
        if next_cursor is not UNSET:
            field_dict["next_cursor"] = next_cursor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.document_entry import DocumentEntry  # noqa: PLC0415
        from ..models.uploaded_view import UploadedView  # noqa: PLC0415

        d = dict(src_dict)
        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = DocumentEntry.from_dict(data_item_data)

            data.append(data_item)

        uploaded = []
        _uploaded = d.pop("uploaded")
        for uploaded_item_data in _uploaded:
            uploaded_item = UploadedView.from_dict(uploaded_item_data)

            uploaded.append(uploaded_item)

        def _parse_next_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor", UNSET))

        document_list = cls(
            data=data,
            uploaded=uploaded,
            next_cursor=next_cursor,
        )

        document_list.additional_properties = d
        return document_list

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
