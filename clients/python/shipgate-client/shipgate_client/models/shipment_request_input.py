from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.label_format import LabelFormat
from ..models.objective import Objective
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.address_input import AddressInput
    from ..models.customs_input import CustomsInput
    from ..models.item_input import ItemInput
    from ..models.parcel_input import ParcelInput
    from ..models.payment_input import PaymentInput


T = TypeVar("T", bound="ShipmentRequestInput")


@_attrs_define
class ShipmentRequestInput:
    """A shipment to book. Text is trimmed before it is checked, so lengths count the text
    without surrounding whitespace.

        Attributes:
            order_ref (str): The OMS's order reference; unique per tenant together with the package number. At
                most 50 letters, digits and `- _ / # . :` (carriers reject other characters). Example: ORD-1001.
            carrier (str): A carrier id such as `delhivery`, or `auto`: chosen by the tenant's selection rules
                (cheapest by default), falling back to the next carrier after a certain refusal.
                At most 40 characters. Example: delhivery.
            from_ (AddressInput): An address as the OMS sends it. Text is trimmed before it is checked, so the lengths
                count the text without surrounding whitespace.
            to (AddressInput): An address as the OMS sends it. Text is trimmed before it is checked, so the lengths
                count the text without surrounding whitespace.
            parcels (list[ParcelInput]): The pieces, 1 to 50: one parcel is one package under one AWB; several are a
                multi-piece shipment, booked only with a carrier that books multi-piece
                consignments (others refuse it with 422 `carrier_unsupported`; book each piece as
                a shipment of its own there). Weights in grams and sides in millimetres, whatever
                the carrier uses: conversions happen at the carrier's edge.
            payment (PaymentInput):
            service (None | str | Unset): A service code from a rate quote; the carrier's default when absent. At most 60
                characters; not with `carrier: auto`.
            label_format (LabelFormat | None | Unset):
            tags (list[str] | None | Unset): The order's tags, for selection rules (`carrier: auto`): at most 20; compared
                lower-cased, duplicates ignored. Example: ['fragile'].
            deliver_by (datetime.date | None | Unset): The date the buyer was promised (`YYYY-MM-DD`), for SLA rules and the
                `cheapest_within_promise` objective (`carrier: auto`). Example: 2026-03-01.
            objective (None | Objective | Unset):
            customs (CustomsInput | None | Unset):
            items (list[ItemInput] | None | Unset): The order's lines (SKU, name, quantity), at most 100: for the warehouse
                (bulk
                labels sorted by SKU for picking), not sent to carriers.
            dry_run (bool | None | Unset): `true`: answer what shipgate would book (account, service, price, selection
                reason, a label specimen) without booking — no carrier booking call, no AWB, no
                shipment, the order reference stays free. Checked exactly like a booking. See
                docs/parallel-run.md. Default: False.
    """

    order_ref: str
    carrier: str
    from_: AddressInput
    to: AddressInput
    parcels: list[ParcelInput]
    payment: PaymentInput
    service: None | str | Unset = UNSET
    label_format: LabelFormat | None | Unset = UNSET
    tags: list[str] | None | Unset = UNSET
    deliver_by: datetime.date | None | Unset = UNSET
    objective: None | Objective | Unset = UNSET
    customs: CustomsInput | None | Unset = UNSET
    items: list[ItemInput] | None | Unset = UNSET
    dry_run: bool | None | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.customs_input import CustomsInput  # noqa: PLC0415

        order_ref = self.order_ref

        carrier = self.carrier

        from_ = self.from_.to_dict()

        to = self.to.to_dict()

        parcels = []
        for parcels_item_data in self.parcels:
            parcels_item = parcels_item_data.to_dict()
            parcels.append(parcels_item)

        payment = self.payment.to_dict()

        service: None | str | Unset
        if isinstance(self.service, Unset):
            service = UNSET
        else:
            service = self.service

        label_format: None | str | Unset
        if isinstance(self.label_format, Unset):
            label_format = UNSET
        elif isinstance(self.label_format, LabelFormat):
            label_format = self.label_format.value
        else:
            label_format = self.label_format

        tags: list[str] | None | Unset
        if isinstance(self.tags, Unset):
            tags = UNSET
        elif isinstance(self.tags, list):
            tags = self.tags

        else:
            tags = self.tags

        deliver_by: None | str | Unset
        if isinstance(self.deliver_by, Unset):
            deliver_by = UNSET
        elif isinstance(self.deliver_by, datetime.date):
            deliver_by = self.deliver_by.isoformat()
        else:
            deliver_by = self.deliver_by

        objective: None | str | Unset
        if isinstance(self.objective, Unset):
            objective = UNSET
        elif isinstance(self.objective, Objective):
            objective = self.objective.value
        else:
            objective = self.objective

        customs: dict[str, Any] | None | Unset
        if isinstance(self.customs, Unset):
            customs = UNSET
        elif isinstance(self.customs, CustomsInput):
            customs = self.customs.to_dict()
        else:
            customs = self.customs

        items: list[dict[str, Any]] | None | Unset
        if isinstance(self.items, Unset):
            items = UNSET
        elif isinstance(self.items, list):
            items = []
            for items_type_0_item_data in self.items:
                items_type_0_item = items_type_0_item_data.to_dict()
                items.append(items_type_0_item)

        else:
            items = self.items

        dry_run: bool | None | Unset
        if isinstance(self.dry_run, Unset):
            dry_run = UNSET
        else:
            dry_run = self.dry_run

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "order_ref": order_ref,
                "carrier": carrier,
                "from": from_,
                "to": to,
                "parcels": parcels,
                "payment": payment,
            }
        )
        if service is not UNSET:
            field_dict["service"] = service
        if label_format is not UNSET:
            field_dict["label_format"] = label_format
        if tags is not UNSET:
            field_dict["tags"] = tags
        if deliver_by is not UNSET:
            field_dict["deliver_by"] = deliver_by
        if objective is not UNSET:
            field_dict["objective"] = objective
        if customs is not UNSET:
            field_dict["customs"] = customs
        if items is not UNSET:
            field_dict["items"] = items
        if dry_run is not UNSET:
            field_dict["dry_run"] = dry_run

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.address_input import AddressInput  # noqa: PLC0415
        from ..models.customs_input import CustomsInput  # noqa: PLC0415
        from ..models.item_input import ItemInput  # noqa: PLC0415
        from ..models.parcel_input import ParcelInput  # noqa: PLC0415
        from ..models.payment_input import PaymentInput  # noqa: PLC0415

        d = dict(src_dict)
        order_ref = d.pop("order_ref")

        carrier = d.pop("carrier")

        from_ = AddressInput.from_dict(d.pop("from"))

        to = AddressInput.from_dict(d.pop("to"))

        parcels = []
        _parcels = d.pop("parcels")
        for parcels_item_data in _parcels:
            parcels_item = ParcelInput.from_dict(parcels_item_data)

            parcels.append(parcels_item)

        payment = PaymentInput.from_dict(d.pop("payment"))

        def _parse_service(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        service = _parse_service(d.pop("service", UNSET))

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

        def _parse_tags(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tags_type_0 = cast(list[str], data)

                return tags_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        tags = _parse_tags(d.pop("tags", UNSET))

        def _parse_deliver_by(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deliver_by_type_0 = datetime.date.fromisoformat(data)

                return deliver_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        deliver_by = _parse_deliver_by(d.pop("deliver_by", UNSET))

        def _parse_objective(data: object) -> None | Objective | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                objective_type_0 = Objective(data)

                return objective_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Objective | Unset, data)

        objective = _parse_objective(d.pop("objective", UNSET))

        def _parse_customs(data: object) -> CustomsInput | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                customs_type_0 = CustomsInput.from_dict(data)

                return customs_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CustomsInput | None | Unset, data)

        customs = _parse_customs(d.pop("customs", UNSET))

        def _parse_items(data: object) -> list[ItemInput] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                items_type_0 = []
                _items_type_0 = data
                for items_type_0_item_data in _items_type_0:
                    items_type_0_item = ItemInput.from_dict(items_type_0_item_data)

                    items_type_0.append(items_type_0_item)

                return items_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ItemInput] | None | Unset, data)

        items = _parse_items(d.pop("items", UNSET))

        def _parse_dry_run(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        dry_run = _parse_dry_run(d.pop("dry_run", UNSET))

        shipment_request_input = cls(
            order_ref=order_ref,
            carrier=carrier,
            from_=from_,
            to=to,
            parcels=parcels,
            payment=payment,
            service=service,
            label_format=label_format,
            tags=tags,
            deliver_by=deliver_by,
            objective=objective,
            customs=customs,
            items=items,
            dry_run=dry_run,
        )

        shipment_request_input.additional_properties = d
        return shipment_request_input

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
