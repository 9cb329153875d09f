from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="BatchLinks")


@_attrs_define
class BatchLinks:
    """Where to follow a batch.

    Attributes:
        self_ (str):
        items (str):
        results_csv (str): Every item as CSV: the results sheet.
        events (str): `text/event-stream` of `progress` events and a final `done`.
        cancel (str):
    """

    self_: str
    items: str
    results_csv: str
    events: str
    cancel: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        self_ = self.self_

        items = self.items

        results_csv = self.results_csv

        events = self.events

        cancel = self.cancel

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "self": self_,
                "items": items,
                "results_csv": results_csv,
                "events": events,
                "cancel": cancel,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        self_ = d.pop("self")

        items = d.pop("items")

        results_csv = d.pop("results_csv")

        events = d.pop("events")

        cancel = d.pop("cancel")

        batch_links = cls(
            self_=self_,
            items=items,
            results_csv=results_csv,
            events=events,
            cancel=cancel,
        )

        batch_links.additional_properties = d
        return batch_links

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
