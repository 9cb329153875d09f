from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.woo_address import WooAddress
    from ..models.woo_package import WooPackage


T = TypeVar("T", bound="WooRateRequest")


@_attrs_define
class WooRateRequest:
    """The plugin's rate request.

    Attributes:
        currency (None | str | Unset): The store currency (`get_woocommerce_currency()`).
        weight_unit (None | str | Unset): `woocommerce_weight_unit`: `kg`, `g`, `lbs` or `oz`.
        dimension_unit (None | str | Unset): `woocommerce_dimension_unit`: `m`, `cm`, `mm`, `in` or `yd`.
        package (None | Unset | WooPackage):
        origin (None | Unset | WooAddress):
    """

    currency: None | str | Unset = UNSET
    weight_unit: None | str | Unset = UNSET
    dimension_unit: None | str | Unset = UNSET
    package: None | Unset | WooPackage = UNSET
    origin: None | Unset | WooAddress = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.woo_address import WooAddress  # noqa: PLC0415
        from ..models.woo_package import WooPackage  # noqa: PLC0415

        currency: None | str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        else:
            currency = self.currency

        weight_unit: None | str | Unset
        if isinstance(self.weight_unit, Unset):
            weight_unit = UNSET
        else:
            weight_unit = self.weight_unit

        dimension_unit: None | str | Unset
        if isinstance(self.dimension_unit, Unset):
            dimension_unit = UNSET
        else:
            dimension_unit = self.dimension_unit

        package: dict[str, Any] | None | Unset
        if isinstance(self.package, Unset):
            package = UNSET
        elif isinstance(self.package, WooPackage):
            package = self.package.to_dict()
        else:
            package = self.package

        origin: dict[str, Any] | None | Unset
        if isinstance(self.origin, Unset):
            origin = UNSET
        elif isinstance(self.origin, WooAddress):
            origin = self.origin.to_dict()
        else:
            origin = self.origin

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if currency is not UNSET:
            field_dict["currency"] = currency
        if weight_unit is not UNSET:
            field_dict["weight_unit"] = weight_unit
        if dimension_unit is not UNSET:
            field_dict["dimension_unit"] = dimension_unit
        if package is not UNSET:
            field_dict["package"] = package
        if origin is not UNSET:
            field_dict["origin"] = origin

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.woo_address import WooAddress  # noqa: PLC0415
        from ..models.woo_package import WooPackage  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_currency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))

        def _parse_weight_unit(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        weight_unit = _parse_weight_unit(d.pop("weight_unit", UNSET))

        def _parse_dimension_unit(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        dimension_unit = _parse_dimension_unit(d.pop("dimension_unit", UNSET))

        def _parse_package(data: object) -> None | Unset | WooPackage:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                package_type_0 = WooPackage.from_dict(data)

                return package_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WooPackage, data)

        package = _parse_package(d.pop("package", UNSET))

        def _parse_origin(data: object) -> None | Unset | WooAddress:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                origin_type_0 = WooAddress.from_dict(data)

                return origin_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WooAddress, data)

        origin = _parse_origin(d.pop("origin", UNSET))

        woo_rate_request = cls(
            currency=currency,
            weight_unit=weight_unit,
            dimension_unit=dimension_unit,
            package=package,
            origin=origin,
        )

        woo_rate_request.additional_properties = d
        return woo_rate_request

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
