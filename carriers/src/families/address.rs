//! Address validation: the carrier's opinion of an address before booking.

use async_trait::async_trait;

use crate::schema::Address;
use crate::{CarrierError, Transport};

/// What the carrier made of an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressVerdict {
    /// Whether the carrier can deliver there as written.
    pub deliverable: bool,
    /// The carrier's corrected form (standardised street, ZIP+4), where it offers one.
    pub suggestion: Option<Address>,
    pub carrier_message: String,
}

#[async_trait]
pub trait AddressValidation: Send + Sync {
    async fn validate(
        &self,
        t: &dyn Transport,
        address: &Address,
    ) -> Result<AddressVerdict, CarrierError>;
}
