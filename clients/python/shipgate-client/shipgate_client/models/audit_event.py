from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.audit_actor import AuditActor
    from ..models.audit_event_after_type_0 import AuditEventAfterType0
    from ..models.audit_event_before_type_0 import AuditEventBeforeType0
    from ..models.audit_target import AuditTarget


T = TypeVar("T", bound="AuditEvent")


@_attrs_define
class AuditEvent:
    """One recorded change.

    Attributes:
        id (str): `aud_…`, time-ordered.
        at (datetime.datetime):
        actor (AuditActor): Who made a change.
        action (str): `<thing>.<verb>`, e.g. `carrier_account.updated`.
        target (AuditTarget): What changed.
        before (AuditEventBeforeType0 | None | Unset): The thing as the API showed it before the change (never a
            secret).
        after (AuditEventAfterType0 | None | Unset): And after.
        request_id (None | str | Unset): The request that made it (`x-request-id`).
    """

    id: str
    at: datetime.datetime
    actor: AuditActor
    action: str
    target: AuditTarget
    before: AuditEventBeforeType0 | None | Unset = UNSET
    after: AuditEventAfterType0 | None | Unset = UNSET
    request_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.audit_event_after_type_0 import AuditEventAfterType0  # noqa: PLC0415
        from ..models.audit_event_before_type_0 import AuditEventBeforeType0  # noqa: PLC0415

        id = self.id

        at = self.at.isoformat()

        actor = self.actor.to_dict()

        action = self.action

        target = self.target.to_dict()

        before: dict[str, Any] | None | Unset
        if isinstance(self.before, Unset):
            before = UNSET
        elif isinstance(self.before, AuditEventBeforeType0):
            before = self.before.to_dict()
        else:
            before = self.before

        after: dict[str, Any] | None | Unset
        if isinstance(self.after, Unset):
            after = UNSET
        elif isinstance(self.after, AuditEventAfterType0):
            after = self.after.to_dict()
        else:
            after = self.after

        request_id: None | str | Unset
        if isinstance(self.request_id, Unset):
            request_id = UNSET
        else:
            request_id = self.request_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "at": at,
                "actor": actor,
                "action": action,
                "target": target,
            }
        )
        if before is not UNSET:
            field_dict["before"] = before
        if after is not UNSET:
            field_dict["after"] = after
        if request_id is not UNSET:
            field_dict["request_id"] = request_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_actor import AuditActor  # noqa: PLC0415
        from ..models.audit_event_after_type_0 import AuditEventAfterType0  # noqa: PLC0415
        from ..models.audit_event_before_type_0 import AuditEventBeforeType0  # noqa: PLC0415
        from ..models.audit_target import AuditTarget  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        actor = AuditActor.from_dict(d.pop("actor"))

        action = d.pop("action")

        target = AuditTarget.from_dict(d.pop("target"))

        def _parse_before(data: object) -> AuditEventBeforeType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                before_type_0 = AuditEventBeforeType0.from_dict(data)

                return before_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AuditEventBeforeType0 | None | Unset, data)

        before = _parse_before(d.pop("before", UNSET))

        def _parse_after(data: object) -> AuditEventAfterType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                after_type_0 = AuditEventAfterType0.from_dict(data)

                return after_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AuditEventAfterType0 | None | Unset, data)

        after = _parse_after(d.pop("after", UNSET))

        def _parse_request_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        request_id = _parse_request_id(d.pop("request_id", UNSET))

        audit_event = cls(
            id=id,
            at=at,
            actor=actor,
            action=action,
            target=target,
            before=before,
            after=after,
            request_id=request_id,
        )

        audit_event.additional_properties = d
        return audit_event

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
