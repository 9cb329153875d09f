from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="MagentoRateRequest")


@_attrs_define
class MagentoRateRequest:
    """The module's rate request: `RateRequest`'s fields under their own names.

    Attributes:
        dest_country_id (None | str | Unset):
        dest_region_code (None | str | Unset):
        dest_postcode (None | str | Unset):
        dest_city (None | str | Unset):
        dest_street (None | str | Unset):
        orig_country_id (None | str | Unset): The store's shipping origin (Stores > Configuration > Sales > Shipping
            Settings);
            the connection's `origin` when `orig_postcode` is absent.
        orig_region_code (None | str | Unset):
        orig_postcode (None | str | Unset):
        orig_city (None | str | Unset):
        orig_street (None | str | Unset):
        package_weight (float | None | Unset): In `weight_unit`.
        package_value (float | None | Unset): In the base currency (major units).
        package_qty (float | None | Unset):
        weight_unit (None | str | Unset): `general/locale/weight_unit`: `kgs` or `lbs`.
        base_currency (None | str | Unset): The base currency code (`INR`).
        all_items (list[Any] | None | Unset): The quote's items (`sku`, `qty`, `weight`, `price`); informational: the
            package
            fields above are what is priced.
    """

    dest_country_id: None | str | Unset = UNSET
    dest_region_code: None | str | Unset = UNSET
    dest_postcode: None | str | Unset = UNSET
    dest_city: None | str | Unset = UNSET
    dest_street: None | str | Unset = UNSET
    orig_country_id: None | str | Unset = UNSET
    orig_region_code: None | str | Unset = UNSET
    orig_postcode: None | str | Unset = UNSET
    orig_city: None | str | Unset = UNSET
    orig_street: None | str | Unset = UNSET
    package_weight: float | None | Unset = UNSET
    package_value: float | None | Unset = UNSET
    package_qty: float | None | Unset = UNSET
    weight_unit: None | str | Unset = UNSET
    base_currency: None | str | Unset = UNSET
    all_items: list[Any] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dest_country_id: None | str | Unset
        if isinstance(self.dest_country_id, Unset):
            dest_country_id = UNSET
        else:
            dest_country_id = self.dest_country_id

        dest_region_code: None | str | Unset
        if isinstance(self.dest_region_code, Unset):
            dest_region_code = UNSET
        else:
            dest_region_code = self.dest_region_code

        dest_postcode: None | str | Unset
        if isinstance(self.dest_postcode, Unset):
            dest_postcode = UNSET
        else:
            dest_postcode = self.dest_postcode

        dest_city: None | str | Unset
        if isinstance(self.dest_city, Unset):
            dest_city = UNSET
        else:
            dest_city = self.dest_city

        dest_street: None | str | Unset
        if isinstance(self.dest_street, Unset):
            dest_street = UNSET
        else:
            dest_street = self.dest_street

        orig_country_id: None | str | Unset
        if isinstance(self.orig_country_id, Unset):
            orig_country_id = UNSET
        else:
            orig_country_id = self.orig_country_id

        orig_region_code: None | str | Unset
        if isinstance(self.orig_region_code, Unset):
            orig_region_code = UNSET
        else:
            orig_region_code = self.orig_region_code

        orig_postcode: None | str | Unset
        if isinstance(self.orig_postcode, Unset):
            orig_postcode = UNSET
        else:
            orig_postcode = self.orig_postcode

        orig_city: None | str | Unset
        if isinstance(self.orig_city, Unset):
            orig_city = UNSET
        else:
            orig_city = self.orig_city

        orig_street: None | str | Unset
        if isinstance(self.orig_street, Unset):
            orig_street = UNSET
        else:
            orig_street = self.orig_street

        package_weight: float | None | Unset
        if isinstance(self.package_weight, Unset):
            package_weight = UNSET
        else:
            package_weight = self.package_weight

        package_value: float | None | Unset
        if isinstance(self.package_value, Unset):
            package_value = UNSET
        else:
            package_value = self.package_value

        package_qty: float | None | Unset
        if isinstance(self.package_qty, Unset):
            package_qty = UNSET
        else:
            package_qty = self.package_qty

        weight_unit: None | str | Unset
        if isinstance(self.weight_unit, Unset):
            weight_unit = UNSET
        else:
            weight_unit = self.weight_unit

        base_currency: None | str | Unset
        if isinstance(self.base_currency, Unset):
            base_currency = UNSET
        else:
            base_currency = self.base_currency

        all_items: list[Any] | None | Unset
        if isinstance(self.all_items, Unset):
            all_items = UNSET
        elif isinstance(self.all_items, list):
            all_items = self.all_items

        else:
            all_items = self.all_items

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if dest_country_id is not UNSET:
            field_dict["dest_country_id"] = dest_country_id
        if dest_region_code is not UNSET:
            field_dict["dest_region_code"] = dest_region_code
        if dest_postcode is not UNSET:
            field_dict["dest_postcode"] = dest_postcode
        if dest_city is not UNSET:
            field_dict["dest_city"] = dest_city
        if dest_street is not UNSET:
            field_dict["dest_street"] = dest_street
        if orig_country_id is not UNSET:
            field_dict["orig_country_id"] = orig_country_id
        if orig_region_code is not UNSET:
            field_dict["orig_region_code"] = orig_region_code
        if orig_postcode is not UNSET:
            field_dict["orig_postcode"] = orig_postcode
        if orig_city is not UNSET:
            field_dict["orig_city"] = orig_city
        if orig_street is not UNSET:
            field_dict["orig_street"] = orig_street
        if package_weight is not UNSET:
            field_dict["package_weight"] = package_weight
        if package_value is not UNSET:
            field_dict["package_value"] = package_value
        if package_qty is not UNSET:
            field_dict["package_qty"] = package_qty
        if weight_unit is not UNSET:
            field_dict["weight_unit"] = weight_unit
        if base_currency is not UNSET:
            field_dict["base_currency"] = base_currency
        if all_items is not UNSET:
            field_dict["all_items"] = all_items

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_dest_country_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        dest_country_id = _parse_dest_country_id(d.pop("dest_country_id", UNSET))

        def _parse_dest_region_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        dest_region_code = _parse_dest_region_code(d.pop("dest_region_code", UNSET))

        def _parse_dest_postcode(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        dest_postcode = _parse_dest_postcode(d.pop("dest_postcode", UNSET))

        def _parse_dest_city(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        dest_city = _parse_dest_city(d.pop("dest_city", UNSET))

        def _parse_dest_street(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        dest_street = _parse_dest_street(d.pop("dest_street", UNSET))

        def _parse_orig_country_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        orig_country_id = _parse_orig_country_id(d.pop("orig_country_id", UNSET))

        def _parse_orig_region_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        orig_region_code = _parse_orig_region_code(d.pop("orig_region_code", UNSET))

        def _parse_orig_postcode(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        orig_postcode = _parse_orig_postcode(d.pop("orig_postcode", UNSET))

        def _parse_orig_city(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        orig_city = _parse_orig_city(d.pop("orig_city", UNSET))

        def _parse_orig_street(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        orig_street = _parse_orig_street(d.pop("orig_street", UNSET))

        def _parse_package_weight(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        package_weight = _parse_package_weight(d.pop("package_weight", UNSET))

        def _parse_package_value(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        package_value = _parse_package_value(d.pop("package_value", UNSET))

        def _parse_package_qty(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        package_qty = _parse_package_qty(d.pop("package_qty", UNSET))

        def _parse_weight_unit(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        weight_unit = _parse_weight_unit(d.pop("weight_unit", UNSET))

        def _parse_base_currency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        base_currency = _parse_base_currency(d.pop("base_currency", UNSET))

        def _parse_all_items(data: object) -> list[Any] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                all_items_type_0 = cast(list[Any], data)

                return all_items_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Any] | None | Unset, data)

        all_items = _parse_all_items(d.pop("all_items", UNSET))

        magento_rate_request = cls(
            dest_country_id=dest_country_id,
            dest_region_code=dest_region_code,
            dest_postcode=dest_postcode,
            dest_city=dest_city,
            dest_street=dest_street,
            orig_country_id=orig_country_id,
            orig_region_code=orig_region_code,
            orig_postcode=orig_postcode,
            orig_city=orig_city,
            orig_street=orig_street,
            package_weight=package_weight,
            package_value=package_value,
            package_qty=package_qty,
            weight_unit=weight_unit,
            base_currency=base_currency,
            all_items=all_items,
        )

        magento_rate_request.additional_properties = d
        return magento_rate_request

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
