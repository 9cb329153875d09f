from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.payment_mode import PaymentMode
from ..models.zone import Zone
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.range_input import RangeInput


T = TypeVar("T", bound="ConditionsInput")


@_attrs_define
class ConditionsInput:
    """Conditions on a request. A list given is never empty and has at most 200 entries
    (tags: 20).

        Attributes:
            zones (list[Zone] | None | Unset): Any of these zones, decided from the two PIN codes.
            dest_states (list[str] | None | Unset): Any of these destination states, as ISO 3166-2:IN codes (`KA`, `MH`,
                `AS`…; either case).
            dest_pincodes (list[str] | None | Unset): Any of these destination PIN codes or inclusive ranges (`"560001"`,
                `"560001-560099"`).
            weight_g (None | RangeInput | Unset):
            longest_side_mm (None | RangeInput | Unset):
            volume_cm3 (None | RangeInput | Unset):
            payment_mode (None | PaymentMode | Unset):
            cod_amount (None | RangeInput | Unset):
            declared_value (None | RangeInput | Unset):
            tags_any (list[str] | None | Unset): The order has at least one of these tags.
            tags_all (list[str] | None | Unset): The order has all of these tags.
            tags_none (list[str] | None | Unset): The order has none of these tags.
            deliver_within_days (None | RangeInput | Unset):
    """

    zones: list[Zone] | None | Unset = UNSET
    dest_states: list[str] | None | Unset = UNSET
    dest_pincodes: list[str] | None | Unset = UNSET
    weight_g: None | RangeInput | Unset = UNSET
    longest_side_mm: None | RangeInput | Unset = UNSET
    volume_cm3: None | RangeInput | Unset = UNSET
    payment_mode: None | PaymentMode | Unset = UNSET
    cod_amount: None | RangeInput | Unset = UNSET
    declared_value: None | RangeInput | Unset = UNSET
    tags_any: list[str] | None | Unset = UNSET
    tags_all: list[str] | None | Unset = UNSET
    tags_none: list[str] | None | Unset = UNSET
    deliver_within_days: None | RangeInput | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.range_input import RangeInput  # noqa: PLC0415

        zones: list[str] | None | Unset
        if isinstance(self.zones, Unset):
            zones = UNSET
        elif isinstance(self.zones, list):
            zones = []
            for zones_type_0_item_data in self.zones:
                zones_type_0_item = zones_type_0_item_data.value
                zones.append(zones_type_0_item)

        else:
            zones = self.zones

        dest_states: list[str] | None | Unset
        if isinstance(self.dest_states, Unset):
            dest_states = UNSET
        elif isinstance(self.dest_states, list):
            dest_states = self.dest_states

        else:
            dest_states = self.dest_states

        dest_pincodes: list[str] | None | Unset
        if isinstance(self.dest_pincodes, Unset):
            dest_pincodes = UNSET
        elif isinstance(self.dest_pincodes, list):
            dest_pincodes = self.dest_pincodes

        else:
            dest_pincodes = self.dest_pincodes

        weight_g: dict[str, Any] | None | Unset
        if isinstance(self.weight_g, Unset):
            weight_g = UNSET
        elif isinstance(self.weight_g, RangeInput):
            weight_g = self.weight_g.to_dict()
        else:
            weight_g = self.weight_g

        longest_side_mm: dict[str, Any] | None | Unset
        if isinstance(self.longest_side_mm, Unset):
            longest_side_mm = UNSET
        elif isinstance(self.longest_side_mm, RangeInput):
            longest_side_mm = self.longest_side_mm.to_dict()
        else:
            longest_side_mm = self.longest_side_mm

        volume_cm3: dict[str, Any] | None | Unset
        if isinstance(self.volume_cm3, Unset):
            volume_cm3 = UNSET
        elif isinstance(self.volume_cm3, RangeInput):
            volume_cm3 = self.volume_cm3.to_dict()
        else:
            volume_cm3 = self.volume_cm3

        payment_mode: None | str | Unset
        if isinstance(self.payment_mode, Unset):
            payment_mode = UNSET
        elif isinstance(self.payment_mode, PaymentMode):
            payment_mode = self.payment_mode.value
        else:
            payment_mode = self.payment_mode

        cod_amount: dict[str, Any] | None | Unset
        if isinstance(self.cod_amount, Unset):
            cod_amount = UNSET
        elif isinstance(self.cod_amount, RangeInput):
            cod_amount = self.cod_amount.to_dict()
        else:
            cod_amount = self.cod_amount

        declared_value: dict[str, Any] | None | Unset
        if isinstance(self.declared_value, Unset):
            declared_value = UNSET
        elif isinstance(self.declared_value, RangeInput):
            declared_value = self.declared_value.to_dict()
        else:
            declared_value = self.declared_value

        tags_any: list[str] | None | Unset
        if isinstance(self.tags_any, Unset):
            tags_any = UNSET
        elif isinstance(self.tags_any, list):
            tags_any = self.tags_any

        else:
            tags_any = self.tags_any

        tags_all: list[str] | None | Unset
        if isinstance(self.tags_all, Unset):
            tags_all = UNSET
        elif isinstance(self.tags_all, list):
            tags_all = self.tags_all

        else:
            tags_all = self.tags_all

        tags_none: list[str] | None | Unset
        if isinstance(self.tags_none, Unset):
            tags_none = UNSET
        elif isinstance(self.tags_none, list):
            tags_none = self.tags_none

        else:
            tags_none = self.tags_none

        deliver_within_days: dict[str, Any] | None | Unset
        if isinstance(self.deliver_within_days, Unset):
            deliver_within_days = UNSET
        elif isinstance(self.deliver_within_days, RangeInput):
            deliver_within_days = self.deliver_within_days.to_dict()
        else:
            deliver_within_days = self.deliver_within_days

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if zones is not UNSET:
            field_dict["zones"] = zones
        if dest_states is not UNSET:
            field_dict["dest_states"] = dest_states
        if dest_pincodes is not UNSET:
            field_dict["dest_pincodes"] = dest_pincodes
        if weight_g is not UNSET:
            field_dict["weight_g"] = weight_g
        if longest_side_mm is not UNSET:
            field_dict["longest_side_mm"] = longest_side_mm
        if volume_cm3 is not UNSET:
            field_dict["volume_cm3"] = volume_cm3
        if payment_mode is not UNSET:
            field_dict["payment_mode"] = payment_mode
        if cod_amount is not UNSET:
            field_dict["cod_amount"] = cod_amount
        if declared_value is not UNSET:
            field_dict["declared_value"] = declared_value
        if tags_any is not UNSET:
            field_dict["tags_any"] = tags_any
        if tags_all is not UNSET:
            field_dict["tags_all"] = tags_all
        if tags_none is not UNSET:
            field_dict["tags_none"] = tags_none
        if deliver_within_days is not UNSET:
            field_dict["deliver_within_days"] = deliver_within_days

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.range_input import RangeInput  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_zones(data: object) -> list[Zone] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                zones_type_0 = []
                _zones_type_0 = data
                for zones_type_0_item_data in _zones_type_0:
                    zones_type_0_item = Zone(zones_type_0_item_data)

                    zones_type_0.append(zones_type_0_item)

                return zones_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Zone] | None | Unset, data)

        zones = _parse_zones(d.pop("zones", UNSET))

        def _parse_dest_states(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                dest_states_type_0 = cast(list[str], data)

                return dest_states_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        dest_states = _parse_dest_states(d.pop("dest_states", UNSET))

        def _parse_dest_pincodes(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                dest_pincodes_type_0 = cast(list[str], data)

                return dest_pincodes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        dest_pincodes = _parse_dest_pincodes(d.pop("dest_pincodes", UNSET))

        def _parse_weight_g(data: object) -> None | RangeInput | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                weight_g_type_0 = RangeInput.from_dict(data)

                return weight_g_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RangeInput | Unset, data)

        weight_g = _parse_weight_g(d.pop("weight_g", UNSET))

        def _parse_longest_side_mm(data: object) -> None | RangeInput | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                longest_side_mm_type_0 = RangeInput.from_dict(data)

                return longest_side_mm_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RangeInput | Unset, data)

        longest_side_mm = _parse_longest_side_mm(d.pop("longest_side_mm", UNSET))

        def _parse_volume_cm3(data: object) -> None | RangeInput | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                volume_cm3_type_0 = RangeInput.from_dict(data)

                return volume_cm3_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RangeInput | Unset, data)

        volume_cm3 = _parse_volume_cm3(d.pop("volume_cm3", UNSET))

        def _parse_payment_mode(data: object) -> None | PaymentMode | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                payment_mode_type_0 = PaymentMode(data)

                return payment_mode_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PaymentMode | Unset, data)

        payment_mode = _parse_payment_mode(d.pop("payment_mode", UNSET))

        def _parse_cod_amount(data: object) -> None | RangeInput | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                cod_amount_type_0 = RangeInput.from_dict(data)

                return cod_amount_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RangeInput | Unset, data)

        cod_amount = _parse_cod_amount(d.pop("cod_amount", UNSET))

        def _parse_declared_value(data: object) -> None | RangeInput | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                declared_value_type_0 = RangeInput.from_dict(data)

                return declared_value_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RangeInput | Unset, data)

        declared_value = _parse_declared_value(d.pop("declared_value", UNSET))

        def _parse_tags_any(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tags_any_type_0 = cast(list[str], data)

                return tags_any_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        tags_any = _parse_tags_any(d.pop("tags_any", UNSET))

        def _parse_tags_all(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tags_all_type_0 = cast(list[str], data)

                return tags_all_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        tags_all = _parse_tags_all(d.pop("tags_all", UNSET))

        def _parse_tags_none(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tags_none_type_0 = cast(list[str], data)

                return tags_none_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        tags_none = _parse_tags_none(d.pop("tags_none", UNSET))

        def _parse_deliver_within_days(data: object) -> None | RangeInput | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                deliver_within_days_type_0 = RangeInput.from_dict(data)

                return deliver_within_days_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RangeInput | Unset, data)

        deliver_within_days = _parse_deliver_within_days(d.pop("deliver_within_days", UNSET))

        conditions_input = cls(
            zones=zones,
            dest_states=dest_states,
            dest_pincodes=dest_pincodes,
            weight_g=weight_g,
            longest_side_mm=longest_side_mm,
            volume_cm3=volume_cm3,
            payment_mode=payment_mode,
            cod_amount=cod_amount,
            declared_value=declared_value,
            tags_any=tags_any,
            tags_all=tags_all,
            tags_none=tags_none,
            deliver_within_days=deliver_within_days,
        )

        return conditions_input
