from enum import StrEnum


class ActionType0Action(StrEnum):
    ALLOW_ONLY = "allow_only"

    def __str__(self) -> str:
        return str(self.value)
