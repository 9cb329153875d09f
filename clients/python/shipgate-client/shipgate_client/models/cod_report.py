from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.cod_report_row import CodReportRow


T = TypeVar("T", bound="CodReport")


@_attrs_define
class CodReport:
    """
    Attributes:
        from_ (datetime.date): The first day of deliveries counted (India time).
        to (datetime.date): The last day (included).
        as_of (datetime.datetime): When outstanding and overdue were judged.
        data (list[CodReportRow]): Per carrier account and currency.
    """

    from_: datetime.date
    to: datetime.date
    as_of: datetime.datetime
    data: list[CodReportRow]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        as_of = self.as_of.isoformat()

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "to": to,
                "as_of": as_of,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cod_report_row import CodReportRow  # noqa: PLC0415

        d = dict(src_dict)
        from_ = datetime.date.fromisoformat(d.pop("from"))

        to = datetime.date.fromisoformat(d.pop("to"))

        as_of = datetime.datetime.fromisoformat(d.pop("as_of"))

        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = CodReportRow.from_dict(data_item_data)

            data.append(data_item)

        cod_report = cls(
            from_=from_,
            to=to,
            as_of=as_of,
            data=data,
        )

        cod_report.additional_properties = d
        return cod_report

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
