from enum import StrEnum


class PaymentMode(StrEnum):
    COD = "cod"
    PREPAID = "prepaid"

    def __str__(self) -> str:
        return str(self.value)
