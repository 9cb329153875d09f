from enum import StrEnum


class Decision(StrEnum):
    REATTEMPT = "reattempt"
    RTO = "rto"
    WAIT = "wait"

    def __str__(self) -> str:
        return str(self.value)
