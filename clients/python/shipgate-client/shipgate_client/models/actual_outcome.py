from enum import StrEnum


class ActualOutcome(StrEnum):
    CANCELLED = "cancelled"
    DELIVERED = "delivered"
    IN_TRANSIT = "in_transit"
    LOST = "lost"
    RTO = "rto"

    def __str__(self) -> str:
        return str(self.value)
