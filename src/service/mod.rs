//! What the API does, apart from HTTP: booking, cancelling, tracking, labels and rate
//! shopping. Handlers parse and authorise; these functions talk to the store and, through
//! the executor, to carriers.

pub mod booking;
pub mod booking_writer;
pub mod carrier_accounts;
pub mod manifests;
pub mod ndr;
pub mod ndr_policy;
pub mod pickup_locations;
pub mod pickups;
pub mod rate_cache;
pub mod rate_cards;
pub mod rates;
pub mod serviceability;
pub mod shipments;
pub mod stale_refresh;
