//! Tracking polling: refreshing active shipments from their carriers in the background.
//!
//! Some carriers never push scans, and those that do miss some; an OMS should not have to
//! call `GET /v1/shipments/{id}/tracking` to learn that a parcel was delivered. So every
//! confirmed shipment has a schedule (`tracking_polls`, written with the booking) and
//! each gateway process runs a poller that takes due shipments, pulls their history
//! through the executor (quotas, circuit breaker, metrics) and stores new events through
//! [`crate::store::Store::add_events`], the path every event takes.
//!
//! - [`schedule`]: when to poll next — a pure policy of status, quiet time and failures.
//! - [`scheduler`]: the loop — claims, carrier quota shares, bounded concurrency.
//! - `store/polls.rs`: the schedule and its leases, so that several processes on one
//!   PostgreSQL never poll the same shipment at once and a restart loses nothing.

pub mod schedule;
pub mod scheduler;

use carriers::CarrierError;

use crate::config::PollingConfig;

pub use schedule::Policy;
pub use scheduler::start;

/// When a shipment confirmed now is first polled (Unix ms): soon, so the OMS sees the
/// carrier's first scans without asking, spread so a bulk booking does not poll at once.
pub fn first_poll_at(config: &PollingConfig) -> i64 {
    let policy = Policy::from_config(config);
    let delay = policy.jittered(policy.first_poll, &mut rand::rng());
    chrono::Utc::now().timestamp_millis() + delay.as_millis() as i64
}

/// Why a poll did not bring the carrier's history home.
#[derive(Debug, thiserror::Error)]
pub enum PollError {
    #[error(transparent)]
    Carrier(#[from] CarrierError),
    #[error("storing the polled events failed: {0}")]
    Store(#[from] sqlx::Error),
}
