from enum import StrEnum


class Order(StrEnum):
    AS_GIVEN = "as_given"
    AWB = "awb"
    PINCODE = "pincode"
    SKU = "sku"

    def __str__(self) -> str:
        return str(self.value)
