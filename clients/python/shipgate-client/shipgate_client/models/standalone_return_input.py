from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.label_format import LabelFormat
from ..models.return_reason import ReturnReason
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.address_input import AddressInput
    from ..models.parcel_input import ParcelInput
    from ..models.qc_input import QcInput


T = TypeVar("T", bound="StandaloneReturnInput")


@_attrs_define
class StandaloneReturnInput:
    """A return without a forward shipment in shipgate: everything is named.

    Attributes:
        order_ref (str): The OMS's order reference the return belongs to (as for a booking). Example: ORD-1001.
        carrier (str): A carrier id (`delhivery`, `shiprocket`) or one of the tenant's carrier accounts;
            not `auto`. Example: shiprocket.
        reason (ReturnReason): Why the buyer sends the parcel back: shipgate's own small taxonomy, mapped to each
            carrier's words by its adapter.
        pickup_from (AddressInput): An address as the OMS sends it. Text is trimmed before it is checked, so the lengths
            count the text without surrounding whitespace.
        deliver_to (AddressInput): An address as the OMS sends it. Text is trimmed before it is checked, so the lengths
            count the text without surrounding whitespace.
        parcels (list[ParcelInput]):
        service (None | str | Unset):
        comment (None | str | Unset):
        qc (None | QcInput | Unset):
        label_format (LabelFormat | None | Unset):
    """

    order_ref: str
    carrier: str
    reason: ReturnReason
    pickup_from: AddressInput
    deliver_to: AddressInput
    parcels: list[ParcelInput]
    service: None | str | Unset = UNSET
    comment: None | str | Unset = UNSET
    qc: None | QcInput | Unset = UNSET
    label_format: LabelFormat | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.qc_input import QcInput  # noqa: PLC0415

        order_ref = self.order_ref

        carrier = self.carrier

        reason = self.reason.value

        pickup_from = self.pickup_from.to_dict()

        deliver_to = self.deliver_to.to_dict()

        parcels = []
        for parcels_item_data in self.parcels:
            parcels_item = parcels_item_data.to_dict()
            parcels.append(parcels_item)

        service: None | str | Unset
        if isinstance(self.service, Unset):
            service = UNSET
        else:
            service = self.service

        comment: None | str | Unset
        if isinstance(self.comment, Unset):
            comment = UNSET
        else:
            comment = self.comment

        qc: dict[str, Any] | None | Unset
        if isinstance(self.qc, Unset):
            qc = UNSET
        elif isinstance(self.qc, QcInput):
            qc = self.qc.to_dict()
        else:
            qc = self.qc

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
                "order_ref": order_ref,
                "carrier": carrier,
                "reason": reason,
                "pickup_from": pickup_from,
                "deliver_to": deliver_to,
                "parcels": parcels,
            }
        )
        if service is not UNSET:
            field_dict["service"] = service
        if comment is not UNSET:
            field_dict["comment"] = comment
        if qc is not UNSET:
            field_dict["qc"] = qc
        if label_format is not UNSET:
            field_dict["label_format"] = label_format

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.address_input import AddressInput  # noqa: PLC0415
        from ..models.parcel_input import ParcelInput  # noqa: PLC0415
        from ..models.qc_input import QcInput  # noqa: PLC0415

        d = dict(src_dict)
        order_ref = d.pop("order_ref")

        carrier = d.pop("carrier")

        reason = ReturnReason(d.pop("reason"))

        pickup_from = AddressInput.from_dict(d.pop("pickup_from"))

        deliver_to = AddressInput.from_dict(d.pop("deliver_to"))

        parcels = []
        _parcels = d.pop("parcels")
        for parcels_item_data in _parcels:
            parcels_item = ParcelInput.from_dict(parcels_item_data)

            parcels.append(parcels_item)

        def _parse_service(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        service = _parse_service(d.pop("service", UNSET))

        def _parse_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comment = _parse_comment(d.pop("comment", UNSET))

        def _parse_qc(data: object) -> None | QcInput | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                qc_type_0 = QcInput.from_dict(data)

                return qc_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | QcInput | Unset, data)

        qc = _parse_qc(d.pop("qc", UNSET))

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

        standalone_return_input = cls(
            order_ref=order_ref,
            carrier=carrier,
            reason=reason,
            pickup_from=pickup_from,
            deliver_to=deliver_to,
            parcels=parcels,
            service=service,
            comment=comment,
            qc=qc,
            label_format=label_format,
        )

        return standalone_return_input
