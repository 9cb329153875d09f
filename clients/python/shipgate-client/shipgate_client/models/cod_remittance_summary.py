from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cod_outcome_counts import CodOutcomeCounts


T = TypeVar("T", bound="CodRemittanceSummary")


@_attrs_define
class CodRemittanceSummary:
    """A reconciled COD remittance file as the API and the webhook messages show it.

    Attributes:
        id (str): `codr_…`.
        layout (str): `delhivery`, `shiprocket` or `generic`.
        source (str): `upload`, or `sftp:<source id>` for a file pulled from a carrier's SFTP folder.
        content_sha256 (str): SHA-256 of the file's bytes (hex): the same content is reconciled once.
        lines (int): Lines in the file.
        counts (CodOutcomeCounts): Lines by outcome.
        created_at (datetime.datetime):
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

        d = dict(src_dict)
        id = d.pop("id")

        layout = d.pop("layout")

        source = d.pop("source")

        content_sha256 = d.pop("content_sha256")

        lines = d.pop("lines")

        counts = CodOutcomeCounts.from_dict(d.pop("counts"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

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

        cod_remittance_summary = cls(
            id=id,
            layout=layout,
            source=source,
            content_sha256=content_sha256,
            lines=lines,
            counts=counts,
            created_at=created_at,
            carrier=carrier,
            file_name=file_name,
        )

        cod_remittance_summary.additional_properties = d
        return cod_remittance_summary

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
