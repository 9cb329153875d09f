from enum import StrEnum


class RtoInitiatedEventType(StrEnum):
    RTO_INITIATED = "rto.initiated"

    def __str__(self) -> str:
        return str(self.value)
