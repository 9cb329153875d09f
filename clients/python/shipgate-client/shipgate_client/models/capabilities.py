from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.family import Family
from ..models.label_format import LabelFormat

T = TypeVar("T", bound="Capabilities")


@_attrs_define
class Capabilities:
    """What a carrier can do. The gateway checks this before calling an operation, so an
    unsupported call is a clear 4xx, not a carrier error. Read it with
    [`Capabilities::of`], which adds the families the adapter implements.

        Attributes:
            rates (bool):
            create_shipment (bool):
            cancel (bool):
            track (bool):
            cod (bool):
            international (bool):
            native_label_formats (list[LabelFormat]): Label formats the carrier itself produces; shipgate renders the
                others.
            own_labels_only (bool): The carrier's labels carry barcodes and routing only it can make (FedEx, UPS, DHL
                Express, USPS: a parcel under a label drawn by anyone else is not carried), so
                shipgate never draws one: a format the carrier neither gave at booking nor
                produces on request is refused, not rendered.
            webhooks (bool): Whether the carrier pushes tracking scans, so shipgate accepts them at
                `POST /v1/carriers/<id>/webhooks` ([`Carrier::parse_webhook`]).
            serviceability (bool): Whether the carrier answers pincode serviceability ([`Carrier::serviceability`]),
                so the gateway can skip it for lanes it does not serve before asking for rates.
            services (list[str]): The service codes the adapter books, for a carrier with no rate API to name them
                in quotes: a tenant's rate card pricing such a carrier names one of these as its
                `service` (`service::rate_cards` in the gateway). Empty where rates name services.
            families (list[Family]): The operation families the adapter implements ([`crate::families`]), filled in by
                [`Capabilities::of`] from the adapter itself: an adapter never lists them.
    """

    rates: bool
    create_shipment: bool
    cancel: bool
    track: bool
    cod: bool
    international: bool
    native_label_formats: list[LabelFormat]
    own_labels_only: bool
    webhooks: bool
    serviceability: bool
    services: list[str]
    families: list[Family]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        rates = self.rates

        create_shipment = self.create_shipment

        cancel = self.cancel

        track = self.track

        cod = self.cod

        international = self.international

        native_label_formats = []
        for native_label_formats_item_data in self.native_label_formats:
            native_label_formats_item = native_label_formats_item_data.value
            native_label_formats.append(native_label_formats_item)

        own_labels_only = self.own_labels_only

        webhooks = self.webhooks

        serviceability = self.serviceability

        services = self.services

        families = []
        for families_item_data in self.families:
            families_item = families_item_data.value
            families.append(families_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "rates": rates,
                "create_shipment": create_shipment,
                "cancel": cancel,
                "track": track,
                "cod": cod,
                "international": international,
                "native_label_formats": native_label_formats,
                "own_labels_only": own_labels_only,
                "webhooks": webhooks,
                "serviceability": serviceability,
                "services": services,
                "families": families,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        rates = d.pop("rates")

        create_shipment = d.pop("create_shipment")

        cancel = d.pop("cancel")

        track = d.pop("track")

        cod = d.pop("cod")

        international = d.pop("international")

        native_label_formats = []
        _native_label_formats = d.pop("native_label_formats")
        for native_label_formats_item_data in _native_label_formats:
            native_label_formats_item = LabelFormat(native_label_formats_item_data)

            native_label_formats.append(native_label_formats_item)

        own_labels_only = d.pop("own_labels_only")

        webhooks = d.pop("webhooks")

        serviceability = d.pop("serviceability")

        services = cast(list[str], d.pop("services"))

        families = []
        _families = d.pop("families")
        for families_item_data in _families:
            families_item = Family(families_item_data)

            families.append(families_item)

        capabilities = cls(
            rates=rates,
            create_shipment=create_shipment,
            cancel=cancel,
            track=track,
            cod=cod,
            international=international,
            native_label_formats=native_label_formats,
            own_labels_only=own_labels_only,
            webhooks=webhooks,
            serviceability=serviceability,
            services=services,
            families=families,
        )

        capabilities.additional_properties = d
        return capabilities

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
