from enum import StrEnum


class PickupFailedEventType(StrEnum):
    PICKUP_FAILED = "pickup.failed"

    def __str__(self) -> str:
        return str(self.value)
