from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cod_input import CodInput
    from ..models.rate_card_input_zones import RateCardInputZones


T = TypeVar("T", bound="RateCardInput")


@_attrs_define
class RateCardInput:
    """A rate card as uploaded. Unknown fields are refused, so a misspelt setting cannot be
    silently ignored.

        Attributes:
            name (str): What the card is, as quotes show it (`service_name`): at most 100 characters,
                surrounding whitespace not counted. Example: Delhivery Surface 2026.
            volumetric_divisor (int): Volumetric weight in grams is length × width × height in millimetres divided by
                this (the usual cm³ / kg divisor: 5000 for most couriers), 1000 to 10000. Example: 5000.
            first_slab_g (int): The first weight slab, in grams, priced at each zone's `first_slab`. Example: 500.
            additional_slab_g (int): Each further slab, in grams, priced at each zone's `additional_slab`. Example: 500.
            zones (RateCardInputZones): Prices per zone (`within_city`, `within_state`, `metro_to_metro`, `rest_of_india`,
                `special`), at least one. A zone left out is not served.
            gst_percent (int | str): A percentage, 0 to 100: a decimal string with at most two decimals (`"12.5"`,
                `"12.50%"`) or a whole number (`18`). Write a fractional percentage as a string, so it is kept exactly.
            service (None | str | Unset): The carrier service this contract prices (`surface`, `apex`, …), for a card
                uploaded under the account of a carrier with no rate API: its quotes then come as
                that carrier's and book this service. Letters, digits, `_` and `-`, 1 to 40. Example: surface.
            currency (None | str | Unset): ISO 4217 code (upper case) of every amount on the card; `INR` when absent or
                empty. Example: INR.
            max_weight_g (int | None | Unset): Heaviest chargeable weight the contract takes, in grams: at least
                `first_slab_g`,
                at most 50000000. No limit when absent.
            cod (CodInput | None | Unset):
            fuel_surcharge_percent (int | None | str | Unset):
    """

    name: str
    volumetric_divisor: int
    first_slab_g: int
    additional_slab_g: int
    zones: RateCardInputZones
    gst_percent: int | str
    service: None | str | Unset = UNSET
    currency: None | str | Unset = UNSET
    max_weight_g: int | None | Unset = UNSET
    cod: CodInput | None | Unset = UNSET
    fuel_surcharge_percent: int | None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.cod_input import CodInput  # noqa: PLC0415

        name = self.name

        volumetric_divisor = self.volumetric_divisor

        first_slab_g = self.first_slab_g

        additional_slab_g = self.additional_slab_g

        zones = self.zones.to_dict()

        gst_percent: int | str
        gst_percent = self.gst_percent

        service: None | str | Unset
        if isinstance(self.service, Unset):
            service = UNSET
        else:
            service = self.service

        currency: None | str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        else:
            currency = self.currency

        max_weight_g: int | None | Unset
        if isinstance(self.max_weight_g, Unset):
            max_weight_g = UNSET
        else:
            max_weight_g = self.max_weight_g

        cod: dict[str, Any] | None | Unset
        if isinstance(self.cod, Unset):
            cod = UNSET
        elif isinstance(self.cod, CodInput):
            cod = self.cod.to_dict()
        else:
            cod = self.cod

        fuel_surcharge_percent: int | None | str | Unset
        if isinstance(self.fuel_surcharge_percent, Unset):
            fuel_surcharge_percent = UNSET
        else:
            fuel_surcharge_percent = self.fuel_surcharge_percent

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "volumetric_divisor": volumetric_divisor,
                "first_slab_g": first_slab_g,
                "additional_slab_g": additional_slab_g,
                "zones": zones,
                "gst_percent": gst_percent,
            }
        )
        if service is not UNSET:
            field_dict["service"] = service
        if currency is not UNSET:
            field_dict["currency"] = currency
        if max_weight_g is not UNSET:
            field_dict["max_weight_g"] = max_weight_g
        if cod is not UNSET:
            field_dict["cod"] = cod
        if fuel_surcharge_percent is not UNSET:
            field_dict["fuel_surcharge_percent"] = fuel_surcharge_percent

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cod_input import CodInput  # noqa: PLC0415
        from ..models.rate_card_input_zones import RateCardInputZones  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        volumetric_divisor = d.pop("volumetric_divisor")

        first_slab_g = d.pop("first_slab_g")

        additional_slab_g = d.pop("additional_slab_g")

        zones = RateCardInputZones.from_dict(d.pop("zones"))

        def _parse_gst_percent(data: object) -> int | str:
            return cast(int | str, data)

        gst_percent = _parse_gst_percent(d.pop("gst_percent"))

        def _parse_service(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        service = _parse_service(d.pop("service", UNSET))

        def _parse_currency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))

        def _parse_max_weight_g(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_weight_g = _parse_max_weight_g(d.pop("max_weight_g", UNSET))

        def _parse_cod(data: object) -> CodInput | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                cod_type_0 = CodInput.from_dict(data)

                return cod_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CodInput | None | Unset, data)

        cod = _parse_cod(d.pop("cod", UNSET))

        def _parse_fuel_surcharge_percent(data: object) -> int | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | str | Unset, data)

        fuel_surcharge_percent = _parse_fuel_surcharge_percent(d.pop("fuel_surcharge_percent", UNSET))

        rate_card_input = cls(
            name=name,
            volumetric_divisor=volumetric_divisor,
            first_slab_g=first_slab_g,
            additional_slab_g=additional_slab_g,
            zones=zones,
            gst_percent=gst_percent,
            service=service,
            currency=currency,
            max_weight_g=max_weight_g,
            cod=cod,
            fuel_surcharge_percent=fuel_surcharge_percent,
        )

        return rate_card_input
