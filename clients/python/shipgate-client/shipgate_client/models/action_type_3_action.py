from enum import StrEnum


class ActionType3Action(StrEnum):
    FORCE = "force"

    def __str__(self) -> str:
        return str(self.value)
