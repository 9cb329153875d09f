from enum import StrEnum


class DeliveryState(StrEnum):
    CANCELLED = "cancelled"
    DEAD = "dead"
    PENDING = "pending"
    SUCCEEDED = "succeeded"

    def __str__(self) -> str:
        return str(self.value)
