from enum import StrEnum


class BookingState(StrEnum):
    BOOKING = "booking"
    CONFIRMED = "confirmed"
    FAILED = "failed"
    PENDING_CONFIRMATION = "pending_confirmation"

    def __str__(self) -> str:
        return str(self.value)
