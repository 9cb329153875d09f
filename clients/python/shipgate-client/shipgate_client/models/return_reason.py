from enum import StrEnum


class ReturnReason(StrEnum):
    ARRIVED_LATE = "arrived_late"
    CHANGED_MIND = "changed_mind"
    DAMAGED = "damaged"
    DEFECTIVE = "defective"
    MISSING_PARTS = "missing_parts"
    NOT_AS_DESCRIBED = "not_as_described"
    OTHER = "other"
    QUALITY_ISSUE = "quality_issue"
    SIZE_ISSUE = "size_issue"
    WRONG_ITEM = "wrong_item"

    def __str__(self) -> str:
        return str(self.value)
