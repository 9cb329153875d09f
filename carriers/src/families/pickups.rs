//! Pickups: registering the seller's warehouses with the carrier, and asking it to
//! collect booked parcels from one.
//!
//! Why locations live in this family: a carrier collects only from an address it knows
//! under a name of its own (Delhivery's "client warehouse", Shiprocket's pickup location
//! nickname), so registering one is the first step of every pickup, and a carrier that
//! takes pickups has that call too.

use async_trait::async_trait;
use chrono::{NaiveDate, NaiveTime};

use crate::schema::{Address, CancelOutcome, ShipmentRef};
use crate::{CarrierError, Transport};

/// A warehouse to register: the name the carrier is to know it by, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickupLocation {
    /// The carrier's name for it (unique per carrier account; what bookings and pickup
    /// requests name).
    pub name: String,
    /// Address, contact name (`name`) and phone.
    pub address: Address,
    /// Opening hours, local time, where the carrier records them.
    pub working_hours: Option<(NaiveTime, NaiveTime)>,
}

/// What the carrier made of a registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredLocation {
    /// The name the carrier knows the location by (what pickups must name).
    pub carrier_name: String,
    /// The carrier's id for it, where it gives one (Shiprocket's `pickup_id`).
    pub carrier_id: Option<String>,
    /// Whether the carrier says it is usable now (Delhivery activates new warehouses by
    /// hand, within a day).
    pub active: bool,
    pub carrier_message: String,
}

/// A collection to schedule: where (the carrier's name for a registered pickup location),
/// when, and which booked shipments are to be collected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickupRequest {
    pub location: String,
    /// The location's address, contact and phone, for carriers that take the pickup
    /// address with each request instead of keeping a registry of their own (FedEx, UPS,
    /// DHL Express, USPS).
    pub address: Address,
    pub date: NaiveDate,
    /// The earliest and latest collection time, local to the location, where the carrier
    /// takes a window.
    pub window: Option<(NaiveTime, NaiveTime)>,
    /// The shipments to collect (carriers that pick up by shipment read their refs);
    /// empty for a pickup of `packages` parcels.
    pub shipments: Vec<ShipmentRef>,
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
    /// Registers a warehouse with the carrier. A name the carrier already knows is its
    /// refusal ([`CarrierError::Rejected`]) in its words.
    async fn register_location(
        &self,
        t: &dyn Transport,
        location: &PickupLocation,
    ) -> Result<RegisteredLocation, CarrierError>;

    async fn schedule(
        &self,
        t: &dyn Transport,
        request: &PickupRequest,
    ) -> Result<ScheduledPickup, CarrierError>;

    /// Cancels a scheduled pickup; [`CarrierError::Unsupported`] without a call where the
    /// carrier's API has no such call.
    async fn cancel(
        &self,
        t: &dyn Transport,
        pickup: &ScheduledPickup,
    ) -> Result<CancelOutcome, CarrierError>;

    /// Whether [`Pickups::reschedule`] is a call to the carrier (DHL Express's MyDHL
    /// `PATCH /pickups/{number}`); most carriers have none, and a pickup is then cancelled
    /// and asked for again. Read before anything is changed, so a carrier that cannot
    /// move a pickup is refused cleanly.
    fn reschedules(&self) -> bool {
        false
    }

    /// Moves a scheduled pickup to `request`'s date and window (the same place and
    /// parcels), answering what the carrier now confirms (its reference may change).
    /// [`CarrierError::Unsupported`] without a call unless [`Pickups::reschedules`].
    async fn reschedule(
        &self,
        _t: &dyn Transport,
        _pickup: &ScheduledPickup,
        _request: &PickupRequest,
    ) -> Result<ScheduledPickup, CarrierError> {
        Err(CarrierError::Unsupported("rescheduling a pickup"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{HttpRequest, HttpResponse};

    /// A carrier's pickups with only the required calls.
    struct Plain;

    #[async_trait]
    impl Pickups for Plain {
        async fn register_location(
            &self,
            _: &dyn Transport,
            _: &PickupLocation,
        ) -> Result<RegisteredLocation, CarrierError> {
            Err(CarrierError::Unsupported("test"))
        }
        async fn schedule(
            &self,
            _: &dyn Transport,
            _: &PickupRequest,
        ) -> Result<ScheduledPickup, CarrierError> {
            Err(CarrierError::Unsupported("test"))
        }
        async fn cancel(
            &self,
            _: &dyn Transport,
            _: &ScheduledPickup,
        ) -> Result<CancelOutcome, CarrierError> {
            Err(CarrierError::Unsupported("test"))
        }
    }

    /// A transport that fails the test if anything is sent.
    struct Silent;

    #[async_trait]
    impl Transport for Silent {
        async fn send(
            &self,
            _: crate::Operation,
            _: HttpRequest,
        ) -> Result<HttpResponse, CarrierError> {
            panic!("nothing is to be sent")
        }
    }

    #[tokio::test]
    async fn rescheduling_is_not_offered_unless_a_carrier_says_so() {
        let pickup = ScheduledPickup {
            pickup_id: "P1".into(),
            date: NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
            carrier_message: String::new(),
        };
        let request = PickupRequest {
            location: "WH".into(),
            address: crate::schema::Address {
                name: "WH".into(),
                phone: crate::schema::Phone::parse("9000000001", "IN").unwrap(),
                email: None,
                line1: "1 Road".into(),
                line2: None,
                landmark: None,
                city: "New Delhi".into(),
                state: None,
                postal_code: crate::schema::PostalCode::parse("110020", "IN").unwrap(),
                country: "IN".into(),
            },
            date: pickup.date,
            window: None,
            shipments: Vec::new(),
            packages: 1,
        };
        assert!(!Plain.reschedules());
        let refused = Plain.reschedule(&Silent, &pickup, &request).await;
        assert!(matches!(refused, Err(CarrierError::Unsupported(_))));
    }
}
