from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="DryRunAlternative")


@_attrs_define
class DryRunAlternative:
    """Another quote the dry run saw.

    Attributes:
        carrier_account (str):
        carrier (str):
        service (str):
        total (Money): An amount in integer minor units of its currency, as ISO 4217 counts them (paise for
            INR, cents for USD, yen for JPY, fils for KWD: 2, 2, 0 and 3 decimals). Floats never carry
            money in shipgate: carriers' decimal rupee strings are converted at the adapter edge.
        fallback (bool): `auto` would try it next if the choice refused the booking.
        estimated_delivery (datetime.date | None | Unset):
    """

    carrier_account: str
    carrier: str
    service: str
    total: Money
    fallback: bool
    estimated_delivery: datetime.date | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        carrier_account = self.carrier_account

        carrier = self.carrier

        service = self.service

        total = self.total.to_dict()

        fallback = self.fallback

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
                "carrier_account": carrier_account,
                "carrier": carrier,
                "service": service,
                "total": total,
                "fallback": fallback,
            }
        )
        if estimated_delivery is not UNSET:
            field_dict["estimated_delivery"] = estimated_delivery

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        carrier_account = d.pop("carrier_account")

        carrier = d.pop("carrier")

        service = d.pop("service")

        total = Money.from_dict(d.pop("total"))

        fallback = d.pop("fallback")

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

        dry_run_alternative = cls(
            carrier_account=carrier_account,
            carrier=carrier,
            service=service,
            total=total,
            fallback=fallback,
            estimated_delivery=estimated_delivery,
        )

        dry_run_alternative.additional_properties = d
        return dry_run_alternative

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
