from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.account_view_settings import AccountViewSettings
    from ..models.circuit_view import CircuitView
    from ..models.quota_use import QuotaUse
    from ..models.tenant_account_options import TenantAccountOptions


T = TypeVar("T", bound="AccountView")


@_attrs_define
class AccountView:
    """A carrier account as the API shows it: never a credential.

    Attributes:
        id (str): `ca_…`: what rates, bookings, selection rules and shipments call the account.
        carrier (str):
        name (str):
        enabled (bool):
        status (str): `active`, `disabled`, or `unusable` (stored, but it cannot be used: `problem` says
            why).
        credential_fields (list[str]): The credential fields that are set; their values are never shown.
        credentials_changed_at (datetime.datetime):
        settings (AccountViewSettings):
        options (TenantAccountOptions): A tenant account's options that are the gateway's, not the carrier's.
        push_url (str): Where the carrier should push this account's tracking scans, with the push
            secret in `push_secret_header`.
        push_secret_header (str):
        circuit (CircuitView | None):
        quota (None | QuotaUse):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        problem (None | str | Unset):
    """

    id: str
    carrier: str
    name: str
    enabled: bool
    status: str
    credential_fields: list[str]
    credentials_changed_at: datetime.datetime
    settings: AccountViewSettings
    options: TenantAccountOptions
    push_url: str
    push_secret_header: str
    circuit: CircuitView | None
    quota: None | QuotaUse
    created_at: datetime.datetime
    updated_at: datetime.datetime
    problem: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.circuit_view import CircuitView  # noqa: PLC0415
        from ..models.quota_use import QuotaUse  # noqa: PLC0415

        id = self.id

        carrier = self.carrier

        name = self.name

        enabled = self.enabled

        status = self.status

        credential_fields = self.credential_fields

        credentials_changed_at = self.credentials_changed_at.isoformat()

        settings = self.settings.to_dict()

        options = self.options.to_dict()

        push_url = self.push_url

        push_secret_header = self.push_secret_header

        circuit: dict[str, Any] | None
        if isinstance(self.circuit, CircuitView):
            circuit = self.circuit.to_dict()
        else:
            circuit = self.circuit

        quota: dict[str, Any] | None
        if isinstance(self.quota, QuotaUse):
            quota = self.quota.to_dict()
        else:
            quota = self.quota

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        problem: None | str | Unset
        if isinstance(self.problem, Unset):
            problem = UNSET
        else:
            problem = self.problem

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "carrier": carrier,
                "name": name,
                "enabled": enabled,
                "status": status,
                "credential_fields": credential_fields,
                "credentials_changed_at": credentials_changed_at,
                "settings": settings,
                "options": options,
                "push_url": push_url,
                "push_secret_header": push_secret_header,
                "circuit": circuit,
                "quota": quota,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if problem is not UNSET:
            field_dict["problem"] = problem

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.account_view_settings import AccountViewSettings  # noqa: PLC0415
        from ..models.circuit_view import CircuitView  # noqa: PLC0415
        from ..models.quota_use import QuotaUse  # noqa: PLC0415
        from ..models.tenant_account_options import TenantAccountOptions  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        carrier = d.pop("carrier")

        name = d.pop("name")

        enabled = d.pop("enabled")

        status = d.pop("status")

        credential_fields = cast(list[str], d.pop("credential_fields"))

        credentials_changed_at = datetime.datetime.fromisoformat(d.pop("credentials_changed_at"))

        settings = AccountViewSettings.from_dict(d.pop("settings"))

        options = TenantAccountOptions.from_dict(d.pop("options"))

        push_url = d.pop("push_url")

        push_secret_header = d.pop("push_secret_header")

        def _parse_circuit(data: object) -> CircuitView | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                circuit_type_0 = CircuitView.from_dict(data)

                return circuit_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CircuitView | None, data)

        circuit = _parse_circuit(d.pop("circuit"))

        def _parse_quota(data: object) -> None | QuotaUse:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                quota_type_0 = QuotaUse.from_dict(data)

                return quota_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | QuotaUse, data)

        quota = _parse_quota(d.pop("quota"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_problem(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        problem = _parse_problem(d.pop("problem", UNSET))

        account_view = cls(
            id=id,
            carrier=carrier,
            name=name,
            enabled=enabled,
            status=status,
            credential_fields=credential_fields,
            credentials_changed_at=credentials_changed_at,
            settings=settings,
            options=options,
            push_url=push_url,
            push_secret_header=push_secret_header,
            circuit=circuit,
            quota=quota,
            created_at=created_at,
            updated_at=updated_at,
            problem=problem,
        )

        account_view.additional_properties = d
        return account_view

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
