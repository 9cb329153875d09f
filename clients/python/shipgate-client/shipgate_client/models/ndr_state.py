from enum import StrEnum


class NdrState(StrEnum):
    ACCEPTED = "accepted"
    EFFECTIVE = "effective"
    EXPIRED = "expired"
    REJECTED = "rejected"
    REQUESTED = "requested"

    def __str__(self) -> str:
        return str(self.value)
