from enum import StrEnum


class ActionType4Action(StrEnum):
    PREFER_BEST = "prefer_best"

    def __str__(self) -> str:
        return str(self.value)
