from enum import StrEnum


class DryRunOutcome(StrEnum):
    REPEAT = "repeat"
    WOULD_BOOK = "would_book"

    def __str__(self) -> str:
        return str(self.value)
