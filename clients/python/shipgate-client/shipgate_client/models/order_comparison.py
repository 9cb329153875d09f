from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.matched import Matched
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.actual_choice import ActualChoice
    from ..models.lane import Lane
    from ..models.money import Money
    from ..models.shipgate_choice import ShipgateChoice


T = TypeVar("T", bound="OrderComparison")


@_attrs_define
class OrderComparison:
    """One order compared.

    Attributes:
        order_ref (str):
        row (str): The row: `/bookings/<i>` or `/csv/<line>`.
        matched (Matched): How an actual booking was matched.
        actual (ActualChoice):
        different (bool): shipgate would have booked another carrier, or another service of it.
        reason (None | str | Unset): Why it is `unmatched`.
        dry_run_id (None | str | Unset):
        lane (Lane | None | Unset):
        shipgate (None | ShipgateChoice | Unset):
        saving (Money | None | Unset):
    """

    order_ref: str
    row: str
    matched: Matched
    actual: ActualChoice
    different: bool
    reason: None | str | Unset = UNSET
    dry_run_id: None | str | Unset = UNSET
    lane: Lane | None | Unset = UNSET
    shipgate: None | ShipgateChoice | Unset = UNSET
    saving: Money | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.lane import Lane  # noqa: PLC0415
        from ..models.money import Money  # noqa: PLC0415
        from ..models.shipgate_choice import ShipgateChoice  # noqa: PLC0415

        order_ref = self.order_ref

        row = self.row

        matched = self.matched.value

        actual = self.actual.to_dict()

        different = self.different

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        dry_run_id: None | str | Unset
        if isinstance(self.dry_run_id, Unset):
            dry_run_id = UNSET
        else:
            dry_run_id = self.dry_run_id

        lane: dict[str, Any] | None | Unset
        if isinstance(self.lane, Unset):
            lane = UNSET
        elif isinstance(self.lane, Lane):
            lane = self.lane.to_dict()
        else:
            lane = self.lane

        shipgate: dict[str, Any] | None | Unset
        if isinstance(self.shipgate, Unset):
            shipgate = UNSET
        elif isinstance(self.shipgate, ShipgateChoice):
            shipgate = self.shipgate.to_dict()
        else:
            shipgate = self.shipgate

        saving: dict[str, Any] | None | Unset
        if isinstance(self.saving, Unset):
            saving = UNSET
        elif isinstance(self.saving, Money):
            saving = self.saving.to_dict()
        else:
            saving = self.saving

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "order_ref": order_ref,
                "row": row,
                "matched": matched,
                "actual": actual,
                "different": different,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason
        if dry_run_id is not UNSET:
            field_dict["dry_run_id"] = dry_run_id
        if lane is not UNSET:
            field_dict["lane"] = lane
        if shipgate is not UNSET:
            field_dict["shipgate"] = shipgate
        if saving is not UNSET:
            field_dict["saving"] = saving

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.actual_choice import ActualChoice  # noqa: PLC0415
        from ..models.lane import Lane  # noqa: PLC0415
        from ..models.money import Money  # noqa: PLC0415
        from ..models.shipgate_choice import ShipgateChoice  # noqa: PLC0415

        d = dict(src_dict)
        order_ref = d.pop("order_ref")

        row = d.pop("row")

        matched = Matched(d.pop("matched"))

        actual = ActualChoice.from_dict(d.pop("actual"))

        different = d.pop("different")

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        def _parse_dry_run_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        dry_run_id = _parse_dry_run_id(d.pop("dry_run_id", UNSET))

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

        def _parse_shipgate(data: object) -> None | ShipgateChoice | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                shipgate_type_0 = ShipgateChoice.from_dict(data)

                return shipgate_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ShipgateChoice | Unset, data)

        shipgate = _parse_shipgate(d.pop("shipgate", UNSET))

        def _parse_saving(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                saving_type_0 = Money.from_dict(data)

                return saving_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        saving = _parse_saving(d.pop("saving", UNSET))

        order_comparison = cls(
            order_ref=order_ref,
            row=row,
            matched=matched,
            actual=actual,
            different=different,
            reason=reason,
            dry_run_id=dry_run_id,
            lane=lane,
            shipgate=shipgate,
            saving=saving,
        )

        order_comparison.additional_properties = d
        return order_comparison

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
