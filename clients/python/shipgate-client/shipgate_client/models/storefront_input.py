from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.address_input import AddressInput
    from ..models.default_parcel import DefaultParcel
    from ..models.markup import Markup


T = TypeVar("T", bound="StorefrontInput")


@_attrs_define
class StorefrontInput:
    """A new connection.

    Attributes:
        platform (None | str | Unset): `shopify`, `woocommerce` or `magento`. Example: shopify.
        name (None | str | Unset): 1 to 100 characters (Magento shows it as the carrier's title). Example: Main shop.
        shop_domain (None | str | Unset): Shopify: the shop's `*.myshopify.com` domain.
        secret (None | str | Unset): Shopify: the app's client secret, which Shopify signs rate requests with
            (required). WooCommerce, Magento: leave out and shipgate makes one (shown once).
        origin (AddressInput | None | Unset):
        default_parcel (DefaultParcel | None | Unset):
        services (list[str] | None | Unset): Offer only these: carrier ids, carrier account ids, or `<carrier or
            account>:<service>`.
        markup (Markup | None | Unset):
    """

    platform: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    shop_domain: None | str | Unset = UNSET
    secret: None | str | Unset = UNSET
    origin: AddressInput | None | Unset = UNSET
    default_parcel: DefaultParcel | None | Unset = UNSET
    services: list[str] | None | Unset = UNSET
    markup: Markup | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.address_input import AddressInput  # noqa: PLC0415
        from ..models.default_parcel import DefaultParcel  # noqa: PLC0415
        from ..models.markup import Markup  # noqa: PLC0415

        platform: None | str | Unset
        if isinstance(self.platform, Unset):
            platform = UNSET
        else:
            platform = self.platform

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        shop_domain: None | str | Unset
        if isinstance(self.shop_domain, Unset):
            shop_domain = UNSET
        else:
            shop_domain = self.shop_domain

        secret: None | str | Unset
        if isinstance(self.secret, Unset):
            secret = UNSET
        else:
            secret = self.secret

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

        field_dict.update({})
        if platform is not UNSET:
            field_dict["platform"] = platform
        if name is not UNSET:
            field_dict["name"] = name
        if shop_domain is not UNSET:
            field_dict["shop_domain"] = shop_domain
        if secret is not UNSET:
            field_dict["secret"] = secret
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

        def _parse_platform(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        platform = _parse_platform(d.pop("platform", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_shop_domain(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        shop_domain = _parse_shop_domain(d.pop("shop_domain", UNSET))

        def _parse_secret(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        secret = _parse_secret(d.pop("secret", UNSET))

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

        storefront_input = cls(
            platform=platform,
            name=name,
            shop_domain=shop_domain,
            secret=secret,
            origin=origin,
            default_parcel=default_parcel,
            services=services,
            markup=markup,
        )

        return storefront_input
