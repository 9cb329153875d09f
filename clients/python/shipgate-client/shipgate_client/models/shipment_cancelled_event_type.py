from enum import StrEnum


class ShipmentCancelledEventType(StrEnum):
    SHIPMENT_CANCELLED = "shipment.cancelled"

    def __str__(self) -> str:
        return str(self.value)
