from enum import StrEnum


class ShipmentCreatedEventType(StrEnum):
    SHIPMENT_CREATED = "shipment.created"

    def __str__(self) -> str:
        return str(self.value)
