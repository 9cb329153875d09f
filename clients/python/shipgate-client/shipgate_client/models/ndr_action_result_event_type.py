from enum import StrEnum


class NdrActionResultEventType(StrEnum):
    NDR_ACTION_RESULT = "ndr.action_result"

    def __str__(self) -> str:
        return str(self.value)
