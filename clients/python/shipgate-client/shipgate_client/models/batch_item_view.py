from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.batch_item_view_problem_type_0 import BatchItemViewProblemType0
    from ..models.item_error import ItemError


T = TypeVar("T", bound="BatchItemView")


@_attrs_define
class BatchItemView:
    """One item of a batch.

    Attributes:
        index (int): Its place in the batch, from 0 (`items[index]`).
        state (str): `queued`, `booking`, `booked`, `pending`, `failed`, `invalid` or `cancelled`.
        attempts (int):
        row (int | None | Unset): CSV batches: the line in the file (the header is line 1).
        order_ref (None | str | Unset):
        carrier (None | str | Unset):
        shipment_id (None | str | Unset):
        awb (None | str | Unset):
        errors (list[ItemError] | Unset): Why an `invalid` item was not taken, each at its pointer into the batch.
        problem (BatchItemViewProblemType0 | None | Unset): Why a `failed` item failed (the carrier's refusal,
            `order_already_booked`, …), or
            the last passing failure of a `queued` item waiting to be retried.
    """

    index: int
    state: str
    attempts: int
    row: int | None | Unset = UNSET
    order_ref: None | str | Unset = UNSET
    carrier: None | str | Unset = UNSET
    shipment_id: None | str | Unset = UNSET
    awb: None | str | Unset = UNSET
    errors: list[ItemError] | Unset = UNSET
    problem: BatchItemViewProblemType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.batch_item_view_problem_type_0 import BatchItemViewProblemType0  # noqa: PLC0415

        index = self.index

        state = self.state

        attempts = self.attempts

        row: int | None | Unset
        if isinstance(self.row, Unset):
            row = UNSET
        else:
            row = self.row

        order_ref: None | str | Unset
        if isinstance(self.order_ref, Unset):
            order_ref = UNSET
        else:
            order_ref = self.order_ref

        carrier: None | str | Unset
        if isinstance(self.carrier, Unset):
            carrier = UNSET
        else:
            carrier = self.carrier

        shipment_id: None | str | Unset
        if isinstance(self.shipment_id, Unset):
            shipment_id = UNSET
        else:
            shipment_id = self.shipment_id

        awb: None | str | Unset
        if isinstance(self.awb, Unset):
            awb = UNSET
        else:
            awb = self.awb

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        problem: dict[str, Any] | None | Unset
        if isinstance(self.problem, Unset):
            problem = UNSET
        elif isinstance(self.problem, BatchItemViewProblemType0):
            problem = self.problem.to_dict()
        else:
            problem = self.problem

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "index": index,
                "state": state,
                "attempts": attempts,
            }
        )
        if row is not UNSET:
            field_dict["row"] = row
        if order_ref is not UNSET:
            field_dict["order_ref"] = order_ref
        if carrier is not UNSET:
            field_dict["carrier"] = carrier
        if shipment_id is not UNSET:
            field_dict["shipment_id"] = shipment_id
        if awb is not UNSET:
            field_dict["awb"] = awb
        if errors is not UNSET:
            field_dict["errors"] = errors
        if problem is not UNSET:
            field_dict["problem"] = problem

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch_item_view_problem_type_0 import BatchItemViewProblemType0  # noqa: PLC0415
        from ..models.item_error import ItemError  # noqa: PLC0415

        d = dict(src_dict)
        index = d.pop("index")

        state = d.pop("state")

        attempts = d.pop("attempts")

        def _parse_row(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        row = _parse_row(d.pop("row", UNSET))

        def _parse_order_ref(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        order_ref = _parse_order_ref(d.pop("order_ref", UNSET))

        def _parse_carrier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        carrier = _parse_carrier(d.pop("carrier", UNSET))

        def _parse_shipment_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        shipment_id = _parse_shipment_id(d.pop("shipment_id", UNSET))

        def _parse_awb(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        awb = _parse_awb(d.pop("awb", UNSET))

        _errors = d.pop("errors", UNSET)
        errors: list[ItemError] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = ItemError.from_dict(errors_item_data)

                errors.append(errors_item)

        def _parse_problem(data: object) -> BatchItemViewProblemType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                problem_type_0 = BatchItemViewProblemType0.from_dict(data)

                return problem_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BatchItemViewProblemType0 | None | Unset, data)

        problem = _parse_problem(d.pop("problem", UNSET))

        batch_item_view = cls(
            index=index,
            state=state,
            attempts=attempts,
            row=row,
            order_ref=order_ref,
            carrier=carrier,
            shipment_id=shipment_id,
            awb=awb,
            errors=errors,
            problem=problem,
        )

        batch_item_view.additional_properties = d
        return batch_item_view

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
