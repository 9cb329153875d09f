from enum import StrEnum


class ReturnCreatedEventType(StrEnum):
    RETURN_CREATED = "return.created"

    def __str__(self) -> str:
        return str(self.value)
