//! NDR actions: what the seller tells the carrier after a failed delivery attempt.

use async_trait::async_trait;
use chrono::NaiveDate;

use crate::schema::{Address, Phone, ShipmentRef};
use crate::{CarrierError, Transport};

/// An instruction for a shipment in `delivery_failed`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NdrAction {
    /// Try again, on `date` where the carrier takes one.
    Reattempt { date: Option<NaiveDate> },
    /// Deliver to a corrected address.
    ChangeAddress { address: Box<Address> },
    /// Call the buyer on another number.
    ChangePhone { phone: Phone },
    /// Give up and send the parcel back.
    ReturnToOrigin,
}

/// The carrier's answer to an instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NdrOutcome {
    /// Whether the carrier took the instruction (some queue it for a later answer).
    pub accepted: bool,
    pub carrier_message: String,
}

#[async_trait]
pub trait NdrActions: Send + Sync {
    async fn act(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
        action: &NdrAction,
    ) -> Result<NdrOutcome, CarrierError>;
}
