from enum import StrEnum


class Layout(StrEnum):
    A4_4UP = "a4_4up"
    ROLL_4X6 = "roll_4x6"

    def __str__(self) -> str:
        return str(self.value)
