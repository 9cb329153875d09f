from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.label_format import LabelFormat
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.shipment_request_input import ShipmentRequestInput


T = TypeVar("T", bound="BatchInput")


@_attrs_define
class BatchInput:
    """A JSON batch.

    Attributes:
        items (list[ShipmentRequestInput]): The shipments, each exactly as `POST /v1/shipments` takes it; 1 to 10,000
            (the
            gateway's `batches.max_items`).
        label_format (LabelFormat | None | Unset):
    """

    items: list[ShipmentRequestInput]
    label_format: LabelFormat | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        label_format: None | str | Unset
        if isinstance(self.label_format, Unset):
            label_format = UNSET
        elif isinstance(self.label_format, LabelFormat):
            label_format = self.label_format.value
        else:
            label_format = self.label_format

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "items": items,
            }
        )
        if label_format is not UNSET:
            field_dict["label_format"] = label_format

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.shipment_request_input import ShipmentRequestInput  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = ShipmentRequestInput.from_dict(items_item_data)

            items.append(items_item)

        def _parse_label_format(data: object) -> LabelFormat | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                label_format_type_0 = LabelFormat(data)

                return label_format_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LabelFormat | None | Unset, data)

        label_format = _parse_label_format(d.pop("label_format", UNSET))

        batch_input = cls(
            items=items,
            label_format=label_format,
        )

        return batch_input
