from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SftpSourceView")


@_attrs_define
class SftpSourceView:
    """An SFTP folder as the API shows it: never its password or key.

    Attributes:
        id (str): `cods_…`.
        carrier_account (str):
        layout (str): The layout its files are read in (the account's carrier's).
        host (str):
        port (int):
        username (str):
        directory (str):
        host_key (str):
        auth (str): `password` or `private_key`: which credential is stored (sealed).
        created_at (datetime.datetime):
        last_pulled_at (datetime.datetime | None | Unset):
        last_error (None | str | Unset): Why the last pull failed; null when it worked.
    """

    id: str
    carrier_account: str
    layout: str
    host: str
    port: int
    username: str
    directory: str
    host_key: str
    auth: str
    created_at: datetime.datetime
    last_pulled_at: datetime.datetime | None | Unset = UNSET
    last_error: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        carrier_account = self.carrier_account

        layout = self.layout

        host = self.host

        port = self.port

        username = self.username

        directory = self.directory

        host_key = self.host_key

        auth = self.auth

        created_at = self.created_at.isoformat()

        last_pulled_at: None | str | Unset
        if isinstance(self.last_pulled_at, Unset):
            last_pulled_at = UNSET
        elif isinstance(self.last_pulled_at, datetime.datetime):
            last_pulled_at = self.last_pulled_at.isoformat()
        else:
            last_pulled_at = self.last_pulled_at

        last_error: None | str | Unset
        if isinstance(self.last_error, Unset):
            last_error = UNSET
        else:
            last_error = self.last_error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "carrier_account": carrier_account,
                "layout": layout,
                "host": host,
                "port": port,
                "username": username,
                "directory": directory,
                "host_key": host_key,
                "auth": auth,
                "created_at": created_at,
            }
        )
        if last_pulled_at is not UNSET:
            field_dict["last_pulled_at"] = last_pulled_at
        if last_error is not UNSET:
            field_dict["last_error"] = last_error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        carrier_account = d.pop("carrier_account")

        layout = d.pop("layout")

        host = d.pop("host")

        port = d.pop("port")

        username = d.pop("username")

        directory = d.pop("directory")

        host_key = d.pop("host_key")

        auth = d.pop("auth")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_last_pulled_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_pulled_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_pulled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_pulled_at = _parse_last_pulled_at(d.pop("last_pulled_at", UNSET))

        def _parse_last_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_error = _parse_last_error(d.pop("last_error", UNSET))

        sftp_source_view = cls(
            id=id,
            carrier_account=carrier_account,
            layout=layout,
            host=host,
            port=port,
            username=username,
            directory=directory,
            host_key=host_key,
            auth=auth,
            created_at=created_at,
            last_pulled_at=last_pulled_at,
            last_error=last_error,
        )

        sftp_source_view.additional_properties = d
        return sftp_source_view

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
