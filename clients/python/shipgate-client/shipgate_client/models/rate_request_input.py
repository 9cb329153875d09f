from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.objective import Objective
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.address_input import AddressInput
    from ..models.customs_input import CustomsInput
    from ..models.parcel_input import ParcelInput
    from ..models.payment_input import PaymentInput


T = TypeVar("T", bound="RateRequestInput")


@_attrs_define
class RateRequestInput:
    """What to quote.

    Attributes:
        from_ (AddressInput): An address as the OMS sends it. Text is trimmed before it is checked, so the lengths
            count the text without surrounding whitespace.
        to (AddressInput): An address as the OMS sends it. Text is trimmed before it is checked, so the lengths
            count the text without surrounding whitespace.
        parcels (list[ParcelInput]): 1 to 50 parcels, priced together (a multi-piece consignment): rate cards add up
            each parcel's chargeable weight, carriers quote the total weight. Weights in grams
            and sides in millimetres, whatever the carrier uses.
        payment (PaymentInput):
        carriers (list[str] | None | Unset): Carrier ids or carrier account ids to ask; every enabled account when
            absent.
        tags (list[str] | None | Unset): The order's tags, for selection rules (`tags_any`, `tags_all`, `tags_none`): at
            most 20; compared lower-cased, duplicates ignored. Example: ['fragile'].
        deliver_by (datetime.date | None | Unset): The date the buyer was promised (`YYYY-MM-DD`), for SLA rules and the
            `cheapest_within_promise` objective. Example: 2026-03-01.
        objective (None | Objective | Unset):
        deadline_ms (int | None | Unset): How long to wait for carriers, in milliseconds: 1 to the gateway's
            `rates.max_deadline_ms` (10000 unless configured); carriers that have not answered
            by then are listed in `errors` with code `timeout`. The gateway's default when
            absent.
        customs (CustomsInput | None | Unset):
    """

    from_: AddressInput
    to: AddressInput
    parcels: list[ParcelInput]
    payment: PaymentInput
    carriers: list[str] | None | Unset = UNSET
    tags: list[str] | None | Unset = UNSET
    deliver_by: datetime.date | None | Unset = UNSET
    objective: None | Objective | Unset = UNSET
    deadline_ms: int | None | Unset = UNSET
    customs: CustomsInput | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.customs_input import CustomsInput  # noqa: PLC0415

        from_ = self.from_.to_dict()

        to = self.to.to_dict()

        parcels = []
        for parcels_item_data in self.parcels:
            parcels_item = parcels_item_data.to_dict()
            parcels.append(parcels_item)

        payment = self.payment.to_dict()

        carriers: list[str] | None | Unset
        if isinstance(self.carriers, Unset):
            carriers = UNSET
        elif isinstance(self.carriers, list):
            carriers = self.carriers

        else:
            carriers = self.carriers

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

        deadline_ms: int | None | Unset
        if isinstance(self.deadline_ms, Unset):
            deadline_ms = UNSET
        else:
            deadline_ms = self.deadline_ms

        customs: dict[str, Any] | None | Unset
        if isinstance(self.customs, Unset):
            customs = UNSET
        elif isinstance(self.customs, CustomsInput):
            customs = self.customs.to_dict()
        else:
            customs = self.customs

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "to": to,
                "parcels": parcels,
                "payment": payment,
            }
        )
        if carriers is not UNSET:
            field_dict["carriers"] = carriers
        if tags is not UNSET:
            field_dict["tags"] = tags
        if deliver_by is not UNSET:
            field_dict["deliver_by"] = deliver_by
        if objective is not UNSET:
            field_dict["objective"] = objective
        if deadline_ms is not UNSET:
            field_dict["deadline_ms"] = deadline_ms
        if customs is not UNSET:
            field_dict["customs"] = customs

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.address_input import AddressInput  # noqa: PLC0415
        from ..models.customs_input import CustomsInput  # noqa: PLC0415
        from ..models.parcel_input import ParcelInput  # noqa: PLC0415
        from ..models.payment_input import PaymentInput  # noqa: PLC0415

        d = dict(src_dict)
        from_ = AddressInput.from_dict(d.pop("from"))

        to = AddressInput.from_dict(d.pop("to"))

        parcels = []
        _parcels = d.pop("parcels")
        for parcels_item_data in _parcels:
            parcels_item = ParcelInput.from_dict(parcels_item_data)

            parcels.append(parcels_item)

        payment = PaymentInput.from_dict(d.pop("payment"))

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

        def _parse_deadline_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        deadline_ms = _parse_deadline_ms(d.pop("deadline_ms", UNSET))

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

        rate_request_input = cls(
            from_=from_,
            to=to,
            parcels=parcels,
            payment=payment,
            carriers=carriers,
            tags=tags,
            deliver_by=deliver_by,
            objective=objective,
            deadline_ms=deadline_ms,
            customs=customs,
        )

        rate_request_input.additional_properties = d
        return rate_request_input

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
