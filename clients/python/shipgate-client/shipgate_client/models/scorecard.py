from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.lane import Lane
    from ..models.money import Money


T = TypeVar("T", bound="Scorecard")


@_attrs_define
class Scorecard:
    """One carrier account's scorecard (on one lane when grouped by lane). Percentages are
    0–100 with one decimal, null when their denominator is 0.

        Attributes:
            carrier (str):
            carrier_account (str):
            shipments (int): Forward shipments booked in the period (cancelled ones left out).
            delivered (int): Of them, delivered (now).
            lane (Lane | None | Unset):
            delivered_pct (float | None | Unset): `delivered` of `shipments`.
            first_attempt_pct (float | None | Unset): Of the delivered, those delivered with no failed attempt.
            ndr_pct (float | None | Unset): Of the shipments, those with at least one failed delivery attempt.
            rto_pct (float | None | Unset): Of the shipments, those returning or returned to origin (now).
            transit_days_median (int | None | Unset): Median calendar days (India time) from the first scan after pickup (or
                the booking)
                to the delivery, by nearest rank; null without deliveries.
            transit_days_p90 (int | None | Unset): The 90th percentile of the same.
            on_time_pct (float | None | Unset): Of the delivered with a promised date (`estimated_delivery`), those
                delivered on
                or before it.
            cost_per_shipment (Money | None | Unset):
            cost_per_delivered (Money | None | Unset):
    """

    carrier: str
    carrier_account: str
    shipments: int
    delivered: int
    lane: Lane | None | Unset = UNSET
    delivered_pct: float | None | Unset = UNSET
    first_attempt_pct: float | None | Unset = UNSET
    ndr_pct: float | None | Unset = UNSET
    rto_pct: float | None | Unset = UNSET
    transit_days_median: int | None | Unset = UNSET
    transit_days_p90: int | None | Unset = UNSET
    on_time_pct: float | None | Unset = UNSET
    cost_per_shipment: Money | None | Unset = UNSET
    cost_per_delivered: Money | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.lane import Lane  # noqa: PLC0415
        from ..models.money import Money  # noqa: PLC0415

        carrier = self.carrier

        carrier_account = self.carrier_account

        shipments = self.shipments

        delivered = self.delivered

        lane: dict[str, Any] | None | Unset
        if isinstance(self.lane, Unset):
            lane = UNSET
        elif isinstance(self.lane, Lane):
            lane = self.lane.to_dict()
        else:
            lane = self.lane

        delivered_pct: float | None | Unset
        if isinstance(self.delivered_pct, Unset):
            delivered_pct = UNSET
        else:
            delivered_pct = self.delivered_pct

        first_attempt_pct: float | None | Unset
        if isinstance(self.first_attempt_pct, Unset):
            first_attempt_pct = UNSET
        else:
            first_attempt_pct = self.first_attempt_pct

        ndr_pct: float | None | Unset
        if isinstance(self.ndr_pct, Unset):
            ndr_pct = UNSET
        else:
            ndr_pct = self.ndr_pct

        rto_pct: float | None | Unset
        if isinstance(self.rto_pct, Unset):
            rto_pct = UNSET
        else:
            rto_pct = self.rto_pct

        transit_days_median: int | None | Unset
        if isinstance(self.transit_days_median, Unset):
            transit_days_median = UNSET
        else:
            transit_days_median = self.transit_days_median

        transit_days_p90: int | None | Unset
        if isinstance(self.transit_days_p90, Unset):
            transit_days_p90 = UNSET
        else:
            transit_days_p90 = self.transit_days_p90

        on_time_pct: float | None | Unset
        if isinstance(self.on_time_pct, Unset):
            on_time_pct = UNSET
        else:
            on_time_pct = self.on_time_pct

        cost_per_shipment: dict[str, Any] | None | Unset
        if isinstance(self.cost_per_shipment, Unset):
            cost_per_shipment = UNSET
        elif isinstance(self.cost_per_shipment, Money):
            cost_per_shipment = self.cost_per_shipment.to_dict()
        else:
            cost_per_shipment = self.cost_per_shipment

        cost_per_delivered: dict[str, Any] | None | Unset
        if isinstance(self.cost_per_delivered, Unset):
            cost_per_delivered = UNSET
        elif isinstance(self.cost_per_delivered, Money):
            cost_per_delivered = self.cost_per_delivered.to_dict()
        else:
            cost_per_delivered = self.cost_per_delivered

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "carrier": carrier,
                "carrier_account": carrier_account,
                "shipments": shipments,
                "delivered": delivered,
            }
        )
        if lane is not UNSET:
            field_dict["lane"] = lane
        if delivered_pct is not UNSET:
            field_dict["delivered_pct"] = delivered_pct
        if first_attempt_pct is not UNSET:
            field_dict["first_attempt_pct"] = first_attempt_pct
        if ndr_pct is not UNSET:
            field_dict["ndr_pct"] = ndr_pct
        if rto_pct is not UNSET:
            field_dict["rto_pct"] = rto_pct
        if transit_days_median is not UNSET:
            field_dict["transit_days_median"] = transit_days_median
        if transit_days_p90 is not UNSET:
            field_dict["transit_days_p90"] = transit_days_p90
        if on_time_pct is not UNSET:
            field_dict["on_time_pct"] = on_time_pct
        if cost_per_shipment is not UNSET:
            field_dict["cost_per_shipment"] = cost_per_shipment
        if cost_per_delivered is not UNSET:
            field_dict["cost_per_delivered"] = cost_per_delivered

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.lane import Lane  # noqa: PLC0415
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        carrier = d.pop("carrier")

        carrier_account = d.pop("carrier_account")

        shipments = d.pop("shipments")

        delivered = d.pop("delivered")

        def _parse_lane(data: object) -> Lane | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                lane_type_0 = Lane.from_dict(data)

                return lane_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Lane | None | Unset, data)

        lane = _parse_lane(d.pop("lane", UNSET))

        def _parse_delivered_pct(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        delivered_pct = _parse_delivered_pct(d.pop("delivered_pct", UNSET))

        def _parse_first_attempt_pct(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        first_attempt_pct = _parse_first_attempt_pct(d.pop("first_attempt_pct", UNSET))

        def _parse_ndr_pct(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        ndr_pct = _parse_ndr_pct(d.pop("ndr_pct", UNSET))

        def _parse_rto_pct(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        rto_pct = _parse_rto_pct(d.pop("rto_pct", UNSET))

        def _parse_transit_days_median(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        transit_days_median = _parse_transit_days_median(d.pop("transit_days_median", UNSET))

        def _parse_transit_days_p90(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        transit_days_p90 = _parse_transit_days_p90(d.pop("transit_days_p90", UNSET))

        def _parse_on_time_pct(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        on_time_pct = _parse_on_time_pct(d.pop("on_time_pct", UNSET))

        def _parse_cost_per_shipment(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                cost_per_shipment_type_0 = Money.from_dict(data)

                return cost_per_shipment_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        cost_per_shipment = _parse_cost_per_shipment(d.pop("cost_per_shipment", UNSET))

        def _parse_cost_per_delivered(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                cost_per_delivered_type_0 = Money.from_dict(data)

                return cost_per_delivered_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        cost_per_delivered = _parse_cost_per_delivered(d.pop("cost_per_delivered", UNSET))

        scorecard = cls(
            carrier=carrier,
            carrier_account=carrier_account,
            shipments=shipments,
            delivered=delivered,
            lane=lane,
            delivered_pct=delivered_pct,
            first_attempt_pct=first_attempt_pct,
            ndr_pct=ndr_pct,
            rto_pct=rto_pct,
            transit_days_median=transit_days_median,
            transit_days_p90=transit_days_p90,
            on_time_pct=on_time_pct,
            cost_per_shipment=cost_per_shipment,
            cost_per_delivered=cost_per_delivered,
        )

        scorecard.additional_properties = d
        return scorecard

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
