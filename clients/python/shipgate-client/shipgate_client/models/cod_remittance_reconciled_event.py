from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.cod_remittance_reconciled_event_type import CodRemittanceReconciledEventType

if TYPE_CHECKING:
    from ..models.cod_remittance_data import CodRemittanceData


T = TypeVar("T", bound="CodRemittanceReconciledEvent")


@_attrs_define
class CodRemittanceReconciledEvent:
    """The body of a `cod.remittance_reconciled` message.

    Attributes:
        type_ (CodRemittanceReconciledEventType): The event types an endpoint can subscribe to.
        timestamp (datetime.datetime): When the remittance was stored (RFC 3339, UTC, milliseconds).
        data (CodRemittanceData):
    """

    type_: CodRemittanceReconciledEventType
    timestamp: datetime.datetime
    data: CodRemittanceData
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        timestamp = self.timestamp.isoformat()

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "timestamp": timestamp,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cod_remittance_data import CodRemittanceData  # noqa: PLC0415

        d = dict(src_dict)
        type_ = CodRemittanceReconciledEventType(d.pop("type"))

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        data = CodRemittanceData.from_dict(d.pop("data"))

        cod_remittance_reconciled_event = cls(
            type_=type_,
            timestamp=timestamp,
            data=data,
        )

        cod_remittance_reconciled_event.additional_properties = d
        return cod_remittance_reconciled_event

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
