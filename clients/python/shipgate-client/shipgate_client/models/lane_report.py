from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.lane import Lane
    from ..models.lane_scorecard import LaneScorecard
    from ..models.money import Money
    from ..models.outcome_counts import OutcomeCounts


T = TypeVar("T", bound="LaneReport")


@_attrs_define
class LaneReport:
    """
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
        lane (Lane): A lane as the API shows it.
        shipgate_scorecard (LaneScorecard | None | Unset):
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
    lane: Lane
    shipgate_scorecard: LaneScorecard | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.lane_scorecard import LaneScorecard  # noqa: PLC0415

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

        lane = self.lane.to_dict()

        shipgate_scorecard: dict[str, Any] | None | Unset
        if isinstance(self.shipgate_scorecard, Unset):
            shipgate_scorecard = UNSET
        elif isinstance(self.shipgate_scorecard, LaneScorecard):
            shipgate_scorecard = self.shipgate_scorecard.to_dict()
        else:
            shipgate_scorecard = self.shipgate_scorecard

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
                "lane": lane,
            }
        )
        if shipgate_scorecard is not UNSET:
            field_dict["shipgate_scorecard"] = shipgate_scorecard

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.lane import Lane  # noqa: PLC0415
        from ..models.lane_scorecard import LaneScorecard  # noqa: PLC0415
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

        lane = Lane.from_dict(d.pop("lane"))

        def _parse_shipgate_scorecard(data: object) -> LaneScorecard | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                shipgate_scorecard_type_0 = LaneScorecard.from_dict(data)

                return shipgate_scorecard_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LaneScorecard | None | Unset, data)

        shipgate_scorecard = _parse_shipgate_scorecard(d.pop("shipgate_scorecard", UNSET))

        lane_report = cls(
            orders=orders,
            from_dry_runs=from_dry_runs,
            quoted_now=quoted_now,
            unmatched=unmatched,
            different=different,
            actual_cost=actual_cost,
            shipgate_cost=shipgate_cost,
            savings=savings,
            oms_outcomes=oms_outcomes,
            lane=lane,
            shipgate_scorecard=shipgate_scorecard,
        )

        lane_report.additional_properties = d
        return lane_report

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
