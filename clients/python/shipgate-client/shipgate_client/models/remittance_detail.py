from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cod_outcome_counts import CodOutcomeCounts
    from ..models.line_view import LineView


T = TypeVar("T", bound="RemittanceDetail")


@_attrs_define
class RemittanceDetail:
    """A remittance with a page of its lines.

    Attributes:
        id (str): `codr_…`.
        layout (str): `delhivery`, `shiprocket` or `generic`.
        source (str): `upload`, or `sftp:<source id>` for a file pulled from a carrier's SFTP folder.
        content_sha256 (str): SHA-256 of the file's bytes (hex): the same content is reconciled once.
        lines (int): Lines in the file.
        counts (CodOutcomeCounts): Lines by outcome.
        created_at (datetime.datetime):
        data (list[LineView]): In file order (only those with `outcome` when filtered).
        next_cursor (None | str): Pass as `cursor` for the next page of lines; `null` on the last.
        carrier (None | str | Unset): The layout's carrier; null for the generic layout.
        file_name (None | str | Unset):
    """

    id: str
    layout: str
    source: str
    content_sha256: str
    lines: int
    counts: CodOutcomeCounts
    created_at: datetime.datetime
    data: list[LineView]
    next_cursor: None | str
    carrier: None | str | Unset = UNSET
    file_name: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        layout = self.layout

        source = self.source

        content_sha256 = self.content_sha256

        lines = self.lines

        counts = self.counts.to_dict()

        created_at = self.created_at.isoformat()

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        next_cursor: None | str
        next_cursor = self.next_cursor

        carrier: None | str | Unset
        if isinstance(self.carrier, Unset):
            carrier = UNSET
        else:
            carrier = self.carrier

        file_name: None | str | Unset
        if isinstance(self.file_name, Unset):
            file_name = UNSET
        else:
            file_name = self.file_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "layout": layout,
                "source": source,
                "content_sha256": content_sha256,
                "lines": lines,
                "counts": counts,
                "created_at": created_at,
                "data": data,
                "next_cursor": next_cursor,
            }
        )
        if carrier is not UNSET:
            field_dict["carrier"] = carrier
        if file_name is not UNSET:
            field_dict["file_name"] = file_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cod_outcome_counts import CodOutcomeCounts  # noqa: PLC0415
        from ..models.line_view import LineView  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        layout = d.pop("layout")

        source = d.pop("source")

        content_sha256 = d.pop("content_sha256")

        lines = d.pop("lines")

        counts = CodOutcomeCounts.from_dict(d.pop("counts"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = LineView.from_dict(data_item_data)

            data.append(data_item)

        def _parse_next_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))

        def _parse_carrier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        carrier = _parse_carrier(d.pop("carrier", UNSET))

        def _parse_file_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        file_name = _parse_file_name(d.pop("file_name", UNSET))

        remittance_detail = cls(
            id=id,
            layout=layout,
            source=source,
            content_sha256=content_sha256,
            lines=lines,
            counts=counts,
            created_at=created_at,
            data=data,
            next_cursor=next_cursor,
            carrier=carrier,
            file_name=file_name,
        )

        remittance_detail.additional_properties = d
        return remittance_detail

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
