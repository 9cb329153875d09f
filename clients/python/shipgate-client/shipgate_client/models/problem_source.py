from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ProblemSource")


@_attrs_define
class ProblemSource:
    """
    Attributes:
        kind (str): `gateway` or `carrier`.
        carrier (str):
        carrier_code (None | str | Unset):
        carrier_message (None | str | Unset):
    """

    kind: str
    carrier: str
    carrier_code: None | str | Unset = UNSET
    carrier_message: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        carrier = self.carrier

        carrier_code: None | str | Unset
        if isinstance(self.carrier_code, Unset):
            carrier_code = UNSET
        else:
            carrier_code = self.carrier_code

        carrier_message: None | str | Unset
        if isinstance(self.carrier_message, Unset):
            carrier_message = UNSET
        else:
            carrier_message = self.carrier_message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "carrier": carrier,
            }
        )
        if carrier_code is not UNSET:
            field_dict["carrier_code"] = carrier_code
        if carrier_message is not UNSET:
            field_dict["carrier_message"] = carrier_message

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = d.pop("kind")

        carrier = d.pop("carrier")

        def _parse_carrier_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        carrier_code = _parse_carrier_code(d.pop("carrier_code", UNSET))

        def _parse_carrier_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        carrier_message = _parse_carrier_message(d.pop("carrier_message", UNSET))

        problem_source = cls(
            kind=kind,
            carrier=carrier,
            carrier_code=carrier_code,
            carrier_message=carrier_message,
        )

        problem_source.additional_properties = d
        return problem_source

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
