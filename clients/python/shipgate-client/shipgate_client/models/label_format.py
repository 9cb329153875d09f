from enum import StrEnum


class LabelFormat(StrEnum):
    PDF = "pdf"
    ZPL = "zpl"

    def __str__(self) -> str:
        return str(self.value)
