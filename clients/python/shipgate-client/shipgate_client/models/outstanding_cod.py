from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="OutstandingCod")


@_attrs_define
class OutstandingCod:
    """A delivered COD shipment no remittance paid yet.

    Attributes:
        shipment_id (str):
        order_ref (str):
        carrier (str):
        carrier_account (str):
        cod_amount (Money): An amount in integer minor units of its currency, as ISO 4217 counts them (paise for
            INR, cents for USD, yen for JPY, fils for KWD: 2, 2, 0 and 3 decimals). Floats never carry
            money in shipgate: carriers' decimal rupee strings are converted at the adapter edge.
        delivered_at (datetime.datetime): The first delivered scan (carrier time).
        age_days (int): Whole days since delivery.
        remittance_days (int):
        due_at (datetime.datetime): When the carrier should have paid it by.
        overdue (bool):
        awb (None | str | Unset):
    """

    shipment_id: str
    order_ref: str
    carrier: str
    carrier_account: str
    cod_amount: Money
    delivered_at: datetime.datetime
    age_days: int
    remittance_days: int
    due_at: datetime.datetime
    overdue: bool
    awb: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        shipment_id = self.shipment_id

        order_ref = self.order_ref

        carrier = self.carrier

        carrier_account = self.carrier_account

        cod_amount = self.cod_amount.to_dict()

        delivered_at = self.delivered_at.isoformat()

        age_days = self.age_days

        remittance_days = self.remittance_days

        due_at = self.due_at.isoformat()

        overdue = self.overdue

        awb: None | str | Unset
        if isinstance(self.awb, Unset):
            awb = UNSET
        else:
            awb = self.awb

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "shipment_id": shipment_id,
                "order_ref": order_ref,
                "carrier": carrier,
                "carrier_account": carrier_account,
                "cod_amount": cod_amount,
                "delivered_at": delivered_at,
                "age_days": age_days,
                "remittance_days": remittance_days,
                "due_at": due_at,
                "overdue": overdue,
            }
        )
        if awb is not UNSET:
            field_dict["awb"] = awb

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        shipment_id = d.pop("shipment_id")

        order_ref = d.pop("order_ref")

        carrier = d.pop("carrier")

        carrier_account = d.pop("carrier_account")

        cod_amount = Money.from_dict(d.pop("cod_amount"))

        delivered_at = datetime.datetime.fromisoformat(d.pop("delivered_at"))

        age_days = d.pop("age_days")

        remittance_days = d.pop("remittance_days")

        due_at = datetime.datetime.fromisoformat(d.pop("due_at"))

        overdue = d.pop("overdue")

        def _parse_awb(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        awb = _parse_awb(d.pop("awb", UNSET))

        outstanding_cod = cls(
            shipment_id=shipment_id,
            order_ref=order_ref,
            carrier=carrier,
            carrier_account=carrier_account,
            cod_amount=cod_amount,
            delivered_at=delivered_at,
            age_days=age_days,
            remittance_days=remittance_days,
            due_at=due_at,
            overdue=overdue,
            awb=awb,
        )

        outstanding_cod.additional_properties = d
        return outstanding_cod

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
