from enum import StrEnum


class PickupScheduledEventType(StrEnum):
    PICKUP_SCHEDULED = "pickup.scheduled"

    def __str__(self) -> str:
        return str(self.value)
