from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.working_hours import WorkingHours


T = TypeVar("T", bound="RescheduleInput")


@_attrs_define
class RescheduleInput:
    """A pickup's new date and window, as `PATCH /v1/pickups/{id}` takes them.

    Attributes:
        date (datetime.date | None | Unset): The new date, `YYYY-MM-DD`: today (India time) up to 7 days ahead; the
            pickup's
            own when only the window moves.
        window (None | Unset | WorkingHours):
    """

    date: datetime.date | None | Unset = UNSET
    window: None | Unset | WorkingHours = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.working_hours import WorkingHours  # noqa: PLC0415

        date: None | str | Unset
        if isinstance(self.date, Unset):
            date = UNSET
        elif isinstance(self.date, datetime.date):
            date = self.date.isoformat()
        else:
            date = self.date

        window: dict[str, Any] | None | Unset
        if isinstance(self.window, Unset):
            window = UNSET
        elif isinstance(self.window, WorkingHours):
            window = self.window.to_dict()
        else:
            window = self.window

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if date is not UNSET:
            field_dict["date"] = date
        if window is not UNSET:
            field_dict["window"] = window

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.working_hours import WorkingHours  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                date_type_0 = datetime.date.fromisoformat(data)

                return date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        date = _parse_date(d.pop("date", UNSET))

        def _parse_window(data: object) -> None | Unset | WorkingHours:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                window_type_0 = WorkingHours.from_dict(data)

                return window_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WorkingHours, data)

        window = _parse_window(d.pop("window", UNSET))

        reschedule_input = cls(
            date=date,
            window=window,
        )

        return reschedule_input
