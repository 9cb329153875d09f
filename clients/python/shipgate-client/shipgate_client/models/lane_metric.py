from enum import StrEnum


class LaneMetric(StrEnum):
    DELIVERED_PCT = "delivered_pct"
    FIRST_ATTEMPT_PCT = "first_attempt_pct"
    RTO_PCT = "rto_pct"
    TRANSIT_DAYS_MEDIAN = "transit_days_median"

    def __str__(self) -> str:
        return str(self.value)
