from enum import StrEnum


class Incoterm(StrEnum):
    CFR = "CFR"
    CIF = "CIF"
    CIP = "CIP"
    CPT = "CPT"
    DAP = "DAP"
    DDP = "DDP"
    DPU = "DPU"
    EXW = "EXW"
    FAS = "FAS"
    FCA = "FCA"
    FOB = "FOB"

    def __str__(self) -> str:
        return str(self.value)
