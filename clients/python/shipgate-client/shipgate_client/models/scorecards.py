from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.group_by import GroupBy

if TYPE_CHECKING:
    from ..models.scorecard import Scorecard


T = TypeVar("T", bound="Scorecards")


@_attrs_define
class Scorecards:
    """
    Attributes:
        from_ (datetime.date): The first booking day counted (India time).
        to (datetime.date): The last booking day counted (included).
        group_by (GroupBy): What the rows are per.
        data (list[Scorecard]): By carrier account, then lane.
    """

    from_: datetime.date
    to: datetime.date
    group_by: GroupBy
    data: list[Scorecard]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        group_by = self.group_by.value

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
                "group_by": group_by,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.scorecard import Scorecard  # noqa: PLC0415

        d = dict(src_dict)
        from_ = datetime.date.fromisoformat(d.pop("from"))

        to = datetime.date.fromisoformat(d.pop("to"))

        group_by = GroupBy(d.pop("group_by"))

        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = Scorecard.from_dict(data_item_data)

            data.append(data_item)

        scorecards = cls(
            from_=from_,
            to=to,
            group_by=group_by,
            data=data,
        )

        scorecards.additional_properties = d
        return scorecards

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
