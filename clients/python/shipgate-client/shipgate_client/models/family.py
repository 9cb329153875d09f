from enum import StrEnum


class Family(StrEnum):
    ADDRESS_VALIDATION = "address_validation"
    COD_REMITTANCE = "cod_remittance"
    DOCUMENTS = "documents"
    MANIFESTS = "manifests"
    NDR_ACTIONS = "ndr_actions"
    PICKUPS = "pickups"
    RETURNS = "returns"
    WEIGHT_DISPUTES = "weight_disputes"

    def __str__(self) -> str:
        return str(self.value)
