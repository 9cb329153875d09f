from enum import StrEnum


class ActionType2Action(StrEnum):
    PREFER = "prefer"

    def __str__(self) -> str:
        return str(self.value)
