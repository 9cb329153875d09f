from enum import StrEnum


class TrackingUpdatedEventType(StrEnum):
    TRACKING_UPDATED = "tracking.updated"

    def __str__(self) -> str:
        return str(self.value)
