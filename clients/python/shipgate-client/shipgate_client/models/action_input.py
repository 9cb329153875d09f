from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.action_kind import ActionKind
from ..models.lane_metric import LaneMetric
from ..types import UNSET, Unset

T = TypeVar("T", bound="ActionInput")


@_attrs_define
class ActionInput:
    """
    Attributes:
        action (ActionKind): What a rule does (`action` of a rule's `then`).
        carriers (list[str] | None | Unset): The carriers an `allow_only`, `exclude` or `prefer` is about (required for
            them,
            not allowed with `force`): carrier or carrier account ids of this gateway.
        carrier (None | str | Unset): The carrier a `force` books with (required for it, not allowed with the others).
        service (None | str | Unset): For `force`: only this service of the carrier; at most 60 characters, surrounding
            whitespace not counted.
        weight (int | None | Unset): For `prefer` (required for it, not allowed with the others): 1 to 90, the
            percentage the preferred carriers' ranking metric is lowered by (weights of several
            matching rules add up, to at most 90).
        metric (LaneMetric | None | Unset):
        window_days (int | None | Unset): For `prefer_best`: the days of history compared, up to today, 1 to 366 (30
            when
            absent).
        min_shipments (int | None | Unset): For `prefer_best`: the least sample an account needs to compete (shipments
            for
            `delivered_pct` and `rto_pct`, deliveries for `first_attempt_pct` and
            `transit_days_median`), 1 to 1000000 (20 when absent).
    """

    action: ActionKind
    carriers: list[str] | None | Unset = UNSET
    carrier: None | str | Unset = UNSET
    service: None | str | Unset = UNSET
    weight: int | None | Unset = UNSET
    metric: LaneMetric | None | Unset = UNSET
    window_days: int | None | Unset = UNSET
    min_shipments: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        action = self.action.value

        carriers: list[str] | None | Unset
        if isinstance(self.carriers, Unset):
            carriers = UNSET
        elif isinstance(self.carriers, list):
            carriers = self.carriers

        else:
            carriers = self.carriers

        carrier: None | str | Unset
        if isinstance(self.carrier, Unset):
            carrier = UNSET
        else:
            carrier = self.carrier

        service: None | str | Unset
        if isinstance(self.service, Unset):
            service = UNSET
        else:
            service = self.service

        weight: int | None | Unset
        if isinstance(self.weight, Unset):
            weight = UNSET
        else:
            weight = self.weight

        metric: None | str | Unset
        if isinstance(self.metric, Unset):
            metric = UNSET
        elif isinstance(self.metric, LaneMetric):
            metric = self.metric.value
        else:
            metric = self.metric

        window_days: int | None | Unset
        if isinstance(self.window_days, Unset):
            window_days = UNSET
        else:
            window_days = self.window_days

        min_shipments: int | None | Unset
        if isinstance(self.min_shipments, Unset):
            min_shipments = UNSET
        else:
            min_shipments = self.min_shipments

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "action": action,
            }
        )
        if carriers is not UNSET:
            field_dict["carriers"] = carriers
        if carrier is not UNSET:
            field_dict["carrier"] = carrier
        if service is not UNSET:
            field_dict["service"] = service
        if weight is not UNSET:
            field_dict["weight"] = weight
        if metric is not UNSET:
            field_dict["metric"] = metric
        if window_days is not UNSET:
            field_dict["window_days"] = window_days
        if min_shipments is not UNSET:
            field_dict["min_shipments"] = min_shipments

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        action = ActionKind(d.pop("action"))

        def _parse_carriers(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                carriers_type_0 = cast(list[str], data)

                return carriers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        carriers = _parse_carriers(d.pop("carriers", UNSET))

        def _parse_carrier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        carrier = _parse_carrier(d.pop("carrier", UNSET))

        def _parse_service(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        service = _parse_service(d.pop("service", UNSET))

        def _parse_weight(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        weight = _parse_weight(d.pop("weight", UNSET))

        def _parse_metric(data: object) -> LaneMetric | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                metric_type_0 = LaneMetric(data)

                return metric_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LaneMetric | None | Unset, data)

        metric = _parse_metric(d.pop("metric", UNSET))

        def _parse_window_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        window_days = _parse_window_days(d.pop("window_days", UNSET))

        def _parse_min_shipments(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        min_shipments = _parse_min_shipments(d.pop("min_shipments", UNSET))

        action_input = cls(
            action=action,
            carriers=carriers,
            carrier=carrier,
            service=service,
            weight=weight,
            metric=metric,
            window_days=window_days,
            min_shipments=min_shipments,
        )

        return action_input
