from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.outcome import Outcome
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="LineView")


@_attrs_define
class LineView:
    """A remittance line and what it matched.

    Attributes:
        line (int): The line in the file (the header is line 1).
        awb (str):
        utr (str):
        remitted_on (datetime.date): `YYYY-MM-DD`.
        amount (Money): An amount in integer minor units of its currency, as ISO 4217 counts them (paise for
            INR, cents for USD, yen for JPY, fils for KWD: 2, 2, 0 and 3 decimals). Floats never carry
            money in shipgate: carriers' decimal rupee strings are converted at the adapter edge.
        outcome (Outcome): What a remittance line matched.
        shipment_id (None | str | Unset): The shipment the AWB is (null for `unknown_awb` and a duplicate within the
            file).
        carrier_account (None | str | Unset):
        expected (Money | None | Unset):
        detail (None | str | Unset): Why it is not `matched`.
    """

    line: int
    awb: str
    utr: str
    remitted_on: datetime.date
    amount: Money
    outcome: Outcome
    shipment_id: None | str | Unset = UNSET
    carrier_account: None | str | Unset = UNSET
    expected: Money | None | Unset = UNSET
    detail: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money  # noqa: PLC0415

        line = self.line

        awb = self.awb

        utr = self.utr

        remitted_on = self.remitted_on.isoformat()

        amount = self.amount.to_dict()

        outcome = self.outcome.value

        shipment_id: None | str | Unset
        if isinstance(self.shipment_id, Unset):
            shipment_id = UNSET
        else:
            shipment_id = self.shipment_id

        carrier_account: None | str | Unset
        if isinstance(self.carrier_account, Unset):
            carrier_account = UNSET
        else:
            carrier_account = self.carrier_account

        expected: dict[str, Any] | None | Unset
        if isinstance(self.expected, Unset):
            expected = UNSET
        elif isinstance(self.expected, Money):
            expected = self.expected.to_dict()
        else:
            expected = self.expected

        detail: None | str | Unset
        if isinstance(self.detail, Unset):
            detail = UNSET
        else:
            detail = self.detail

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "line": line,
                "awb": awb,
                "utr": utr,
                "remitted_on": remitted_on,
                "amount": amount,
                "outcome": outcome,
            }
        )
        if shipment_id is not UNSET:
            field_dict["shipment_id"] = shipment_id
        if carrier_account is not UNSET:
            field_dict["carrier_account"] = carrier_account
        if expected is not UNSET:
            field_dict["expected"] = expected
        if detail is not UNSET:
            field_dict["detail"] = detail

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        line = d.pop("line")

        awb = d.pop("awb")

        utr = d.pop("utr")

        remitted_on = datetime.date.fromisoformat(d.pop("remitted_on"))

        amount = Money.from_dict(d.pop("amount"))

        outcome = Outcome(d.pop("outcome"))

        def _parse_shipment_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        shipment_id = _parse_shipment_id(d.pop("shipment_id", UNSET))

        def _parse_carrier_account(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        carrier_account = _parse_carrier_account(d.pop("carrier_account", UNSET))

        def _parse_expected(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                expected_type_0 = Money.from_dict(data)

                return expected_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        expected = _parse_expected(d.pop("expected", UNSET))

        def _parse_detail(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        detail = _parse_detail(d.pop("detail", UNSET))

        line_view = cls(
            line=line,
            awb=awb,
            utr=utr,
            remitted_on=remitted_on,
            amount=amount,
            outcome=outcome,
            shipment_id=shipment_id,
            carrier_account=carrier_account,
            expected=expected,
            detail=detail,
        )

        line_view.additional_properties = d
        return line_view

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
