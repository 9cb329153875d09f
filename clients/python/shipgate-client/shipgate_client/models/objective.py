from enum import StrEnum


class Objective(StrEnum):
    CHEAPEST = "cheapest"
    CHEAPEST_WITHIN_PROMISE = "cheapest_within_promise"
    FASTEST = "fastest"

    def __str__(self) -> str:
        return str(self.value)
