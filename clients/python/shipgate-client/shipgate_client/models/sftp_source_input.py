from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SftpSourceInput")


@_attrs_define
class SftpSourceInput:
    """A folder as the API takes it.

    Attributes:
        carrier_account (str): The carrier account whose remittance files the folder holds (its carrier decides
            the file layout): a platform account id (`delhivery`) or the tenant's own (`ca_…`).
        host (str):
        username (str):
        directory (str): The folder the carrier drops files in (absolute, or relative to the login's home).
        host_key (str): The server's public host key in OpenSSH format (`ssh-ed25519 AAAA…`), as
            `ssh-keyscan` prints it without the host name: no other key is accepted.
        port (int | None | Unset): Default 22.
        password (None | str | Unset): The login's password; or give `private_key`.
        private_key (None | str | Unset): An unencrypted OpenSSH private key (`-----BEGIN OPENSSH PRIVATE KEY-----…`).
    """

    carrier_account: str
    host: str
    username: str
    directory: str
    host_key: str
    port: int | None | Unset = UNSET
    password: None | str | Unset = UNSET
    private_key: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        carrier_account = self.carrier_account

        host = self.host

        username = self.username

        directory = self.directory

        host_key = self.host_key

        port: int | None | Unset
        if isinstance(self.port, Unset):
            port = UNSET
        else:
            port = self.port

        password: None | str | Unset
        if isinstance(self.password, Unset):
            password = UNSET
        else:
            password = self.password

        private_key: None | str | Unset
        if isinstance(self.private_key, Unset):
            private_key = UNSET
        else:
            private_key = self.private_key

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "carrier_account": carrier_account,
                "host": host,
                "username": username,
                "directory": directory,
                "host_key": host_key,
            }
        )
        if port is not UNSET:
            field_dict["port"] = port
        if password is not UNSET:
            field_dict["password"] = password
        if private_key is not UNSET:
            field_dict["private_key"] = private_key

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        carrier_account = d.pop("carrier_account")

        host = d.pop("host")

        username = d.pop("username")

        directory = d.pop("directory")

        host_key = d.pop("host_key")

        def _parse_port(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        port = _parse_port(d.pop("port", UNSET))

        def _parse_password(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        password = _parse_password(d.pop("password", UNSET))

        def _parse_private_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        private_key = _parse_private_key(d.pop("private_key", UNSET))

        sftp_source_input = cls(
            carrier_account=carrier_account,
            host=host,
            username=username,
            directory=directory,
            host_key=host_key,
            port=port,
            password=password,
            private_key=private_key,
        )

        return sftp_source_input
