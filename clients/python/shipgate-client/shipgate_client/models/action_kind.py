from enum import StrEnum


class ActionKind(StrEnum):
    ALLOW_ONLY = "allow_only"
    EXCLUDE = "exclude"
    FORCE = "force"
    PREFER = "prefer"
    PREFER_BEST = "prefer_best"

    def __str__(self) -> str:
        return str(self.value)
