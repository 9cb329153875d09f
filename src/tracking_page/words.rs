//! The buyer's words for where a parcel is: the taxonomy's statuses said as a shop would
//! say them, never the carrier's codes or the gateway's identifiers.

use carriers::taxonomy::{Status, SubStatus};

/// The headline for a shipment's current status.
pub fn headline(sub: SubStatus) -> &'static str {
    use SubStatus::*;
    match sub {
        Delivered | DeliveredToNeighbor | CollectedByCustomer => "Delivered",
        PartiallyDelivered => "Partly delivered",
        DeliveredDamaged => "Delivered, damaged",
        OutForDelivery => "Out for delivery",
        AtPickupPoint => "Ready to collect",
        Cancelled | LabelVoided => "Cancelled",
        Lost | Destroyed => "Lost in transit",
        RtoInitiated | RtoInTransit | RtoOutForDelivery | RtoDeliveryFailed => {
            "Being returned to the seller"
        }
        RtoDelivered | RtoDisposed => "Returned to the seller",
        _ => match sub.status() {
            Status::PreTransit => "Order packed, waiting for the courier",
            Status::InTransit => "On its way",
            Status::DeliveryFailed => "Delivery attempt failed",
            Status::Exception => "Held up",
            _ => "Waiting for the first update",
        },
    }
}

/// One line of the timeline.
pub fn event(sub: SubStatus) -> &'static str {
    use SubStatus::*;
    match sub {
        LabelCreated => "Shipping label created",
        Manifested => "Ready for pickup",
        PickupScheduled => "Pickup scheduled",
        OutForPickup => "Courier on the way to pick up",
        PickupFailed => "Pickup did not happen",
        PickupRescheduled => "Pickup rescheduled",
        AwaitingDropoff => "Waiting to be dropped off",
        QcFailed => "Pickup check not passed",
        PickedUp => "Picked up",
        DepartedFacility => "Left a courier facility",
        ArrivedAtFacility => "Arrived at a courier facility",
        ReachedDestinationHub => "Reached the delivery hub",
        CustomsProcessing => "With customs",
        CustomsCleared => "Cleared customs",
        HandedToPartner => "Handed to a delivery partner",
        Misrouted => "Sent the wrong way; being rerouted",
        Delayed => "Delayed",
        WeatherDelay => "Delayed by weather",
        InTransit => "In transit",
        OutForDelivery => "Out for delivery",
        DeliveryRescheduled => "Delivery rescheduled",
        AtPickupPoint => "Ready to collect at the pickup point",
        CustomerUnavailable => "Delivery attempted: nobody was available",
        CustomerUnreachable => "Delivery attempted: the phone could not be reached",
        AddressIssue => "Delivery attempted: the address could not be found",
        Refused => "Delivery refused",
        CodNotReady => "Delivery attempted: cash payment was not ready",
        FutureDeliveryRequested => "Delivery moved to a later date on request",
        PremisesClosed => "Delivery attempted: the premises were closed",
        OutOfDeliveryArea => "Delivery attempted: outside the delivery area",
        VerificationFailed => "Delivery attempted: the delivery code could not be checked",
        Other => "Delivery attempt failed",
        Delivered => "Delivered",
        DeliveredToNeighbor => "Delivered to a neighbour",
        CollectedByCustomer => "Collected",
        PartiallyDelivered => "Partly delivered",
        DeliveredDamaged => "Delivered, damaged",
        RtoInitiated => "Return to the seller started",
        RtoInTransit => "On its way back to the seller",
        RtoOutForDelivery => "Out for delivery to the seller",
        RtoDeliveryFailed => "Return delivery to the seller failed",
        RtoDelivered => "Returned to the seller",
        RtoDisposed => "Disposed of by the courier",
        Lost => "Lost in transit",
        Damaged => "Damaged in transit",
        Destroyed => "Destroyed in transit",
        HeldByCustoms => "Held by customs",
        HeldForPayment => "Held until duties are paid",
        RejectedByCarrier => "Not accepted by the courier",
        Stuck => "Not moving; the courier is looking into it",
        Unserviceable => "The courier cannot deliver to this address",
        Cancelled => "Cancelled",
        LabelVoided => "Cancelled",
        NotFound | Unmapped | Expired => "Update from the courier",
    }
}

/// What an NDR action asks for, as the page confirms it.
pub fn request(action: &str) -> &'static str {
    match action {
        "reattempt" | "reschedule" => "a new delivery attempt",
        "change_address" => "delivery to the corrected address",
        "change_phone" => "a call on the new phone number",
        "rto" => "the parcel's return to the seller",
        _ => "a change to the delivery",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::VariantArray;

    #[test]
    fn every_sub_status_has_words_without_codes() {
        for sub in SubStatus::VARIANTS {
            for words in [headline(*sub), event(*sub)] {
                assert!(!words.is_empty());
                assert!(!words.contains('_'), "{sub}: {words}");
            }
        }
    }
}
