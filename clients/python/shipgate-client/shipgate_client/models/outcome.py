from enum import StrEnum


class Outcome(StrEnum):
    AMOUNT_MISMATCH = "amount_mismatch"
    DUPLICATE_LINE = "duplicate_line"
    MATCHED = "matched"
    REMITTED_NOT_DELIVERED = "remitted_not_delivered"
    UNKNOWN_AWB = "unknown_awb"

    def __str__(self) -> str:
        return str(self.value)
