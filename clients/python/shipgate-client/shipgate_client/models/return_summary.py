from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.return_summary_qc_type_0 import ReturnSummaryQcType0


T = TypeVar("T", bound="ReturnSummary")


@_attrs_define
class ReturnSummary:
    """A return as the `return.created` message shows it.

    Attributes:
        reason (str):
        forward_shipment_id (None | str | Unset): The forward shipment it returns; null for a return booked without one.
        comment (None | str | Unset):
        qc (None | ReturnSummaryQcType0 | Unset): The doorstep quality check asked for, if any.
    """

    reason: str
    forward_shipment_id: None | str | Unset = UNSET
    comment: None | str | Unset = UNSET
    qc: None | ReturnSummaryQcType0 | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.return_summary_qc_type_0 import ReturnSummaryQcType0  # noqa: PLC0415

        reason = self.reason

        forward_shipment_id: None | str | Unset
        if isinstance(self.forward_shipment_id, Unset):
            forward_shipment_id = UNSET
        else:
            forward_shipment_id = self.forward_shipment_id

        comment: None | str | Unset
        if isinstance(self.comment, Unset):
            comment = UNSET
        else:
            comment = self.comment

        qc: dict[str, Any] | None | Unset
        if isinstance(self.qc, Unset):
            qc = UNSET
        elif isinstance(self.qc, ReturnSummaryQcType0):
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
        if forward_shipment_id is not UNSET:
            field_dict["forward_shipment_id"] = forward_shipment_id
        if comment is not UNSET:
            field_dict["comment"] = comment
        if qc is not UNSET:
            field_dict["qc"] = qc

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.return_summary_qc_type_0 import ReturnSummaryQcType0  # noqa: PLC0415

        d = dict(src_dict)
        reason = d.pop("reason")

        def _parse_forward_shipment_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        forward_shipment_id = _parse_forward_shipment_id(d.pop("forward_shipment_id", UNSET))

        def _parse_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comment = _parse_comment(d.pop("comment", UNSET))

        def _parse_qc(data: object) -> None | ReturnSummaryQcType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                qc_type_0 = ReturnSummaryQcType0.from_dict(data)

                return qc_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReturnSummaryQcType0 | Unset, data)

        qc = _parse_qc(d.pop("qc", UNSET))

        return_summary = cls(
            reason=reason,
            forward_shipment_id=forward_shipment_id,
            comment=comment,
            qc=qc,
        )

        return_summary.additional_properties = d
        return return_summary

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
