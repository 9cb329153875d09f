from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="BrandingView")


@_attrs_define
class BrandingView:
    """A tenant's branding.

    Attributes:
        display_name (None | str | Unset):
        logo (None | str | Unset): The logo's bytes as standard base64.
        logo_content_type (None | str | Unset): `image/png`, `image/jpeg` or `image/webp`.
        primary_color (None | str | Unset):
        accent_color (None | str | Unset):
        support_email (None | str | Unset):
        support_phone (None | str | Unset):
        updated_at (datetime.datetime | None | Unset): When it was last set; null when never.
    """

    display_name: None | str | Unset = UNSET
    logo: None | str | Unset = UNSET
    logo_content_type: None | str | Unset = UNSET
    primary_color: None | str | Unset = UNSET
    accent_color: None | str | Unset = UNSET
    support_email: None | str | Unset = UNSET
    support_phone: None | str | Unset = UNSET
    updated_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        display_name: None | str | Unset
        if isinstance(self.display_name, Unset):
            display_name = UNSET
        else:
            display_name = self.display_name

        logo: None | str | Unset
        if isinstance(self.logo, Unset):
            logo = UNSET
        else:
            logo = self.logo

        logo_content_type: None | str | Unset
        if isinstance(self.logo_content_type, Unset):
            logo_content_type = UNSET
        else:
            logo_content_type = self.logo_content_type

        primary_color: None | str | Unset
        if isinstance(self.primary_color, Unset):
            primary_color = UNSET
        else:
            primary_color = self.primary_color

        accent_color: None | str | Unset
        if isinstance(self.accent_color, Unset):
            accent_color = UNSET
        else:
            accent_color = self.accent_color

        support_email: None | str | Unset
        if isinstance(self.support_email, Unset):
            support_email = UNSET
        else:
            support_email = self.support_email

        support_phone: None | str | Unset
        if isinstance(self.support_phone, Unset):
            support_phone = UNSET
        else:
            support_phone = self.support_phone

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        elif isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if logo is not UNSET:
            field_dict["logo"] = logo
        if logo_content_type is not UNSET:
            field_dict["logo_content_type"] = logo_content_type
        if primary_color is not UNSET:
            field_dict["primary_color"] = primary_color
        if accent_color is not UNSET:
            field_dict["accent_color"] = accent_color
        if support_email is not UNSET:
            field_dict["support_email"] = support_email
        if support_phone is not UNSET:
            field_dict["support_phone"] = support_phone
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_display_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        display_name = _parse_display_name(d.pop("display_name", UNSET))

        def _parse_logo(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        logo = _parse_logo(d.pop("logo", UNSET))

        def _parse_logo_content_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        logo_content_type = _parse_logo_content_type(d.pop("logo_content_type", UNSET))

        def _parse_primary_color(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        primary_color = _parse_primary_color(d.pop("primary_color", UNSET))

        def _parse_accent_color(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        accent_color = _parse_accent_color(d.pop("accent_color", UNSET))

        def _parse_support_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        support_email = _parse_support_email(d.pop("support_email", UNSET))

        def _parse_support_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        support_phone = _parse_support_phone(d.pop("support_phone", UNSET))

        def _parse_updated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        updated_at = _parse_updated_at(d.pop("updated_at", UNSET))

        branding_view = cls(
            display_name=display_name,
            logo=logo,
            logo_content_type=logo_content_type,
            primary_color=primary_color,
            accent_color=accent_color,
            support_email=support_email,
            support_phone=support_phone,
            updated_at=updated_at,
        )

        branding_view.additional_properties = d
        return branding_view

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
