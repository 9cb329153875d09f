from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.return_reason import ReturnReason
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.qc_check import QcCheck


T = TypeVar("T", bound="ReturnView")


@_attrs_define
class ReturnView:
    """A return's reason and check.

    Attributes:
        reason (ReturnReason): Why the buyer sends the parcel back: shipgate's own small taxonomy, mapped to each
            carrier's words by its adapter.
        comment (None | str | Unset):
        qc (None | QcCheck | Unset):
    """

    reason: ReturnReason
    comment: None | str | Unset = UNSET
    qc: None | QcCheck | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.qc_check import QcCheck  # noqa: PLC0415

        reason = self.reason.value

        comment: None | str | Unset
        if isinstance(self.comment, Unset):
            comment = UNSET
        else:
            comment = self.comment

        qc: dict[str, Any] | None | Unset
        if isinstance(self.qc, Unset):
            qc = UNSET
        elif isinstance(self.qc, QcCheck):
            qc = self.qc.to_dict()
        else:
            qc = self.qc

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "reason": reason,
            }
        )
        if comment is not UNSET:
            field_dict["comment"] = comment
        if qc is not UNSET:
            field_dict["qc"] = qc

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.qc_check import QcCheck  # noqa: PLC0415

        d = dict(src_dict)
        reason = ReturnReason(d.pop("reason"))

        def _parse_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comment = _parse_comment(d.pop("comment", UNSET))

        def _parse_qc(data: object) -> None | QcCheck | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                qc_type_0 = QcCheck.from_dict(data)

                return qc_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | QcCheck | Unset, data)

        qc = _parse_qc(d.pop("qc", UNSET))

        return_view = cls(
            reason=reason,
            comment=comment,
            qc=qc,
        )

        return_view.additional_properties = d
        return return_view

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
