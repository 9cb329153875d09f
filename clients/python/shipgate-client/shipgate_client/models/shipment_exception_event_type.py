from enum import StrEnum


class ShipmentExceptionEventType(StrEnum):
    SHIPMENT_EXCEPTION = "shipment.exception"

    def __str__(self) -> str:
        return str(self.value)
