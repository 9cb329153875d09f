from enum import StrEnum


class ChargeKind(StrEnum):
    COD = "cod"
    FREIGHT = "freight"
    FUEL_SURCHARGE = "fuel_surcharge"
    OTHER = "other"
    TAX = "tax"

    def __str__(self) -> str:
        return str(self.value)
