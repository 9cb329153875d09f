from enum import StrEnum


class ChoiceMode(StrEnum):
    AUTO = "auto"
    NAMED = "named"

    def __str__(self) -> str:
        return str(self.value)
