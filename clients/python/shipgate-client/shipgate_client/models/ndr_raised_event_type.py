from enum import StrEnum


class NdrRaisedEventType(StrEnum):
    NDR_RAISED = "ndr.raised"

    def __str__(self) -> str:
        return str(self.value)
