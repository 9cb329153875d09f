from enum import StrEnum


class EstimateSource(StrEnum):
    CARRIER = "carrier"
    HISTORY = "history"

    def __str__(self) -> str:
        return str(self.value)
