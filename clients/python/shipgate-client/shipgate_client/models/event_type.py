from enum import StrEnum


class EventType(StrEnum):
    COD_REMITTANCE_RECONCILED = "cod.remittance_reconciled"
    MANIFEST_CREATED = "manifest.created"
    NDR_ACTION_REQUESTED = "ndr.action_requested"
    NDR_ACTION_RESULT = "ndr.action_result"
    NDR_RAISED = "ndr.raised"
    PICKUP_FAILED = "pickup.failed"
    PICKUP_SCHEDULED = "pickup.scheduled"
    RETURN_CREATED = "return.created"
    RTO_INITIATED = "rto.initiated"
    SHIPMENT_CANCELLED = "shipment.cancelled"
    SHIPMENT_CREATED = "shipment.created"
    SHIPMENT_DELIVERED = "shipment.delivered"
    SHIPMENT_EXCEPTION = "shipment.exception"
    TRACKING_UPDATED = "tracking.updated"
    WEIGHT_DISCREPANCY_FLAGGED = "weight.discrepancy_flagged"

    def __str__(self) -> str:
        return str(self.value)
