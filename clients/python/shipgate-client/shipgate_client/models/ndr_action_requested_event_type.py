from enum import StrEnum


class NdrActionRequestedEventType(StrEnum):
    NDR_ACTION_REQUESTED = "ndr.action_requested"

    def __str__(self) -> str:
        return str(self.value)
