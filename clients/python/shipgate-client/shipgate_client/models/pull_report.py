from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PullReport")


@_attrs_define
class PullReport:
    """What one pull of one folder did.

    Attributes:
        source_id (str):
        files (int): Files in the folder.
        reconciled (list[str]): New files reconciled (the remittance ids).
        already_reconciled (int): New files whose content had been reconciled before (by upload or another folder).
        refused (int): New files that are not readable remittance files.
        skipped (int): Files seen in an earlier pull.
        error (None | str | Unset): Why the pull failed, if it did (connection, authentication, host key, listing).
    """

    source_id: str
    files: int
    reconciled: list[str]
    already_reconciled: int
    refused: int
    skipped: int
    error: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        source_id = self.source_id

        files = self.files

        reconciled = self.reconciled

        already_reconciled = self.already_reconciled

        refused = self.refused

        skipped = self.skipped

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "source_id": source_id,
                "files": files,
                "reconciled": reconciled,
                "already_reconciled": already_reconciled,
                "refused": refused,
                "skipped": skipped,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        source_id = d.pop("source_id")

        files = d.pop("files")

        reconciled = cast(list[str], d.pop("reconciled"))

        already_reconciled = d.pop("already_reconciled")

        refused = d.pop("refused")

        skipped = d.pop("skipped")

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        pull_report = cls(
            source_id=source_id,
            files=files,
            reconciled=reconciled,
            already_reconciled=already_reconciled,
            refused=refused,
            skipped=skipped,
            error=error,
        )

        pull_report.additional_properties = d
        return pull_report

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
