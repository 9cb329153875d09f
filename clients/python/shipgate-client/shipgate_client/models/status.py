from enum import StrEnum


class Status(StrEnum):
    AVAILABLE_FOR_PICKUP = "available_for_pickup"
    CANCELLED = "cancelled"
    DELIVERED = "delivered"
    DELIVERY_FAILED = "delivery_failed"
    EXCEPTION = "exception"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    PRE_TRANSIT = "pre_transit"
    RTO = "rto"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return str(self.value)
