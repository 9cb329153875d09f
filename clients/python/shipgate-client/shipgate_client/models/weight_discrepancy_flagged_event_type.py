from enum import StrEnum


class WeightDiscrepancyFlaggedEventType(StrEnum):
    WEIGHT_DISCREPANCY_FLAGGED = "weight.discrepancy_flagged"

    def __str__(self) -> str:
        return str(self.value)
