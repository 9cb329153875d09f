from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.woo_address import WooAddress
    from ..models.woo_line import WooLine


T = TypeVar("T", bound="WooPackage")


@_attrs_define
class WooPackage:
    """
    Attributes:
        contents (list[WooLine] | None | Unset):
        contents_cost (None | str | Unset): The lines' total in the store currency (major units).
        destination (None | Unset | WooAddress):
    """

    contents: list[WooLine] | None | Unset = UNSET
    contents_cost: None | str | Unset = UNSET
    destination: None | Unset | WooAddress = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.woo_address import WooAddress  # noqa: PLC0415

        contents: list[dict[str, Any]] | None | Unset
        if isinstance(self.contents, Unset):
            contents = UNSET
        elif isinstance(self.contents, list):
            contents = []
            for contents_type_0_item_data in self.contents:
                contents_type_0_item = contents_type_0_item_data.to_dict()
                contents.append(contents_type_0_item)

        else:
            contents = self.contents

        contents_cost: None | str | Unset
        if isinstance(self.contents_cost, Unset):
            contents_cost = UNSET
        else:
            contents_cost = self.contents_cost

        destination: dict[str, Any] | None | Unset
        if isinstance(self.destination, Unset):
            destination = UNSET
        elif isinstance(self.destination, WooAddress):
            destination = self.destination.to_dict()
        else:
            destination = self.destination

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if contents is not UNSET:
            field_dict["contents"] = contents
        if contents_cost is not UNSET:
            field_dict["contents_cost"] = contents_cost
        if destination is not UNSET:
            field_dict["destination"] = destination

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.woo_address import WooAddress  # noqa: PLC0415
        from ..models.woo_line import WooLine  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_contents(data: object) -> list[WooLine] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                contents_type_0 = []
                _contents_type_0 = data
                for contents_type_0_item_data in _contents_type_0:
                    contents_type_0_item = WooLine.from_dict(contents_type_0_item_data)

                    contents_type_0.append(contents_type_0_item)

                return contents_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[WooLine] | None | Unset, data)

        contents = _parse_contents(d.pop("contents", UNSET))

        def _parse_contents_cost(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        contents_cost = _parse_contents_cost(d.pop("contents_cost", UNSET))

        def _parse_destination(data: object) -> None | Unset | WooAddress:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                destination_type_0 = WooAddress.from_dict(data)

                return destination_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WooAddress, data)

        destination = _parse_destination(d.pop("destination", UNSET))

        woo_package = cls(
            contents=contents,
            contents_cost=contents_cost,
            destination=destination,
        )

        woo_package.additional_properties = d
        return woo_package

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
