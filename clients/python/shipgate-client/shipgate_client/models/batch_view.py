from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.batch_links import BatchLinks
    from ..models.batch_view_counts import BatchViewCounts


T = TypeVar("T", bound="BatchView")


@_attrs_define
class BatchView:
    """A batch and its progress.

    Attributes:
        id (str):
        state (str): `queued`, `running`, `completed` or `cancelled`.
        source (str): `json` or `csv`.
        total (int):
        counts (BatchViewCounts): Items per state: `queued`, `booking`, `booked`, `pending`, `failed`, `invalid`,
            `cancelled` (every state present).
        created_at (datetime.datetime):
        links (BatchLinks): Where to follow a batch.
        started_at (datetime.datetime | None | Unset): When the first item was taken to be booked.
        finished_at (datetime.datetime | None | Unset):
        items_per_second (float | None | Unset): Items settled (booked, pending or failed) per second since the start.
    """

    id: str
    state: str
    source: str
    total: int
    counts: BatchViewCounts
    created_at: datetime.datetime
    links: BatchLinks
    started_at: datetime.datetime | None | Unset = UNSET
    finished_at: datetime.datetime | None | Unset = UNSET
    items_per_second: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        state = self.state

        source = self.source

        total = self.total

        counts = self.counts.to_dict()

        created_at = self.created_at.isoformat()

        links = self.links.to_dict()

        started_at: None | str | Unset
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        elif isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        finished_at: None | str | Unset
        if isinstance(self.finished_at, Unset):
            finished_at = UNSET
        elif isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        items_per_second: float | None | Unset
        if isinstance(self.items_per_second, Unset):
            items_per_second = UNSET
        else:
            items_per_second = self.items_per_second

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "state": state,
                "source": source,
                "total": total,
                "counts": counts,
                "created_at": created_at,
                "links": links,
            }
        )
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if finished_at is not UNSET:
            field_dict["finished_at"] = finished_at
        if items_per_second is not UNSET:
            field_dict["items_per_second"] = items_per_second

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch_links import BatchLinks  # noqa: PLC0415
        from ..models.batch_view_counts import BatchViewCounts  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        state = d.pop("state")

        source = d.pop("source")

        total = d.pop("total")

        counts = BatchViewCounts.from_dict(d.pop("counts"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        links = BatchLinks.from_dict(d.pop("links"))

        def _parse_started_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        started_at = _parse_started_at(d.pop("started_at", UNSET))

        def _parse_finished_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        finished_at = _parse_finished_at(d.pop("finished_at", UNSET))

        def _parse_items_per_second(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        items_per_second = _parse_items_per_second(d.pop("items_per_second", UNSET))

        batch_view = cls(
            id=id,
            state=state,
            source=source,
            total=total,
            counts=counts,
            created_at=created_at,
            links=links,
            started_at=started_at,
            finished_at=finished_at,
            items_per_second=items_per_second,
        )

        batch_view.additional_properties = d
        return batch_view

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
