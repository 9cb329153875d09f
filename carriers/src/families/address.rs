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
    /// Residential or business, where the carrier says (carriers price a residential
    /// delivery higher, so a quote depends on it).
    pub classification: AddressClass,
    pub carrier_message: String,
}

/// What kind of address the carrier takes it for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AddressClass {
    Residential,
    Commercial,
    /// The carrier knows both at the address, or cannot tell.
    Mixed,
    /// The carrier did not say.
    #[default]
    Unknown,
}

impl AddressClass {
    pub fn as_str(self) -> &'static str {
        match self {
            AddressClass::Residential => "residential",
            AddressClass::Commercial => "commercial",
            AddressClass::Mixed => "mixed",
            AddressClass::Unknown => "unknown",
        }
    }
}

#[async_trait]
pub trait AddressValidation: Send + Sync {
    async fn validate(
        &self,
        t: &dyn Transport,
        address: &Address,
    ) -> Result<AddressVerdict, CarrierError>;
}
