from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.dry_run_outcome import DryRunOutcome
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.charge import Charge
    from ..models.dry_run_alternative import DryRunAlternative
    from ..models.dry_run_links import DryRunLinks
    from ..models.dry_run_selection import DryRunSelection
    from ..models.money import Money
    from ..models.request_summary import RequestSummary


T = TypeVar("T", bound="DryRunView")


@_attrs_define
class DryRunView:
    """What shipgate would book for a request; nothing was booked.

    Attributes:
        id (str):  Example: dry_0190a1b2c3d4e5f6a7b8c9d0e1f2a3b4.
        dry_run (bool): Always `true`: no carrier was asked to book, no AWB was allocated, no shipment
            exists and the order reference is still free.
        order_ref (str):
        outcome (DryRunOutcome): What a dry run found.
        carrier_account (str): The account that would book (the carrier id for a carrier's default account).
        carrier (str):
        selection (DryRunSelection):
        alternatives (list[DryRunAlternative]): The other quotes considered, best first.
        request (RequestSummary): The lane facts a comparison matches on.
        links (DryRunLinks):
        created_at (datetime.datetime):
        repeat_of (None | str | Unset): The shipment a booking now would answer with (`repeat`).
        service (None | str | Unset): The service that would be booked; absent when a named carrier gave no quote and
            the request named none (its default service).
        total (Money | None | Unset):
        breakdown (list[Charge] | Unset):
        estimated_delivery (datetime.date | None | Unset):
    """

    id: str
    dry_run: bool
    order_ref: str
    outcome: DryRunOutcome
    carrier_account: str
    carrier: str
    selection: DryRunSelection
    alternatives: list[DryRunAlternative]
    request: RequestSummary
    links: DryRunLinks
    created_at: datetime.datetime
    repeat_of: None | str | Unset = UNSET
    service: None | str | Unset = UNSET
    total: Money | None | Unset = UNSET
    breakdown: list[Charge] | Unset = UNSET
    estimated_delivery: datetime.date | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money  # noqa: PLC0415

        id = self.id

        dry_run = self.dry_run

        order_ref = self.order_ref

        outcome = self.outcome.value

        carrier_account = self.carrier_account

        carrier = self.carrier

        selection = self.selection.to_dict()

        alternatives = []
        for alternatives_item_data in self.alternatives:
            alternatives_item = alternatives_item_data.to_dict()
            alternatives.append(alternatives_item)

        request = self.request.to_dict()

        links = self.links.to_dict()

        created_at = self.created_at.isoformat()

        repeat_of: None | str | Unset
        if isinstance(self.repeat_of, Unset):
            repeat_of = UNSET
        else:
            repeat_of = self.repeat_of

        service: None | str | Unset
        if isinstance(self.service, Unset):
            service = UNSET
        else:
            service = self.service

        total: dict[str, Any] | None | Unset
        if isinstance(self.total, Unset):
            total = UNSET
        elif isinstance(self.total, Money):
            total = self.total.to_dict()
        else:
            total = self.total

        breakdown: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.breakdown, Unset):
            breakdown = []
            for breakdown_item_data in self.breakdown:
                breakdown_item = breakdown_item_data.to_dict()
                breakdown.append(breakdown_item)

        estimated_delivery: None | str | Unset
        if isinstance(self.estimated_delivery, Unset):
            estimated_delivery = UNSET
        elif isinstance(self.estimated_delivery, datetime.date):
            estimated_delivery = self.estimated_delivery.isoformat()
        else:
            estimated_delivery = self.estimated_delivery

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "dry_run": dry_run,
                "order_ref": order_ref,
                "outcome": outcome,
                "carrier_account": carrier_account,
                "carrier": carrier,
                "selection": selection,
                "alternatives": alternatives,
                "request": request,
                "links": links,
                "created_at": created_at,
            }
        )
        if repeat_of is not UNSET:
            field_dict["repeat_of"] = repeat_of
        if service is not UNSET:
            field_dict["service"] = service
        if total is not UNSET:
            field_dict["total"] = total
        if breakdown is not UNSET:
            field_dict["breakdown"] = breakdown
        if estimated_delivery is not UNSET:
            field_dict["estimated_delivery"] = estimated_delivery

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.charge import Charge  # noqa: PLC0415
        from ..models.dry_run_alternative import DryRunAlternative  # noqa: PLC0415
        from ..models.dry_run_links import DryRunLinks  # noqa: PLC0415
        from ..models.dry_run_selection import DryRunSelection  # noqa: PLC0415
        from ..models.money import Money  # noqa: PLC0415
        from ..models.request_summary import RequestSummary  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        dry_run = d.pop("dry_run")

        order_ref = d.pop("order_ref")

        outcome = DryRunOutcome(d.pop("outcome"))

        carrier_account = d.pop("carrier_account")

        carrier = d.pop("carrier")

        selection = DryRunSelection.from_dict(d.pop("selection"))

        alternatives = []
        _alternatives = d.pop("alternatives")
        for alternatives_item_data in _alternatives:
            alternatives_item = DryRunAlternative.from_dict(alternatives_item_data)

            alternatives.append(alternatives_item)

        request = RequestSummary.from_dict(d.pop("request"))

        links = DryRunLinks.from_dict(d.pop("links"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_repeat_of(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        repeat_of = _parse_repeat_of(d.pop("repeat_of", UNSET))

        def _parse_service(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        service = _parse_service(d.pop("service", UNSET))

        def _parse_total(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                total_type_0 = Money.from_dict(data)

                return total_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        total = _parse_total(d.pop("total", UNSET))

        _breakdown = d.pop("breakdown", UNSET)
        breakdown: list[Charge] | Unset = UNSET
        if _breakdown is not UNSET:
            breakdown = []
            for breakdown_item_data in _breakdown:
                breakdown_item = Charge.from_dict(breakdown_item_data)

                breakdown.append(breakdown_item)

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

        dry_run_view = cls(
            id=id,
            dry_run=dry_run,
            order_ref=order_ref,
            outcome=outcome,
            carrier_account=carrier_account,
            carrier=carrier,
            selection=selection,
            alternatives=alternatives,
            request=request,
            links=links,
            created_at=created_at,
            repeat_of=repeat_of,
            service=service,
            total=total,
            breakdown=breakdown,
            estimated_delivery=estimated_delivery,
        )

        dry_run_view.additional_properties = d
        return dry_run_view

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
