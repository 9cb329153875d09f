from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="QcInput")


@_attrs_define
class QcInput:
    """What the courier checks at the buyer's door before taking the parcel.

    Attributes:
        product_name (str): The product expected, at most 100 characters.
        brand (None | str | Unset):
        image_url (None | str | Unset): An `http(s)` picture of the product as sold.
        color (None | str | Unset):
        size (None | str | Unset):
    """

    product_name: str
    brand: None | str | Unset = UNSET
    image_url: None | str | Unset = UNSET
    color: None | str | Unset = UNSET
    size: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        product_name = self.product_name

        brand: None | str | Unset
        if isinstance(self.brand, Unset):
            brand = UNSET
        else:
            brand = self.brand

        image_url: None | str | Unset
        if isinstance(self.image_url, Unset):
            image_url = UNSET
        else:
            image_url = self.image_url

        color: None | str | Unset
        if isinstance(self.color, Unset):
            color = UNSET
        else:
            color = self.color

        size: None | str | Unset
        if isinstance(self.size, Unset):
            size = UNSET
        else:
            size = self.size

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "product_name": product_name,
            }
        )
        if brand is not UNSET:
            field_dict["brand"] = brand
        if image_url is not UNSET:
            field_dict["image_url"] = image_url
        if color is not UNSET:
            field_dict["color"] = color
        if size is not UNSET:
            field_dict["size"] = size

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        product_name = d.pop("product_name")

        def _parse_brand(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        brand = _parse_brand(d.pop("brand", UNSET))

        def _parse_image_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        image_url = _parse_image_url(d.pop("image_url", UNSET))

        def _parse_color(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        color = _parse_color(d.pop("color", UNSET))

        def _parse_size(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        size = _parse_size(d.pop("size", UNSET))

        qc_input = cls(
            product_name=product_name,
            brand=brand,
            image_url=image_url,
            color=color,
            size=size,
        )

        return qc_input
