//! Pickups: asking the carrier to collect booked parcels from a pickup location.

use async_trait::async_trait;
use chrono::{NaiveDate, NaiveTime};

use crate::schema::CancelOutcome;
use crate::{CarrierError, Transport};

/// A collection to schedule: where (the carrier's name for a registered pickup location),
/// when, and which booked shipments (AWBs) are to be collected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickupRequest {
    pub location: String,
    pub date: NaiveDate,
    /// The earliest and latest collection time, local to the location, where the carrier
    /// takes a window.
    pub window: Option<(NaiveTime, NaiveTime)>,
    pub awbs: Vec<String>,
    /// Parcels expected, for carriers that size the vehicle by it.
    pub packages: u32,
}

/// A scheduled collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledPickup {
    /// The carrier's pickup reference, to cancel or to quote to its support.
    pub pickup_id: String,
    /// The date the carrier confirmed (it may move the one asked for).
    pub date: NaiveDate,
    pub carrier_message: String,
}

#[async_trait]
pub trait Pickups: Send + Sync {
    async fn schedule(
        &self,
        t: &dyn Transport,
        request: &PickupRequest,
    ) -> Result<ScheduledPickup, CarrierError>;

    async fn cancel(
        &self,
        t: &dyn Transport,
        pickup: &ScheduledPickup,
    ) -> Result<CancelOutcome, CarrierError>;
}
