from enum import StrEnum


class AttemptOutcome(StrEnum):
    BOOKED = "booked"
    IN_FLIGHT = "in_flight"
    OUTCOME_UNKNOWN = "outcome_unknown"
    REFUSED = "refused"

    def __str__(self) -> str:
        return str(self.value)
