from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.family import Family
from ..models.label_format import LabelFormat

if TYPE_CHECKING:
    from ..models.circuit_view import CircuitView
    from ..models.quota_use import QuotaUse


T = TypeVar("T", bound="CarrierInfo")


@_attrs_define
class CarrierInfo:
    """
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
        id (str):
        account (str): The account id (the carrier id for a carrier's default account).
        name (str):
        owner (str): `tenant` for the caller's own account (`/v1/carrier-accounts`), `platform` for one
            the gateway's operator shares.
        circuit (CircuitView): An account's circuit breaker, as this process sees it.
        quota (None | QuotaUse):
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
    id: str
    account: str
    name: str
    owner: str
    circuit: CircuitView
    quota: None | QuotaUse
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.quota_use import QuotaUse  # noqa: PLC0415

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

        id = self.id

        account = self.account

        name = self.name

        owner = self.owner

        circuit = self.circuit.to_dict()

        quota: dict[str, Any] | None
        if isinstance(self.quota, QuotaUse):
            quota = self.quota.to_dict()
        else:
            quota = self.quota

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
                "id": id,
                "account": account,
                "name": name,
                "owner": owner,
                "circuit": circuit,
                "quota": quota,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.circuit_view import CircuitView  # noqa: PLC0415
        from ..models.quota_use import QuotaUse  # noqa: PLC0415

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

        id = d.pop("id")

        account = d.pop("account")

        name = d.pop("name")

        owner = d.pop("owner")

        circuit = CircuitView.from_dict(d.pop("circuit"))

        def _parse_quota(data: object) -> None | QuotaUse:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                quota_type_0 = QuotaUse.from_dict(data)

                return quota_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | QuotaUse, data)

        quota = _parse_quota(d.pop("quota"))

        carrier_info = cls(
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
            id=id,
            account=account,
            name=name,
            owner=owner,
            circuit=circuit,
            quota=quota,
        )

        carrier_info.additional_properties = d
        return carrier_info

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
