from enum import StrEnum


class DutiesPayer(StrEnum):
    RECIPIENT = "recipient"
    SENDER = "sender"
    THIRD_PARTY = "third_party"

    def __str__(self) -> str:
        return str(self.value)
