from enum import StrEnum


class CodRemittanceReconciledEventType(StrEnum):
    COD_REMITTANCE_RECONCILED = "cod.remittance_reconciled"

    def __str__(self) -> str:
        return str(self.value)
