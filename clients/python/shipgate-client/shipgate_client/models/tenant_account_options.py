from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TenantAccountOptions")


@_attrs_define
class TenantAccountOptions:
    """A tenant account's options that are the gateway's, not the carrier's.

    Attributes:
        quota_per_second (float | None | Unset): Requests per second shipgate may send the carrier on this account (the
            limit of
            the tenant's contract); the carrier's published limit when unset (live mode).
        services (list[str] | None | Unset): The carrier's service codes this account may quote and book; all when
            unset.
        cod_remittance_days (int | None | Unset): Days after delivery within which the carrier pays out COD collected on
            this account
            (the contract's remittance cycle); a delivered COD shipment not remitted by then is
            overdue. The gateway's cycle for the carrier when unset (`SHIPGATE_COD__…`).
    """

    quota_per_second: float | None | Unset = UNSET
    services: list[str] | None | Unset = UNSET
    cod_remittance_days: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        quota_per_second: float | None | Unset
        if isinstance(self.quota_per_second, Unset):
            quota_per_second = UNSET
        else:
            quota_per_second = self.quota_per_second

        services: list[str] | None | Unset
        if isinstance(self.services, Unset):
            services = UNSET
        elif isinstance(self.services, list):
            services = self.services

        else:
            services = self.services

        cod_remittance_days: int | None | Unset
        if isinstance(self.cod_remittance_days, Unset):
            cod_remittance_days = UNSET
        else:
            cod_remittance_days = self.cod_remittance_days

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if quota_per_second is not UNSET:
            field_dict["quota_per_second"] = quota_per_second
        if services is not UNSET:
            field_dict["services"] = services
        if cod_remittance_days is not UNSET:
            field_dict["cod_remittance_days"] = cod_remittance_days

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_quota_per_second(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        quota_per_second = _parse_quota_per_second(d.pop("quota_per_second", UNSET))

        def _parse_services(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                services_type_0 = cast(list[str], data)

                return services_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        services = _parse_services(d.pop("services", UNSET))

        def _parse_cod_remittance_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        cod_remittance_days = _parse_cod_remittance_days(d.pop("cod_remittance_days", UNSET))

        tenant_account_options = cls(
            quota_per_second=quota_per_second,
            services=services,
            cod_remittance_days=cod_remittance_days,
        )

        return tenant_account_options
