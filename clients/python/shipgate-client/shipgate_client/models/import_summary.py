from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.row_outcome import RowOutcome


T = TypeVar("T", bound="ImportSummary")


@_attrs_define
class ImportSummary:
    """What an import did, line by line; answered again for a re-import of the same file.

    Attributes:
        id (str): `cci_…`.
        layout (str):
        lines (int): Rows read.
        flagged (int): Charged weights over the tolerance, flagged now.
        within_tolerance (int):
        kept_decided (int): Shipments whose discrepancy is disputed or decided: their earlier charge stands.
        unknown_awbs (int): AWBs no shipment of this tenant with that carrier has.
        invoice_lines (int): Freight invoice lines stored (0 for a weights-only file).
        duplicate_invoice_lines (int): Invoice lines the tenant had already (same carrier, AWB and date): not stored
            again.
        overcharged_lines (int): Stored invoice lines billed over what shipgate expected.
        rows (list[RowOutcome]):
    """

    id: str
    layout: str
    lines: int
    flagged: int
    within_tolerance: int
    kept_decided: int
    unknown_awbs: int
    invoice_lines: int
    duplicate_invoice_lines: int
    overcharged_lines: int
    rows: list[RowOutcome]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        layout = self.layout

        lines = self.lines

        flagged = self.flagged

        within_tolerance = self.within_tolerance

        kept_decided = self.kept_decided

        unknown_awbs = self.unknown_awbs

        invoice_lines = self.invoice_lines

        duplicate_invoice_lines = self.duplicate_invoice_lines

        overcharged_lines = self.overcharged_lines

        rows = []
        for rows_item_data in self.rows:
            rows_item = rows_item_data.to_dict()
            rows.append(rows_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "layout": layout,
                "lines": lines,
                "flagged": flagged,
                "within_tolerance": within_tolerance,
                "kept_decided": kept_decided,
                "unknown_awbs": unknown_awbs,
                "invoice_lines": invoice_lines,
                "duplicate_invoice_lines": duplicate_invoice_lines,
                "overcharged_lines": overcharged_lines,
                "rows": rows,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.row_outcome import RowOutcome  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        layout = d.pop("layout")

        lines = d.pop("lines")

        flagged = d.pop("flagged")

        within_tolerance = d.pop("within_tolerance")

        kept_decided = d.pop("kept_decided")

        unknown_awbs = d.pop("unknown_awbs")

        invoice_lines = d.pop("invoice_lines")

        duplicate_invoice_lines = d.pop("duplicate_invoice_lines")

        overcharged_lines = d.pop("overcharged_lines")

        rows = []
        _rows = d.pop("rows")
        for rows_item_data in _rows:
            rows_item = RowOutcome.from_dict(rows_item_data)

            rows.append(rows_item)

        import_summary = cls(
            id=id,
            layout=layout,
            lines=lines,
            flagged=flagged,
            within_tolerance=within_tolerance,
            kept_decided=kept_decided,
            unknown_awbs=unknown_awbs,
            invoice_lines=invoice_lines,
            duplicate_invoice_lines=duplicate_invoice_lines,
            overcharged_lines=overcharged_lines,
            rows=rows,
        )

        import_summary.additional_properties = d
        return import_summary

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
