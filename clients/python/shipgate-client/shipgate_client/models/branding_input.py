from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BrandingInput")


@_attrs_define
class BrandingInput:
    """A tenant's branding, as `PUT /v1/branding` takes it. Every field is optional; one left
    out (or null) is cleared.

        Attributes:
            display_name (None | str | Unset): The name buyers see (1–100 characters); the tenant's own name when unset.
            logo (None | str | Unset): The logo: PNG, JPEG or WebP bytes as standard base64, at most 100 KB decoded.
                SVG is refused (it can carry script).
            primary_color (None | str | Unset): `#rrggbb`: the page's header band. Example: #0b5fff.
            accent_color (None | str | Unset): `#rrggbb`: the page's buttons. Example: #ffb000.
            support_email (None | str | Unset): Where buyers write for help.
            support_phone (None | str | Unset): Where buyers call for help: 7 to 15 digits, with spaces, dashes, dots,
                parentheses
                and a leading `+`. Example: +91 80 4000 1234.
    """

    display_name: None | str | Unset = UNSET
    logo: None | str | Unset = UNSET
    primary_color: None | str | Unset = UNSET
    accent_color: None | str | Unset = UNSET
    support_email: None | str | Unset = UNSET
    support_phone: None | str | Unset = UNSET

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

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if logo is not UNSET:
            field_dict["logo"] = logo
        if primary_color is not UNSET:
            field_dict["primary_color"] = primary_color
        if accent_color is not UNSET:
            field_dict["accent_color"] = accent_color
        if support_email is not UNSET:
            field_dict["support_email"] = support_email
        if support_phone is not UNSET:
            field_dict["support_phone"] = support_phone

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

        branding_input = cls(
            display_name=display_name,
            logo=logo,
            primary_color=primary_color,
            accent_color=accent_color,
            support_email=support_email,
            support_phone=support_phone,
        )

        return branding_input
