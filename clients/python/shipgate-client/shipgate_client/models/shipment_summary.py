from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.status import Status
from ..models.sub_status import SubStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="ShipmentSummary")


@_attrs_define
class ShipmentSummary:
    """What a payload says about the shipment: where it stands now.

    Attributes:
        id (str):
        order_ref (str):
        carrier (str):
        kind (str): `forward` or `reverse`.
        ndr_attempts (int):
        awb (None | str | Unset):
        status (None | Status | Unset):
        sub_status (None | SubStatus | Unset):
        tracking_token (None | str | Unset): The secret in the buyer's tracking page link (pass it on to the buyer
            only).
        tracking_url (None | str | Unset): The buyer's tracking page: absolute when the gateway's `http.buyer_url` is
            configured, else the path `/t/{tracking_token}`.
    """

    id: str
    order_ref: str
    carrier: str
    kind: str
    ndr_attempts: int
    awb: None | str | Unset = UNSET
    status: None | Status | Unset = UNSET
    sub_status: None | SubStatus | Unset = UNSET
    tracking_token: None | str | Unset = UNSET
    tracking_url: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        order_ref = self.order_ref

        carrier = self.carrier

        kind = self.kind

        ndr_attempts = self.ndr_attempts

        awb: None | str | Unset
        if isinstance(self.awb, Unset):
            awb = UNSET
        else:
            awb = self.awb

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        elif isinstance(self.status, Status):
            status = self.status.value
        else:
            status = self.status

        sub_status: None | str | Unset
        if isinstance(self.sub_status, Unset):
            sub_status = UNSET
        elif isinstance(self.sub_status, SubStatus):
            sub_status = self.sub_status.value
        else:
            sub_status = self.sub_status

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
                "kind": kind,
                "ndr_attempts": ndr_attempts,
            }
        )
        if awb is not UNSET:
            field_dict["awb"] = awb
        if status is not UNSET:
            field_dict["status"] = status
        if sub_status is not UNSET:
            field_dict["sub_status"] = sub_status
        if tracking_token is not UNSET:
            field_dict["tracking_token"] = tracking_token
        if tracking_url is not UNSET:
            field_dict["tracking_url"] = tracking_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        order_ref = d.pop("order_ref")

        carrier = d.pop("carrier")

        kind = d.pop("kind")

        ndr_attempts = d.pop("ndr_attempts")

        def _parse_awb(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        awb = _parse_awb(d.pop("awb", UNSET))

        def _parse_status(data: object) -> None | Status | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_0 = Status(data)

                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Status | Unset, data)

        status = _parse_status(d.pop("status", UNSET))

        def _parse_sub_status(data: object) -> None | SubStatus | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sub_status_type_0 = SubStatus(data)

                return sub_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SubStatus | Unset, data)

        sub_status = _parse_sub_status(d.pop("sub_status", UNSET))

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

        shipment_summary = cls(
            id=id,
            order_ref=order_ref,
            carrier=carrier,
            kind=kind,
            ndr_attempts=ndr_attempts,
            awb=awb,
            status=status,
            sub_status=sub_status,
            tracking_token=tracking_token,
            tracking_url=tracking_url,
        )

        shipment_summary.additional_properties = d
        return shipment_summary

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
