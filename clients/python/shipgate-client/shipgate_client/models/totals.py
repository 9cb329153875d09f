from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.money import Money
    from ..models.outcome_counts import OutcomeCounts


T = TypeVar("T", bound="Totals")


@_attrs_define
class Totals:
    """Counts and money of a set of orders.

    Attributes:
        orders (int): Rows that parsed.
        from_dry_runs (int):
        quoted_now (int):
        unmatched (int):
        different (int): Compared orders where shipgate would have chosen another carrier or service.
        actual_cost (list[Money]): Compared orders with both prices in one currency: what the OMS paid for them…
        shipgate_cost (list[Money]): …what shipgate's choices were quoted for them…
        savings (list[Money]): …and the difference (`actual_cost - shipgate_cost`), per currency.
        oms_outcomes (OutcomeCounts): What the OMS's own choices led to, as the rows say.
    """

    orders: int
    from_dry_runs: int
    quoted_now: int
    unmatched: int
    different: int
    actual_cost: list[Money]
    shipgate_cost: list[Money]
    savings: list[Money]
    oms_outcomes: OutcomeCounts
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        orders = self.orders

        from_dry_runs = self.from_dry_runs

        quoted_now = self.quoted_now

        unmatched = self.unmatched

        different = self.different

        actual_cost = []
        for actual_cost_item_data in self.actual_cost:
            actual_cost_item = actual_cost_item_data.to_dict()
            actual_cost.append(actual_cost_item)

        shipgate_cost = []
        for shipgate_cost_item_data in self.shipgate_cost:
            shipgate_cost_item = shipgate_cost_item_data.to_dict()
            shipgate_cost.append(shipgate_cost_item)

        savings = []
        for savings_item_data in self.savings:
            savings_item = savings_item_data.to_dict()
            savings.append(savings_item)

        oms_outcomes = self.oms_outcomes.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "orders": orders,
                "from_dry_runs": from_dry_runs,
                "quoted_now": quoted_now,
                "unmatched": unmatched,
                "different": different,
                "actual_cost": actual_cost,
                "shipgate_cost": shipgate_cost,
                "savings": savings,
                "oms_outcomes": oms_outcomes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415
        from ..models.outcome_counts import OutcomeCounts  # noqa: PLC0415

        d = dict(src_dict)
        orders = d.pop("orders")

        from_dry_runs = d.pop("from_dry_runs")

        quoted_now = d.pop("quoted_now")

        unmatched = d.pop("unmatched")

        different = d.pop("different")

        actual_cost = []
        _actual_cost = d.pop("actual_cost")
        for actual_cost_item_data in _actual_cost:
            actual_cost_item = Money.from_dict(actual_cost_item_data)

            actual_cost.append(actual_cost_item)

        shipgate_cost = []
        _shipgate_cost = d.pop("shipgate_cost")
        for shipgate_cost_item_data in _shipgate_cost:
            shipgate_cost_item = Money.from_dict(shipgate_cost_item_data)

            shipgate_cost.append(shipgate_cost_item)

        savings = []
        _savings = d.pop("savings")
        for savings_item_data in _savings:
            savings_item = Money.from_dict(savings_item_data)

            savings.append(savings_item)

        oms_outcomes = OutcomeCounts.from_dict(d.pop("oms_outcomes"))

        totals = cls(
            orders=orders,
            from_dry_runs=from_dry_runs,
            quoted_now=quoted_now,
            unmatched=unmatched,
            different=different,
            actual_cost=actual_cost,
            shipgate_cost=shipgate_cost,
            savings=savings,
            oms_outcomes=oms_outcomes,
        )

        totals.additional_properties = d
        return totals

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
