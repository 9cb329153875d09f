from enum import StrEnum


class ExportReason(StrEnum):
    DOCUMENTS = "documents"
    GIFT = "gift"
    OTHER = "other"
    REPAIR = "repair"
    RETURN = "return"
    SALE = "sale"
    SAMPLE = "sample"

    def __str__(self) -> str:
        return str(self.value)
