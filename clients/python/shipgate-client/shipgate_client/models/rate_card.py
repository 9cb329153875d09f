from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cod_charge import CodCharge
    from ..models.rate_card_zones import RateCardZones


T = TypeVar("T", bound="RateCard")


@_attrs_define
class RateCard:
    """A validated rate card. Serialises to the JSON form it was (or could have been)
    uploaded as.

        Attributes:
            name (str):
            currency (str): An active ISO 4217 currency code, upper case (see [`Currency::parse`]). Example: INR.
            volumetric_divisor (int):
            first_slab_g (int):
            additional_slab_g (int):
            zones (RateCardZones):
            fuel_surcharge_percent (str): A percentage in basis points (hundredths of a percent), 0 to 100 %. Example: 12.5.
            gst_percent (str): A percentage in basis points (hundredths of a percent), 0 to 100 %. Example: 12.5.
            service (None | str | Unset):
            max_weight_g (int | None | Unset):
            cod (CodCharge | None | Unset):
    """

    name: str
    currency: str
    volumetric_divisor: int
    first_slab_g: int
    additional_slab_g: int
    zones: RateCardZones
    fuel_surcharge_percent: str
    gst_percent: str
    service: None | str | Unset = UNSET
    max_weight_g: int | None | Unset = UNSET
    cod: CodCharge | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.cod_charge import CodCharge  # noqa: PLC0415

        name = self.name

        currency = self.currency

        volumetric_divisor = self.volumetric_divisor

        first_slab_g = self.first_slab_g

        additional_slab_g = self.additional_slab_g

        zones = self.zones.to_dict()

        fuel_surcharge_percent = self.fuel_surcharge_percent

        gst_percent = self.gst_percent

        service: None | str | Unset
        if isinstance(self.service, Unset):
            service = UNSET
        else:
            service = self.service

        max_weight_g: int | None | Unset
        if isinstance(self.max_weight_g, Unset):
            max_weight_g = UNSET
        else:
            max_weight_g = self.max_weight_g

        cod: dict[str, Any] | None | Unset
        if isinstance(self.cod, Unset):
            cod = UNSET
        elif isinstance(self.cod, CodCharge):
            cod = self.cod.to_dict()
        else:
            cod = self.cod

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "currency": currency,
                "volumetric_divisor": volumetric_divisor,
                "first_slab_g": first_slab_g,
                "additional_slab_g": additional_slab_g,
                "zones": zones,
                "fuel_surcharge_percent": fuel_surcharge_percent,
                "gst_percent": gst_percent,
            }
        )
        if service is not UNSET:
            field_dict["service"] = service
        if max_weight_g is not UNSET:
            field_dict["max_weight_g"] = max_weight_g
        if cod is not UNSET:
            field_dict["cod"] = cod

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cod_charge import CodCharge  # noqa: PLC0415
        from ..models.rate_card_zones import RateCardZones  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        currency = d.pop("currency")

        volumetric_divisor = d.pop("volumetric_divisor")

        first_slab_g = d.pop("first_slab_g")

        additional_slab_g = d.pop("additional_slab_g")

        zones = RateCardZones.from_dict(d.pop("zones"))

        fuel_surcharge_percent = d.pop("fuel_surcharge_percent")

        gst_percent = d.pop("gst_percent")

        def _parse_service(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        service = _parse_service(d.pop("service", UNSET))

        def _parse_max_weight_g(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_weight_g = _parse_max_weight_g(d.pop("max_weight_g", UNSET))

        def _parse_cod(data: object) -> CodCharge | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                cod_type_0 = CodCharge.from_dict(data)

                return cod_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CodCharge | None | Unset, data)

        cod = _parse_cod(d.pop("cod", UNSET))

        rate_card = cls(
            name=name,
            currency=currency,
            volumetric_divisor=volumetric_divisor,
            first_slab_g=first_slab_g,
            additional_slab_g=additional_slab_g,
            zones=zones,
            fuel_surcharge_percent=fuel_surcharge_percent,
            gst_percent=gst_percent,
            service=service,
            max_weight_g=max_weight_g,
            cod=cod,
        )

        rate_card.additional_properties = d
        return rate_card

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
