from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.return_reason import ReturnReason
from ..models.status import Status
from ..models.sub_status import SubStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReturnLink")


@_attrs_define
class ReturnLink:
    """One return of a forward shipment.

    Attributes:
        id (str):
        status (Status): Top level of the unified taxonomy.
        sub_status (SubStatus): Second level of the unified taxonomy; each value belongs to exactly one [`Status`].
        created_at (datetime.datetime):
        awb (None | str | Unset):
        reason (None | ReturnReason | Unset):
    """

    id: str
    status: Status
    sub_status: SubStatus
    created_at: datetime.datetime
    awb: None | str | Unset = UNSET
    reason: None | ReturnReason | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        status = self.status.value

        sub_status = self.sub_status.value

        created_at = self.created_at.isoformat()

        awb: None | str | Unset
        if isinstance(self.awb, Unset):
            awb = UNSET
        else:
            awb = self.awb

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        elif isinstance(self.reason, ReturnReason):
            reason = self.reason.value
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
                "sub_status": sub_status,
                "created_at": created_at,
            }
        )
        if awb is not UNSET:
            field_dict["awb"] = awb
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        status = Status(d.pop("status"))

        sub_status = SubStatus(d.pop("sub_status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_awb(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        awb = _parse_awb(d.pop("awb", UNSET))

        def _parse_reason(data: object) -> None | ReturnReason | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reason_type_0 = ReturnReason(data)

                return reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReturnReason | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        return_link = cls(
            id=id,
            status=status,
            sub_status=sub_status,
            created_at=created_at,
            awb=awb,
            reason=reason,
        )

        return_link.additional_properties = d
        return return_link

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
