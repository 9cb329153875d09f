from enum import StrEnum


class PickupState(StrEnum):
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    FAILED = "failed"
    PARTIALLY_FAILED = "partially_failed"
    REJECTED = "rejected"
    REQUESTED = "requested"
    SCHEDULED = "scheduled"

    def __str__(self) -> str:
        return str(self.value)
