from enum import StrEnum


class ActionType1Action(StrEnum):
    EXCLUDE = "exclude"

    def __str__(self) -> str:
        return str(self.value)
