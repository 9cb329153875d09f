from enum import StrEnum


class Band(StrEnum):
    FAIR = "fair"
    GOOD = "good"
    POOR = "poor"

    def __str__(self) -> str:
        return str(self.value)
