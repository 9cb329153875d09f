from enum import StrEnum


class InvoiceChargeKind(StrEnum):
    COD = "cod"
    FREIGHT = "freight"
    FUEL_SURCHARGE = "fuel_surcharge"
    OTHER = "other"
    RTO = "rto"
    TAX = "tax"
    TOTAL = "total"

    def __str__(self) -> str:
        return str(self.value)
