from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.booking_state import BookingState
from ..models.label_format import LabelFormat
from ..models.shipment_kind import ShipmentKind
from ..models.status import Status
from ..models.sub_status import SubStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.address import Address
    from ..models.address_quality import AddressQuality
    from ..models.customs import Customs
    from ..models.event_record import EventRecord
    from ..models.item import Item
    from ..models.links import Links
    from ..models.money import Money
    from ..models.parcel import Parcel
    from ..models.payment import Payment
    from ..models.return_link import ReturnLink
    from ..models.return_view import ReturnView
    from ..models.selection_record import SelectionRecord
    from ..models.shipment_view_carrier_refs import ShipmentViewCarrierRefs
    from ..models.weight_discrepancy_view import WeightDiscrepancyView


T = TypeVar("T", bound="ShipmentView")


@_attrs_define
class ShipmentView:
    """
    Attributes:
        id (str):
        order_ref (str):
        carrier (str):
        carrier_account (str): The carrier account that booked it (the carrier id for its default account).
        status (Status): Top level of the unified taxonomy.
        sub_status (SubStatus): Second level of the unified taxonomy; each value belongs to exactly one [`Status`].
        terminal (bool):
        kind (ShipmentKind):
        booking_state (BookingState): Where a booking stands, independent of the tracking status.
        ndr_attempts (int): Failed delivery attempts (NDR events) so far.
        late (bool): Past `estimated_delivery` and still on its way (see `GET /v1/shipments?late=true`).
        label_format (LabelFormat):
        carrier_refs (ShipmentViewCarrierRefs):
        from_ (Address): A parsed address: phone normalised to E.164, postal code checked for its country.
        to (Address): A parsed address: phone normalised to E.164, postal code checked for its country.
        parcels (list[Parcel]):
        payment (Payment): How the shipment is paid for.
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        links (Links):
        service (None | str | Unset):
        awb (None | str | Unset):
        forward_shipment_id (None | str | Unset): For a return: the forward shipment it returns, when it was booked from
            one.
        return_ (None | ReturnView | Unset):
        returns (list[ReturnLink] | None | Unset): For a forward shipment read alone: its returns, oldest first.
        address_quality (AddressQuality | None | Unset):
        estimated_delivery (datetime.date | None | Unset): The delivery date promised at booking (India date): the
            carrier's own, or the
            lane's median transit in the tenant's history; absent when neither was known.
        failure (None | str | Unset): Why the booking failed, when `booking_state` is `failed`.
        routing_code (None | str | Unset):
        charged (Money | None | Unset):
        customs (Customs | None | Unset):
        items (list[Item] | Unset): The order's lines booked with it (absent when none were given).
        events (list[EventRecord] | None | Unset):
        selection (None | SelectionRecord | Unset):
        weight_discrepancy (None | Unset | WeightDiscrepancyView):
        tracking_token (None | str | Unset): The secret in the buyer's tracking page link: whoever holds it sees the
            page, so
            hand it to the buyer only.
        tracking_url (None | str | Unset): The buyer's tracking page: absolute when `http.buyer_url` is configured, else
            the
            path `/t/{tracking_token}` on this gateway.
    """

    id: str
    order_ref: str
    carrier: str
    carrier_account: str
    status: Status
    sub_status: SubStatus
    terminal: bool
    kind: ShipmentKind
    booking_state: BookingState
    ndr_attempts: int
    late: bool
    label_format: LabelFormat
    carrier_refs: ShipmentViewCarrierRefs
    from_: Address
    to: Address
    parcels: list[Parcel]
    payment: Payment
    created_at: datetime.datetime
    updated_at: datetime.datetime
    links: Links
    service: None | str | Unset = UNSET
    awb: None | str | Unset = UNSET
    forward_shipment_id: None | str | Unset = UNSET
    return_: None | ReturnView | Unset = UNSET
    returns: list[ReturnLink] | None | Unset = UNSET
    address_quality: AddressQuality | None | Unset = UNSET
    estimated_delivery: datetime.date | None | Unset = UNSET
    failure: None | str | Unset = UNSET
    routing_code: None | str | Unset = UNSET
    charged: Money | None | Unset = UNSET
    customs: Customs | None | Unset = UNSET
    items: list[Item] | Unset = UNSET
    events: list[EventRecord] | None | Unset = UNSET
    selection: None | SelectionRecord | Unset = UNSET
    weight_discrepancy: None | Unset | WeightDiscrepancyView = UNSET
    tracking_token: None | str | Unset = UNSET
    tracking_url: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.address_quality import AddressQuality  # noqa: PLC0415
        from ..models.customs import Customs  # noqa: PLC0415
        from ..models.money import Money  # noqa: PLC0415
        from ..models.return_view import ReturnView  # noqa: PLC0415
        from ..models.selection_record import SelectionRecord  # noqa: PLC0415
        from ..models.weight_discrepancy_view import WeightDiscrepancyView  # noqa: PLC0415

        id = self.id

        order_ref = self.order_ref

        carrier = self.carrier

        carrier_account = self.carrier_account

        status = self.status.value

        sub_status = self.sub_status.value

        terminal = self.terminal

        kind = self.kind.value

        booking_state = self.booking_state.value

        ndr_attempts = self.ndr_attempts

        late = self.late

        label_format = self.label_format.value

        carrier_refs = self.carrier_refs.to_dict()

        from_ = self.from_.to_dict()

        to = self.to.to_dict()

        parcels = []
        for parcels_item_data in self.parcels:
            parcels_item = parcels_item_data.to_dict()
            parcels.append(parcels_item)

        payment = self.payment.to_dict()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        links = self.links.to_dict()

        service: None | str | Unset
        if isinstance(self.service, Unset):
            service = UNSET
        else:
            service = self.service

        awb: None | str | Unset
        if isinstance(self.awb, Unset):
            awb = UNSET
        else:
            awb = self.awb

        forward_shipment_id: None | str | Unset
        if isinstance(self.forward_shipment_id, Unset):
            forward_shipment_id = UNSET
        else:
            forward_shipment_id = self.forward_shipment_id

        return_: dict[str, Any] | None | Unset
        if isinstance(self.return_, Unset):
            return_ = UNSET
        elif isinstance(self.return_, ReturnView):
            return_ = self.return_.to_dict()
        else:
            return_ = self.return_

        returns: list[dict[str, Any]] | None | Unset
        if isinstance(self.returns, Unset):
            returns = UNSET
        elif isinstance(self.returns, list):
            returns = []
            for returns_type_0_item_data in self.returns:
                returns_type_0_item = returns_type_0_item_data.to_dict()
                returns.append(returns_type_0_item)

        else:
            returns = self.returns

        address_quality: dict[str, Any] | None | Unset
        if isinstance(self.address_quality, Unset):
            address_quality = UNSET
        elif isinstance(self.address_quality, AddressQuality):
            address_quality = self.address_quality.to_dict()
        else:
            address_quality = self.address_quality

        estimated_delivery: None | str | Unset
        if isinstance(self.estimated_delivery, Unset):
            estimated_delivery = UNSET
        elif isinstance(self.estimated_delivery, datetime.date):
            estimated_delivery = self.estimated_delivery.isoformat()
        else:
            estimated_delivery = self.estimated_delivery

        failure: None | str | Unset
        if isinstance(self.failure, Unset):
            failure = UNSET
        else:
            failure = self.failure

        routing_code: None | str | Unset
        if isinstance(self.routing_code, Unset):
            routing_code = UNSET
        else:
            routing_code = self.routing_code

        charged: dict[str, Any] | None | Unset
        if isinstance(self.charged, Unset):
            charged = UNSET
        elif isinstance(self.charged, Money):
            charged = self.charged.to_dict()
        else:
            charged = self.charged

        customs: dict[str, Any] | None | Unset
        if isinstance(self.customs, Unset):
            customs = UNSET
        elif isinstance(self.customs, Customs):
            customs = self.customs.to_dict()
        else:
            customs = self.customs

        items: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.items, Unset):
            items = []
            for items_item_data in self.items:
                items_item = items_item_data.to_dict()
                items.append(items_item)

        events: list[dict[str, Any]] | None | Unset
        if isinstance(self.events, Unset):
            events = UNSET
        elif isinstance(self.events, list):
            events = []
            for events_type_0_item_data in self.events:
                events_type_0_item = events_type_0_item_data.to_dict()
                events.append(events_type_0_item)

        else:
            events = self.events

        selection: dict[str, Any] | None | Unset
        if isinstance(self.selection, Unset):
            selection = UNSET
        elif isinstance(self.selection, SelectionRecord):
            selection = self.selection.to_dict()
        else:
            selection = self.selection

        weight_discrepancy: dict[str, Any] | None | Unset
        if isinstance(self.weight_discrepancy, Unset):
            weight_discrepancy = UNSET
        elif isinstance(self.weight_discrepancy, WeightDiscrepancyView):
            weight_discrepancy = self.weight_discrepancy.to_dict()
        else:
            weight_discrepancy = self.weight_discrepancy

        tracking_token: None | str | Unset
        if isinstance(self.tracking_token, Unset):
            tracking_token = UNSET
        else:
            tracking_token = self.tracking_token

        tracking_url: None | str | Unset
        if isinstance(self.tracking_url, Unset):
            tracking_url = UNSET
        else:
            tracking_url = self.tracking_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "order_ref": order_ref,
                "carrier": carrier,
                "carrier_account": carrier_account,
                "status": status,
                "sub_status": sub_status,
                "terminal": terminal,
                "kind": kind,
                "booking_state": booking_state,
                "ndr_attempts": ndr_attempts,
                "late": late,
                "label_format": label_format,
                "carrier_refs": carrier_refs,
                "from": from_,
                "to": to,
                "parcels": parcels,
                "payment": payment,
                "created_at": created_at,
                "updated_at": updated_at,
                "links": links,
            }
        )
        if service is not UNSET:
            field_dict["service"] = service
        if awb is not UNSET:
            field_dict["awb"] = awb
        if forward_shipment_id is not UNSET:
            field_dict["forward_shipment_id"] = forward_shipment_id
        if return_ is not UNSET:
            field_dict["return"] = return_
        if returns is not UNSET:
            field_dict["returns"] = returns
        if address_quality is not UNSET:
            field_dict["address_quality"] = address_quality
        if estimated_delivery is not UNSET:
            field_dict["estimated_delivery"] = estimated_delivery
        if failure is not UNSET:
            field_dict["failure"] = failure
        if routing_code is not UNSET:
            field_dict["routing_code"] = routing_code
        if charged is not UNSET:
            field_dict["charged"] = charged
        if customs is not UNSET:
            field_dict["customs"] = customs
        if items is not UNSET:
            field_dict["items"] = items
        if events is not UNSET:
            field_dict["events"] = events
        if selection is not UNSET:
            field_dict["selection"] = selection
        if weight_discrepancy is not UNSET:
            field_dict["weight_discrepancy"] = weight_discrepancy
        if tracking_token is not UNSET:
            field_dict["tracking_token"] = tracking_token
        if tracking_url is not UNSET:
            field_dict["tracking_url"] = tracking_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.address import Address  # noqa: PLC0415
        from ..models.address_quality import AddressQuality  # noqa: PLC0415
        from ..models.customs import Customs  # noqa: PLC0415
        from ..models.event_record import EventRecord  # noqa: PLC0415
        from ..models.item import Item  # noqa: PLC0415
        from ..models.links import Links  # noqa: PLC0415
        from ..models.money import Money  # noqa: PLC0415
        from ..models.parcel import Parcel  # noqa: PLC0415
        from ..models.payment import Payment  # noqa: PLC0415
        from ..models.return_link import ReturnLink  # noqa: PLC0415
        from ..models.return_view import ReturnView  # noqa: PLC0415
        from ..models.selection_record import SelectionRecord  # noqa: PLC0415
        from ..models.shipment_view_carrier_refs import ShipmentViewCarrierRefs  # noqa: PLC0415
        from ..models.weight_discrepancy_view import WeightDiscrepancyView  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        order_ref = d.pop("order_ref")

        carrier = d.pop("carrier")

        carrier_account = d.pop("carrier_account")

        status = Status(d.pop("status"))

        sub_status = SubStatus(d.pop("sub_status"))

        terminal = d.pop("terminal")

        kind = ShipmentKind(d.pop("kind"))

        booking_state = BookingState(d.pop("booking_state"))

        ndr_attempts = d.pop("ndr_attempts")

        late = d.pop("late")

        label_format = LabelFormat(d.pop("label_format"))

        carrier_refs = ShipmentViewCarrierRefs.from_dict(d.pop("carrier_refs"))

        from_ = Address.from_dict(d.pop("from"))

        to = Address.from_dict(d.pop("to"))

        parcels = []
        _parcels = d.pop("parcels")
        for parcels_item_data in _parcels:
            parcels_item = Parcel.from_dict(parcels_item_data)

            parcels.append(parcels_item)

        payment = Payment.from_dict(d.pop("payment"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        links = Links.from_dict(d.pop("links"))

        def _parse_service(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        service = _parse_service(d.pop("service", UNSET))

        def _parse_awb(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        awb = _parse_awb(d.pop("awb", UNSET))

        def _parse_forward_shipment_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        forward_shipment_id = _parse_forward_shipment_id(d.pop("forward_shipment_id", UNSET))

        def _parse_return_(data: object) -> None | ReturnView | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                return_type_0 = ReturnView.from_dict(data)

                return return_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReturnView | Unset, data)

        return_ = _parse_return_(d.pop("return", UNSET))

        def _parse_returns(data: object) -> list[ReturnLink] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                returns_type_0 = []
                _returns_type_0 = data
                for returns_type_0_item_data in _returns_type_0:
                    returns_type_0_item = ReturnLink.from_dict(returns_type_0_item_data)

                    returns_type_0.append(returns_type_0_item)

                return returns_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ReturnLink] | None | Unset, data)

        returns = _parse_returns(d.pop("returns", UNSET))

        def _parse_address_quality(data: object) -> AddressQuality | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                address_quality_type_0 = AddressQuality.from_dict(data)

                return address_quality_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AddressQuality | None | Unset, data)

        address_quality = _parse_address_quality(d.pop("address_quality", UNSET))

        def _parse_estimated_delivery(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                estimated_delivery_type_0 = datetime.date.fromisoformat(data)

                return estimated_delivery_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        estimated_delivery = _parse_estimated_delivery(d.pop("estimated_delivery", UNSET))

        def _parse_failure(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        failure = _parse_failure(d.pop("failure", UNSET))

        def _parse_routing_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        routing_code = _parse_routing_code(d.pop("routing_code", UNSET))

        def _parse_charged(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                charged_type_0 = Money.from_dict(data)

                return charged_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        charged = _parse_charged(d.pop("charged", UNSET))

        def _parse_customs(data: object) -> Customs | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                customs_type_0 = Customs.from_dict(data)

                return customs_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Customs | None | Unset, data)

        customs = _parse_customs(d.pop("customs", UNSET))

        _items = d.pop("items", UNSET)
        items: list[Item] | Unset = UNSET
        if _items is not UNSET:
            items = []
            for items_item_data in _items:
                items_item = Item.from_dict(items_item_data)

                items.append(items_item)

        def _parse_events(data: object) -> list[EventRecord] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                events_type_0 = []
                _events_type_0 = data
                for events_type_0_item_data in _events_type_0:
                    events_type_0_item = EventRecord.from_dict(events_type_0_item_data)

                    events_type_0.append(events_type_0_item)

                return events_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[EventRecord] | None | Unset, data)

        events = _parse_events(d.pop("events", UNSET))

        def _parse_selection(data: object) -> None | SelectionRecord | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                selection_type_0 = SelectionRecord.from_dict(data)

                return selection_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SelectionRecord | Unset, data)

        selection = _parse_selection(d.pop("selection", UNSET))

        def _parse_weight_discrepancy(data: object) -> None | Unset | WeightDiscrepancyView:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                weight_discrepancy_type_0 = WeightDiscrepancyView.from_dict(data)

                return weight_discrepancy_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WeightDiscrepancyView, data)

        weight_discrepancy = _parse_weight_discrepancy(d.pop("weight_discrepancy", UNSET))

        def _parse_tracking_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tracking_token = _parse_tracking_token(d.pop("tracking_token", UNSET))

        def _parse_tracking_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tracking_url = _parse_tracking_url(d.pop("tracking_url", UNSET))

        shipment_view = cls(
            id=id,
            order_ref=order_ref,
            carrier=carrier,
            carrier_account=carrier_account,
            status=status,
            sub_status=sub_status,
            terminal=terminal,
            kind=kind,
            booking_state=booking_state,
            ndr_attempts=ndr_attempts,
            late=late,
            label_format=label_format,
            carrier_refs=carrier_refs,
            from_=from_,
            to=to,
            parcels=parcels,
            payment=payment,
            created_at=created_at,
            updated_at=updated_at,
            links=links,
            service=service,
            awb=awb,
            forward_shipment_id=forward_shipment_id,
            return_=return_,
            returns=returns,
            address_quality=address_quality,
            estimated_delivery=estimated_delivery,
            failure=failure,
            routing_code=routing_code,
            charged=charged,
            customs=customs,
            items=items,
            events=events,
            selection=selection,
            weight_discrepancy=weight_discrepancy,
            tracking_token=tracking_token,
            tracking_url=tracking_url,
        )

        shipment_view.additional_properties = d
        return shipment_view

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
