from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.address_input import AddressInput
    from ..models.default_parcel import DefaultParcel
    from ..models.markup import Markup


T = TypeVar("T", bound="StorefrontSettings")


@_attrs_define
class StorefrontSettings:
    """A connection's settings (stored as JSON beside it).

    Attributes:
        shop_domain (None | str | Unset): The shop's domain (`example.myshopify.com`): a Shopify request naming another
            shop
            in `X-Shopify-Shop-Domain` is refused.
        origin (AddressInput | None | Unset):
        default_parcel (DefaultParcel | None | Unset):
        services (list[str] | None | Unset): Offer only these: carrier ids, carrier account ids, or `<carrier or
            account>:<service>`.
            Every candidate when absent.
        markup (Markup | None | Unset):
    """

    shop_domain: None | str | Unset = UNSET
    origin: AddressInput | None | Unset = UNSET
    default_parcel: DefaultParcel | None | Unset = UNSET
    services: list[str] | None | Unset = UNSET
    markup: Markup | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.address_input import AddressInput  # noqa: PLC0415
        from ..models.default_parcel import DefaultParcel  # noqa: PLC0415
        from ..models.markup import Markup  # noqa: PLC0415

        shop_domain: None | str | Unset
        if isinstance(self.shop_domain, Unset):
            shop_domain = UNSET
        else:
            shop_domain = self.shop_domain

        origin: dict[str, Any] | None | Unset
        if isinstance(self.origin, Unset):
            origin = UNSET
        elif isinstance(self.origin, AddressInput):
            origin = self.origin.to_dict()
        else:
            origin = self.origin

        default_parcel: dict[str, Any] | None | Unset
        if isinstance(self.default_parcel, Unset):
            default_parcel = UNSET
        elif isinstance(self.default_parcel, DefaultParcel):
            default_parcel = self.default_parcel.to_dict()
        else:
            default_parcel = self.default_parcel

        services: list[str] | None | Unset
        if isinstance(self.services, Unset):
            services = UNSET
        elif isinstance(self.services, list):
            services = self.services

        else:
            services = self.services

        markup: dict[str, Any] | None | Unset
        if isinstance(self.markup, Unset):
            markup = UNSET
        elif isinstance(self.markup, Markup):
            markup = self.markup.to_dict()
        else:
            markup = self.markup

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if shop_domain is not UNSET:
            field_dict["shop_domain"] = shop_domain
        if origin is not UNSET:
            field_dict["origin"] = origin
        if default_parcel is not UNSET:
            field_dict["default_parcel"] = default_parcel
        if services is not UNSET:
            field_dict["services"] = services
        if markup is not UNSET:
            field_dict["markup"] = markup

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.address_input import AddressInput  # noqa: PLC0415
        from ..models.default_parcel import DefaultParcel  # noqa: PLC0415
        from ..models.markup import Markup  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_shop_domain(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        shop_domain = _parse_shop_domain(d.pop("shop_domain", UNSET))

        def _parse_origin(data: object) -> AddressInput | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                origin_type_0 = AddressInput.from_dict(data)

                return origin_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AddressInput | None | Unset, data)

        origin = _parse_origin(d.pop("origin", UNSET))

        def _parse_default_parcel(data: object) -> DefaultParcel | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                default_parcel_type_0 = DefaultParcel.from_dict(data)

                return default_parcel_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DefaultParcel | None | Unset, data)

        default_parcel = _parse_default_parcel(d.pop("default_parcel", UNSET))

        def _parse_services(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                services_type_0 = cast(list[str], data)

                return services_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        services = _parse_services(d.pop("services", UNSET))

        def _parse_markup(data: object) -> Markup | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                markup_type_0 = Markup.from_dict(data)

                return markup_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Markup | None | Unset, data)

        markup = _parse_markup(d.pop("markup", UNSET))

        storefront_settings = cls(
            shop_domain=shop_domain,
            origin=origin,
            default_parcel=default_parcel,
            services=services,
            markup=markup,
        )

        storefront_settings.additional_properties = d
        return storefront_settings

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
