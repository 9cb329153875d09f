from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.account_input_credentials import AccountInputCredentials
    from ..models.account_input_settings_type_0 import AccountInputSettingsType0
    from ..models.tenant_account_options import TenantAccountOptions


T = TypeVar("T", bound="AccountInput")


@_attrs_define
class AccountInput:
    """A new carrier account. (No `Debug`: it holds credentials.)

    Attributes:
        carrier (str): The carrier: `delhivery`, `shiprocket`, … (`GET /v1/carriers` lists those enabled;
            every carrier shipgate has an adapter for may be used).
        name (str): A name for people, unique per carrier in the tenant: 1 to 100 characters.
        credentials (AccountInputCredentials): The carrier's credential fields (Delhivery: `api_token`; Shiprocket:
            `email`,
            `password`). Stored encrypted, never shown again.
        settings (AccountInputSettingsType0 | None | Unset): The carrier's settings that are not secret (Delhivery and
            Shiprocket:
            `pickup_location`, the warehouse registered with the carrier).
        options (None | TenantAccountOptions | Unset):
    """

    carrier: str
    name: str
    credentials: AccountInputCredentials
    settings: AccountInputSettingsType0 | None | Unset = UNSET
    options: None | TenantAccountOptions | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.account_input_settings_type_0 import AccountInputSettingsType0  # noqa: PLC0415
        from ..models.tenant_account_options import TenantAccountOptions  # noqa: PLC0415

        carrier = self.carrier

        name = self.name

        credentials = self.credentials.to_dict()

        settings: dict[str, Any] | None | Unset
        if isinstance(self.settings, Unset):
            settings = UNSET
        elif isinstance(self.settings, AccountInputSettingsType0):
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

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "carrier": carrier,
                "name": name,
                "credentials": credentials,
            }
        )
        if settings is not UNSET:
            field_dict["settings"] = settings
        if options is not UNSET:
            field_dict["options"] = options

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.account_input_credentials import AccountInputCredentials  # noqa: PLC0415
        from ..models.account_input_settings_type_0 import AccountInputSettingsType0  # noqa: PLC0415
        from ..models.tenant_account_options import TenantAccountOptions  # noqa: PLC0415

        d = dict(src_dict)
        carrier = d.pop("carrier")

        name = d.pop("name")

        credentials = AccountInputCredentials.from_dict(d.pop("credentials"))

        def _parse_settings(data: object) -> AccountInputSettingsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                settings_type_0 = AccountInputSettingsType0.from_dict(data)

                return settings_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AccountInputSettingsType0 | None | Unset, data)

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

        account_input = cls(
            carrier=carrier,
            name=name,
            credentials=credentials,
            settings=settings,
            options=options,
        )

        return account_input
