from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.estimate_source import EstimateSource
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.charge import Charge
    from ..models.money import Money


T = TypeVar("T", bound="RateQuote")


@_attrs_define
class RateQuote:
    """One priced option from one carrier.

    Attributes:
        carrier (str):
        service (str): Service code to pass back as `service` when booking.
        service_name (str):
        total (Money): An amount in integer minor units of its currency, as ISO 4217 counts them (paise for
            INR, cents for USD, yen for JPY, fils for KWD: 2, 2, 0 and 3 decimals). Floats never carry
            money in shipgate: carriers' decimal rupee strings are converted at the adapter edge.
        breakdown (list[Charge]):
        carrier_account (str | Unset): The carrier account that quoted (the carrier id for a carrier's default account);
            book with it as `carrier` to use the same account. Set by the gateway.
        estimated_delivery (datetime.date | None | Unset):
        transit_days (int | None | Unset):
        estimated_delivery_source (EstimateSource | None | Unset):
    """

    carrier: str
    service: str
    service_name: str
    total: Money
    breakdown: list[Charge]
    carrier_account: str | Unset = UNSET
    estimated_delivery: datetime.date | None | Unset = UNSET
    transit_days: int | None | Unset = UNSET
    estimated_delivery_source: EstimateSource | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        carrier = self.carrier

        service = self.service

        service_name = self.service_name

        total = self.total.to_dict()

        breakdown = []
        for breakdown_item_data in self.breakdown:
            breakdown_item = breakdown_item_data.to_dict()
            breakdown.append(breakdown_item)

        carrier_account = self.carrier_account

        estimated_delivery: None | str | Unset
        if isinstance(self.estimated_delivery, Unset):
            estimated_delivery = UNSET
        elif isinstance(self.estimated_delivery, datetime.date):
            estimated_delivery = self.estimated_delivery.isoformat()
        else:
            estimated_delivery = self.estimated_delivery

        transit_days: int | None | Unset
        if isinstance(self.transit_days, Unset):
            transit_days = UNSET
        else:
            transit_days = self.transit_days

        estimated_delivery_source: None | str | Unset
        if isinstance(self.estimated_delivery_source, Unset):
            estimated_delivery_source = UNSET
        elif isinstance(self.estimated_delivery_source, EstimateSource):
            estimated_delivery_source = self.estimated_delivery_source.value
        else:
            estimated_delivery_source = self.estimated_delivery_source

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "carrier": carrier,
                "service": service,
                "service_name": service_name,
                "total": total,
                "breakdown": breakdown,
            }
        )
        if carrier_account is not UNSET:
            field_dict["carrier_account"] = carrier_account
        if estimated_delivery is not UNSET:
            field_dict["estimated_delivery"] = estimated_delivery
        if transit_days is not UNSET:
            field_dict["transit_days"] = transit_days
        if estimated_delivery_source is not UNSET:
            field_dict["estimated_delivery_source"] = estimated_delivery_source

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.charge import Charge  # noqa: PLC0415
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        carrier = d.pop("carrier")

        service = d.pop("service")

        service_name = d.pop("service_name")

        total = Money.from_dict(d.pop("total"))

        breakdown = []
        _breakdown = d.pop("breakdown")
        for breakdown_item_data in _breakdown:
            breakdown_item = Charge.from_dict(breakdown_item_data)

            breakdown.append(breakdown_item)

        carrier_account = d.pop("carrier_account", UNSET)

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

        def _parse_transit_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        transit_days = _parse_transit_days(d.pop("transit_days", UNSET))

        def _parse_estimated_delivery_source(data: object) -> EstimateSource | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                estimated_delivery_source_type_0 = EstimateSource(data)

                return estimated_delivery_source_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EstimateSource | None | Unset, data)

        estimated_delivery_source = _parse_estimated_delivery_source(d.pop("estimated_delivery_source", UNSET))

        rate_quote = cls(
            carrier=carrier,
            service=service,
            service_name=service_name,
            total=total,
            breakdown=breakdown,
            carrier_account=carrier_account,
            estimated_delivery=estimated_delivery,
            transit_days=transit_days,
            estimated_delivery_source=estimated_delivery_source,
        )

        rate_quote.additional_properties = d
        return rate_quote

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
