//! Returns: a reverse pickup from the buyer back to the seller, linked to the forward
//! shipment.

use async_trait::async_trait;

use crate::schema::{Address, CreatedShipment, Parcel, ShipmentRef};
use crate::{CarrierError, Transport};

/// A return to book.
#[derive(Debug, Clone, PartialEq)]
pub struct ReturnRequest {
    /// shipgate's id for the return, sent as the client reference.
    pub shipment_id: String,
    /// Where the parcel is collected (the buyer).
    pub pickup: Address,
    /// Where it goes back to (the seller's warehouse).
    pub deliver_to: Address,
    pub parcels: Vec<Parcel>,
    pub reason: Option<String>,
    /// Checks the courier makes at the doorstep before accepting the parcel (quality
    /// check), where the carrier offers them; empty for none.
    pub qc_checks: Vec<String>,
}

#[async_trait]
pub trait Returns: Send + Sync {
    /// Books the return of `forward`; the answer is the return's own booking.
    async fn create_return(
        &self,
        t: &dyn Transport,
        forward: &ShipmentRef,
        request: &ReturnRequest,
    ) -> Result<CreatedShipment, CarrierError>;
}
