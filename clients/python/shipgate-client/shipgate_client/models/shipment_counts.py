from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.shipment_counts_by_status import ShipmentCountsByStatus
    from ..models.shipment_counts_by_sub_status import ShipmentCountsBySubStatus


T = TypeVar("T", bound="ShipmentCounts")


@_attrs_define
class ShipmentCounts:
    """Counts of the tenant's shipments created in a range, by current status.

    Attributes:
        from_ (datetime.datetime | None): Start of the range counted, as understood (UTC); `null` when open.
        to (datetime.datetime | None): End of the range counted (exclusive); `null` when open.
        total (int):
        action_required (int): Shipments whose sub-status needs somebody to act (failed deliveries, failed pickups
            or QC, open exceptions) or that are late.
        late (int): Shipments past their `estimated_delivery` and still on their way (as
            `GET /v1/shipments?late=true` lists them).
        by_status (ShipmentCountsByStatus): Every status, zeros included, so a dashboard has fixed columns.
        by_sub_status (ShipmentCountsBySubStatus): Only the sub-statuses that occur.
    """

    from_: datetime.datetime | None
    to: datetime.datetime | None
    total: int
    action_required: int
    late: int
    by_status: ShipmentCountsByStatus
    by_sub_status: ShipmentCountsBySubStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_: None | str
        if isinstance(self.from_, datetime.datetime):
            from_ = self.from_.isoformat()
        else:
            from_ = self.from_

        to: None | str
        if isinstance(self.to, datetime.datetime):
            to = self.to.isoformat()
        else:
            to = self.to

        total = self.total

        action_required = self.action_required

        late = self.late

        by_status = self.by_status.to_dict()

        by_sub_status = self.by_sub_status.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "to": to,
                "total": total,
                "action_required": action_required,
                "late": late,
                "by_status": by_status,
                "by_sub_status": by_sub_status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.shipment_counts_by_status import ShipmentCountsByStatus  # noqa: PLC0415
        from ..models.shipment_counts_by_sub_status import ShipmentCountsBySubStatus  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_from_(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                from_type_0 = datetime.datetime.fromisoformat(data)

                return from_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        from_ = _parse_from_(d.pop("from"))

        def _parse_to(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                to_type_0 = datetime.datetime.fromisoformat(data)

                return to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        to = _parse_to(d.pop("to"))

        total = d.pop("total")

        action_required = d.pop("action_required")

        late = d.pop("late")

        by_status = ShipmentCountsByStatus.from_dict(d.pop("by_status"))

        by_sub_status = ShipmentCountsBySubStatus.from_dict(d.pop("by_sub_status"))

        shipment_counts = cls(
            from_=from_,
            to=to,
            total=total,
            action_required=action_required,
            late=late,
            by_status=by_status,
            by_sub_status=by_sub_status,
        )

        shipment_counts.additional_properties = d
        return shipment_counts

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
