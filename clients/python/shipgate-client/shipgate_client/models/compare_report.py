from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.field_error import FieldError
    from ..models.lane_report import LaneReport
    from ..models.order_comparison import OrderComparison
    from ..models.totals import Totals


T = TypeVar("T", bound="CompareReport")


@_attrs_define
class CompareReport:
    """
    Attributes:
        overall (Totals): Counts and money of a set of orders.
        lanes (list[LaneReport]): By origin region → destination region (`analytics`' lanes: an Indian state, or
            a country), most orders first; rows without a lane count only overall.
        orders (list[OrderComparison]): The orders that differ or are unmatched, in row order, one page of them.
        next_cursor (None | str): Pass as `cursor` (with the same body) for the next page; `null` on the last.
        errors (list[FieldError]): Rows not compared because they do not parse, at their pointers.
    """

    overall: Totals
    lanes: list[LaneReport]
    orders: list[OrderComparison]
    next_cursor: None | str
    errors: list[FieldError]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        overall = self.overall.to_dict()

        lanes = []
        for lanes_item_data in self.lanes:
            lanes_item = lanes_item_data.to_dict()
            lanes.append(lanes_item)

        orders = []
        for orders_item_data in self.orders:
            orders_item = orders_item_data.to_dict()
            orders.append(orders_item)

        next_cursor: None | str
        next_cursor = self.next_cursor

        errors = []
        for errors_item_data in self.errors:
            errors_item = errors_item_data.to_dict()
            errors.append(errors_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "overall": overall,
                "lanes": lanes,
                "orders": orders,
                "next_cursor": next_cursor,
                "errors": errors,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.field_error import FieldError  # noqa: PLC0415
        from ..models.lane_report import LaneReport  # noqa: PLC0415
        from ..models.order_comparison import OrderComparison  # noqa: PLC0415
        from ..models.totals import Totals  # noqa: PLC0415

        d = dict(src_dict)
        overall = Totals.from_dict(d.pop("overall"))

        lanes = []
        _lanes = d.pop("lanes")
        for lanes_item_data in _lanes:
            lanes_item = LaneReport.from_dict(lanes_item_data)

            lanes.append(lanes_item)

        orders = []
        _orders = d.pop("orders")
        for orders_item_data in _orders:
            orders_item = OrderComparison.from_dict(orders_item_data)

            orders.append(orders_item)

        def _parse_next_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))

        errors = []
        _errors = d.pop("errors")
        for errors_item_data in _errors:
            errors_item = FieldError.from_dict(errors_item_data)

            errors.append(errors_item)

        compare_report = cls(
            overall=overall,
            lanes=lanes,
            orders=orders,
            next_cursor=next_cursor,
            errors=errors,
        )

        compare_report.additional_properties = d
        return compare_report

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
