from enum import StrEnum


class AddressAction(StrEnum):
    ALLOW = "allow"
    BLOCK = "block"
    FLAG = "flag"
    REFUSE_COD = "refuse_cod"

    def __str__(self) -> str:
        return str(self.value)
