from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.account_update_credentials_type_0 import AccountUpdateCredentialsType0
    from ..models.account_update_settings_type_0 import AccountUpdateSettingsType0
    from ..models.tenant_account_options import TenantAccountOptions


T = TypeVar("T", bound="AccountUpdate")


@_attrs_define
class AccountUpdate:
    """A change to an account; fields left out stay as they are. (No `Debug`: it may hold
    credentials.)

        Attributes:
            name (None | str | Unset):
            enabled (bool | None | Unset): A disabled account books and quotes nothing; its shipments are still tracked.
            credentials (AccountUpdateCredentialsType0 | None | Unset): New values for these credential fields (a rotation),
                checked against the carrier
                before they are saved; fields left out keep their value.
            settings (AccountUpdateSettingsType0 | None | Unset): New values for these settings; settings left out keep
                their value.
            options (None | TenantAccountOptions | Unset):
            rotate_push_secret (bool | None | Unset): `true`: a new push secret, shown in this answer only (the old one
                stops working).
    """

    name: None | str | Unset = UNSET
    enabled: bool | None | Unset = UNSET
    credentials: AccountUpdateCredentialsType0 | None | Unset = UNSET
    settings: AccountUpdateSettingsType0 | None | Unset = UNSET
    options: None | TenantAccountOptions | Unset = UNSET
    rotate_push_secret: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.account_update_credentials_type_0 import AccountUpdateCredentialsType0  # noqa: PLC0415
        from ..models.account_update_settings_type_0 import AccountUpdateSettingsType0  # noqa: PLC0415
        from ..models.tenant_account_options import TenantAccountOptions  # noqa: PLC0415

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        credentials: dict[str, Any] | None | Unset
        if isinstance(self.credentials, Unset):
            credentials = UNSET
        elif isinstance(self.credentials, AccountUpdateCredentialsType0):
            credentials = self.credentials.to_dict()
        else:
            credentials = self.credentials

        settings: dict[str, Any] | None | Unset
        if isinstance(self.settings, Unset):
            settings = UNSET
        elif isinstance(self.settings, AccountUpdateSettingsType0):
            settings = self.settings.to_dict()
        else:
            settings = self.settings

        options: dict[str, Any] | None | Unset
        if isinstance(self.options, Unset):
            options = UNSET
        elif isinstance(self.options, TenantAccountOptions):
            options = self.options.to_dict()
        else:
            options = self.options

        rotate_push_secret: bool | None | Unset
        if isinstance(self.rotate_push_secret, Unset):
            rotate_push_secret = UNSET
        else:
            rotate_push_secret = self.rotate_push_secret

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if credentials is not UNSET:
            field_dict["credentials"] = credentials
        if settings is not UNSET:
            field_dict["settings"] = settings
        if options is not UNSET:
            field_dict["options"] = options
        if rotate_push_secret is not UNSET:
            field_dict["rotate_push_secret"] = rotate_push_secret

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.account_update_credentials_type_0 import AccountUpdateCredentialsType0  # noqa: PLC0415
        from ..models.account_update_settings_type_0 import AccountUpdateSettingsType0  # noqa: PLC0415
        from ..models.tenant_account_options import TenantAccountOptions  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enabled = _parse_enabled(d.pop("enabled", UNSET))

        def _parse_credentials(data: object) -> AccountUpdateCredentialsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                credentials_type_0 = AccountUpdateCredentialsType0.from_dict(data)

                return credentials_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AccountUpdateCredentialsType0 | None | Unset, data)

        credentials = _parse_credentials(d.pop("credentials", UNSET))

        def _parse_settings(data: object) -> AccountUpdateSettingsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                settings_type_0 = AccountUpdateSettingsType0.from_dict(data)

                return settings_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AccountUpdateSettingsType0 | None | Unset, data)

        settings = _parse_settings(d.pop("settings", UNSET))

        def _parse_options(data: object) -> None | TenantAccountOptions | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                options_type_0 = TenantAccountOptions.from_dict(data)

                return options_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TenantAccountOptions | Unset, data)

        options = _parse_options(d.pop("options", UNSET))

        def _parse_rotate_push_secret(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        rotate_push_secret = _parse_rotate_push_secret(d.pop("rotate_push_secret", UNSET))

        account_update = cls(
            name=name,
            enabled=enabled,
            credentials=credentials,
            settings=settings,
            options=options,
            rotate_push_secret=rotate_push_secret,
        )

        return account_update
