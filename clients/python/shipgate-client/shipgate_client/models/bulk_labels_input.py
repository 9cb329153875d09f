from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.label_format import LabelFormat
from ..models.layout import Layout
from ..models.order import Order
from ..types import UNSET, Unset

T = TypeVar("T", bound="BulkLabelsInput")


@_attrs_define
class BulkLabelsInput:
    """Which labels, and how to print them. Give exactly one of `shipment_ids`,
    `manifest_id` and `batch_id`.

        Attributes:
            format_ (LabelFormat):
            shipment_ids (list[str] | None | Unset): Shipment ids, in the order to print them (unless `order` sorts them);
                each once.
            manifest_id (None | str | Unset): A manifest: its shipments, in the manifest's order.
            batch_id (None | str | Unset): A booking batch: its booked shipments, in the batch's order.
            layout (Layout | None | Unset):
            order (None | Order | Unset):
    """

    format_: LabelFormat
    shipment_ids: list[str] | None | Unset = UNSET
    manifest_id: None | str | Unset = UNSET
    batch_id: None | str | Unset = UNSET
    layout: Layout | None | Unset = UNSET
    order: None | Order | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        format_ = self.format_.value

        shipment_ids: list[str] | None | Unset
        if isinstance(self.shipment_ids, Unset):
            shipment_ids = UNSET
        elif isinstance(self.shipment_ids, list):
            shipment_ids = self.shipment_ids

        else:
            shipment_ids = self.shipment_ids

        manifest_id: None | str | Unset
        if isinstance(self.manifest_id, Unset):
            manifest_id = UNSET
        else:
            manifest_id = self.manifest_id

        batch_id: None | str | Unset
        if isinstance(self.batch_id, Unset):
            batch_id = UNSET
        else:
            batch_id = self.batch_id

        layout: None | str | Unset
        if isinstance(self.layout, Unset):
            layout = UNSET
        elif isinstance(self.layout, Layout):
            layout = self.layout.value
        else:
            layout = self.layout

        order: None | str | Unset
        if isinstance(self.order, Unset):
            order = UNSET
        elif isinstance(self.order, Order):
            order = self.order.value
        else:
            order = self.order

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "format": format_,
            }
        )
        if shipment_ids is not UNSET:
            field_dict["shipment_ids"] = shipment_ids
        if manifest_id is not UNSET:
            field_dict["manifest_id"] = manifest_id
        if batch_id is not UNSET:
            field_dict["batch_id"] = batch_id
        if layout is not UNSET:
            field_dict["layout"] = layout
        if order is not UNSET:
            field_dict["order"] = order

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        format_ = LabelFormat(d.pop("format"))

        def _parse_shipment_ids(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                shipment_ids_type_0 = cast(list[str], data)

                return shipment_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        shipment_ids = _parse_shipment_ids(d.pop("shipment_ids", UNSET))

        def _parse_manifest_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        manifest_id = _parse_manifest_id(d.pop("manifest_id", UNSET))

        def _parse_batch_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        batch_id = _parse_batch_id(d.pop("batch_id", UNSET))

        def _parse_layout(data: object) -> Layout | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                layout_type_0 = Layout(data)

                return layout_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Layout | None | Unset, data)

        layout = _parse_layout(d.pop("layout", UNSET))

        def _parse_order(data: object) -> None | Order | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                order_type_0 = Order(data)

                return order_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Order | Unset, data)

        order = _parse_order(d.pop("order", UNSET))

        bulk_labels_input = cls(
            format_=format_,
            shipment_ids=shipment_ids,
            manifest_id=manifest_id,
            batch_id=batch_id,
            layout=layout,
            order=order,
        )

        return bulk_labels_input
