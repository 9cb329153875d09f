from enum import StrEnum


class ShipmentKind(StrEnum):
    FORWARD = "forward"
    REVERSE = "reverse"

    def __str__(self) -> str:
        return str(self.value)
