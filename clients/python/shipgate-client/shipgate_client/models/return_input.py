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


T = TypeVar("T", bound="ReturnInput")


@_attrs_define
class ReturnInput:
    """A return of a forward shipment: every field but `reason` defaults from it.

    Attributes:
        reason (ReturnReason): Why the buyer sends the parcel back: shipgate's own small taxonomy, mapped to each
            carrier's words by its adapter.
        comment (None | str | Unset): The buyer's own words, at most 200 characters.
        pickup_from (AddressInput | None | Unset):
        deliver_to (AddressInput | None | Unset):
        parcels (list[ParcelInput] | None | Unset): The parcels collected; the forward shipment's when absent.
        qc (None | QcInput | Unset):
        service (None | str | Unset): A service code of the carrier's; its default when absent.
        label_format (LabelFormat | None | Unset):
    """

    reason: ReturnReason
    comment: None | str | Unset = UNSET
    pickup_from: AddressInput | None | Unset = UNSET
    deliver_to: AddressInput | None | Unset = UNSET
    parcels: list[ParcelInput] | None | Unset = UNSET
    qc: None | QcInput | Unset = UNSET
    service: None | str | Unset = UNSET
    label_format: LabelFormat | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.address_input import AddressInput  # noqa: PLC0415
        from ..models.qc_input import QcInput  # noqa: PLC0415

        reason = self.reason.value

        comment: None | str | Unset
        if isinstance(self.comment, Unset):
            comment = UNSET
        else:
            comment = self.comment

        pickup_from: dict[str, Any] | None | Unset
        if isinstance(self.pickup_from, Unset):
            pickup_from = UNSET
        elif isinstance(self.pickup_from, AddressInput):
            pickup_from = self.pickup_from.to_dict()
        else:
            pickup_from = self.pickup_from

        deliver_to: dict[str, Any] | None | Unset
        if isinstance(self.deliver_to, Unset):
            deliver_to = UNSET
        elif isinstance(self.deliver_to, AddressInput):
            deliver_to = self.deliver_to.to_dict()
        else:
            deliver_to = self.deliver_to

        parcels: list[dict[str, Any]] | None | Unset
        if isinstance(self.parcels, Unset):
            parcels = UNSET
        elif isinstance(self.parcels, list):
            parcels = []
            for parcels_type_0_item_data in self.parcels:
                parcels_type_0_item = parcels_type_0_item_data.to_dict()
                parcels.append(parcels_type_0_item)

        else:
            parcels = self.parcels

        qc: dict[str, Any] | None | Unset
        if isinstance(self.qc, Unset):
            qc = UNSET
        elif isinstance(self.qc, QcInput):
            qc = self.qc.to_dict()
        else:
            qc = self.qc

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

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "reason": reason,
            }
        )
        if comment is not UNSET:
            field_dict["comment"] = comment
        if pickup_from is not UNSET:
            field_dict["pickup_from"] = pickup_from
        if deliver_to is not UNSET:
            field_dict["deliver_to"] = deliver_to
        if parcels is not UNSET:
            field_dict["parcels"] = parcels
        if qc is not UNSET:
            field_dict["qc"] = qc
        if service is not UNSET:
            field_dict["service"] = service
        if label_format is not UNSET:
            field_dict["label_format"] = label_format

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.address_input import AddressInput  # noqa: PLC0415
        from ..models.parcel_input import ParcelInput  # noqa: PLC0415
        from ..models.qc_input import QcInput  # noqa: PLC0415

        d = dict(src_dict)
        reason = ReturnReason(d.pop("reason"))

        def _parse_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comment = _parse_comment(d.pop("comment", UNSET))

        def _parse_pickup_from(data: object) -> AddressInput | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                pickup_from_type_0 = AddressInput.from_dict(data)

                return pickup_from_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AddressInput | None | Unset, data)

        pickup_from = _parse_pickup_from(d.pop("pickup_from", UNSET))

        def _parse_deliver_to(data: object) -> AddressInput | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                deliver_to_type_0 = AddressInput.from_dict(data)

                return deliver_to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AddressInput | None | Unset, data)

        deliver_to = _parse_deliver_to(d.pop("deliver_to", UNSET))

        def _parse_parcels(data: object) -> list[ParcelInput] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                parcels_type_0 = []
                _parcels_type_0 = data
                for parcels_type_0_item_data in _parcels_type_0:
                    parcels_type_0_item = ParcelInput.from_dict(parcels_type_0_item_data)

                    parcels_type_0.append(parcels_type_0_item)

                return parcels_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ParcelInput] | None | Unset, data)

        parcels = _parse_parcels(d.pop("parcels", UNSET))

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

        return_input = cls(
            reason=reason,
            comment=comment,
            pickup_from=pickup_from,
            deliver_to=deliver_to,
            parcels=parcels,
            qc=qc,
            service=service,
            label_format=label_format,
        )

        return return_input
