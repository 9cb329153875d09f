from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Reason")


@_attrs_define
class Reason:
    """One finding about an address.

    Attributes:
        code (str): Stable machine code, e.g. `pincode_unknown`, `phone_sequence`, `line_junk`.
        pointer (str): The JSON pointer of the field it is about, e.g. `/to/postal_code`.
        detail (str): What is wrong, for people.
        penalty (int): Points taken off the score (0: for information).
    """

    code: str
    pointer: str
    detail: str
    penalty: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        pointer = self.pointer

        detail = self.detail

        penalty = self.penalty

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "pointer": pointer,
                "detail": detail,
                "penalty": penalty,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        pointer = d.pop("pointer")

        detail = d.pop("detail")

        penalty = d.pop("penalty")

        reason = cls(
            code=code,
            pointer=pointer,
            detail=detail,
            penalty=penalty,
        )

        reason.additional_properties = d
        return reason

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
