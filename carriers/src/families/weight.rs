//! Weight disputes: the weight a carrier charged against the one declared.

use async_trait::async_trait;
use chrono::NaiveDate;

use crate::schema::Money;
use crate::{CarrierError, Transport};

/// What the carrier charged a shipment for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargedWeight {
    pub awb: String,
    pub declared_g: u32,
    /// The weight the carrier billed (dead or volumetric, whichever is higher).
    pub charged_g: u32,
    /// The extra charge, where the carrier states it.
    pub extra: Option<Money>,
    /// The carrier's dispute reference, where one is open.
    pub dispute_id: Option<String>,
}

/// A dispute to raise: the shipment and the evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeightDispute {
    pub awb: String,
    pub claimed_g: u32,
    pub comment: String,
    /// Links to photos of the packed parcel on a scale, where the carrier takes them.
    pub evidence_urls: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisputeOutcome {
    pub dispute_id: String,
    pub carrier_message: String,
}

#[async_trait]
pub trait WeightDisputes: Send + Sync {
    /// Charged weights reported between `from` and `to`, both included.
    async fn charged_weights(
        &self,
        t: &dyn Transport,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<ChargedWeight>, CarrierError>;

    async fn raise(
        &self,
        t: &dyn Transport,
        dispute: &WeightDispute,
    ) -> Result<DisputeOutcome, CarrierError>;
}
