from enum import StrEnum


class ReplayStatus(StrEnum):
    ALL = "all"
    CANCELLED = "cancelled"
    DEAD = "dead"
    SUCCEEDED = "succeeded"

    def __str__(self) -> str:
        return str(self.value)
