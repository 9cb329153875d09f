from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.readiness_carriers import ReadinessCarriers


T = TypeVar("T", bound="Readiness")


@_attrs_define
class Readiness:
    """
    Attributes:
        status (str):
        database (str):
        redis (str):
        carriers (ReadinessCarriers): Circuit breaker state per carrier account. Informational: an open circuit does
            not make the gateway not ready.
    """

    status: str
    database: str
    redis: str
    carriers: ReadinessCarriers
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        database = self.database

        redis = self.redis

        carriers = self.carriers.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "database": database,
                "redis": redis,
                "carriers": carriers,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.readiness_carriers import ReadinessCarriers  # noqa: PLC0415

        d = dict(src_dict)
        status = d.pop("status")

        database = d.pop("database")

        redis = d.pop("redis")

        carriers = ReadinessCarriers.from_dict(d.pop("carriers"))

        readiness = cls(
            status=status,
            database=database,
            redis=redis,
            carriers=carriers,
        )

        readiness.additional_properties = d
        return readiness

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
