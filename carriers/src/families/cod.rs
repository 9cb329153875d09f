//! COD remittance: the cash couriers collected on delivery, paid back to the seller.

use async_trait::async_trait;
use chrono::NaiveDate;

use crate::schema::Money;
use crate::{CarrierError, Transport};

/// One payout by the carrier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remittance {
    pub remittance_id: String,
    pub paid_on: NaiveDate,
    pub amount: Money,
    /// The bank's reference for the transfer (UTR in India), where given.
    pub bank_reference: Option<String>,
    pub shipments: Vec<RemittedShipment>,
}

/// A shipment's share of a payout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemittedShipment {
    pub awb: String,
    pub amount: Money,
}

#[async_trait]
pub trait CodRemittance: Send + Sync {
    /// Payouts made between `from` and `to`, both included.
    async fn remittances(
        &self,
        t: &dyn Transport,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Remittance>, CarrierError>;
}
