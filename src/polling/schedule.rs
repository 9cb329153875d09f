//! When to poll a shipment next: a pure function of its status, how long it has been
//! quiet, and how its last polls went.
//!
//! Polls cost carrier quota, which bookings and the OMS's own tracking calls need too, so
//! they go where news is likely: a parcel out for delivery changes within hours, one in
//! long-haul transit within a day, one that has been quiet for days rarely. Hence:
//! - out for delivery, a failed attempt, RTO out for delivery or RTO failed attempt:
//!   `near_delivery` (30 min);
//! - in transit (forward or RTO leg) and waiting at a pickup point: a quarter of the time
//!   since the newest carrier scan, between `transit_min` (2 h) and `transit_max` (12 h) —
//!   a parcel quiet for two days is polled twice a day, a busy one every two hours;
//! - before pickup: `pre_transit` (3 h); exceptions and statuses the carrier has not given
//!   yet (`unknown`): `exception` (1 h); an expired AWB: `transit_max`;
//! - terminal (delivered, cancelled, RTO delivered or disposed, lost, destroyed): never.
//!   The RTO family is not terminal until its own end, so a returning parcel keeps being
//!   polled.
//!
//! Every time is spread by ±`jitter` so shipments booked together do not stay in step and
//! poll together forever. Failed polls back off exponentially from `retry` up to
//! `retry_max`; polls that were never sent (circuit open, quota full) wait `deferred`
//! and do not count as failures.

use std::time::Duration;

use carriers::taxonomy::{Status, SubStatus};
use rand::Rng;

use crate::config::PollingConfig;

/// The intervals, from configuration (`[polling]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub first_poll: Duration,
    pub near_delivery: Duration,
    pub pre_transit: Duration,
    pub transit_min: Duration,
    pub transit_max: Duration,
    pub exception: Duration,
    pub retry: Duration,
    pub retry_max: Duration,
    pub deferred: Duration,
    /// Fraction each time is spread by, either way (0.1: ±10 %).
    pub jitter: f64,
}

/// In transit, the interval is the time since the newest scan divided by this.
const QUIET_DIVISOR: u32 = 4;

impl Policy {
    pub fn from_config(c: &PollingConfig) -> Policy {
        Policy {
            first_poll: Duration::from_secs(c.first_poll_secs),
            near_delivery: Duration::from_secs(c.near_delivery_secs),
            pre_transit: Duration::from_secs(c.pre_transit_secs),
            transit_min: Duration::from_secs(c.transit_min_secs),
            transit_max: Duration::from_secs(c.transit_max_secs),
            exception: Duration::from_secs(c.exception_secs),
            retry: Duration::from_secs(c.retry_secs),
            retry_max: Duration::from_secs(c.retry_max_secs),
            deferred: Duration::from_secs(c.deferred_secs),
            jitter: c.jitter,
        }
    }

    /// How long after a poll to poll again, for a shipment at `sub_status` whose newest
    /// carrier scan is `quiet` old (zero when it has none or the scan is in the future).
    /// `None`: never again (terminal).
    pub fn interval(&self, sub_status: SubStatus, quiet: Duration) -> Option<Duration> {
        use SubStatus::*;
        if sub_status.is_terminal() {
            return None;
        }
        Some(match sub_status {
            RtoOutForDelivery | RtoDeliveryFailed => self.near_delivery,
            RtoInitiated | RtoInTransit => self.transit(quiet),
            Expired => self.transit_max,
            _ => match sub_status.status() {
                Status::OutForDelivery | Status::DeliveryFailed => self.near_delivery,
                Status::InTransit | Status::AvailableForPickup => self.transit(quiet),
                Status::PreTransit => self.pre_transit,
                Status::Exception | Status::Unknown => self.exception,
                // Only reachable for terminal sub-statuses, handled above; a new status
                // defaults to the cautious interval rather than "never".
                Status::Delivered | Status::Cancelled | Status::Rto => self.exception,
            },
        })
    }

    fn transit(&self, quiet: Duration) -> Duration {
        (quiet / QUIET_DIVISOR).clamp(self.transit_min, self.transit_min.max(self.transit_max))
    }

    /// The wait after the `failures`-th failed poll in a row (1 for the first).
    pub fn after_failure(&self, failures: u32) -> Duration {
        let doublings = failures.saturating_sub(1).min(20);
        self.retry
            .saturating_mul(1 << doublings)
            .min(self.retry_max.max(self.retry))
    }

    /// `d` spread by ±jitter, uniformly.
    pub fn jittered(&self, d: Duration, rng: &mut impl Rng) -> Duration {
        if self.jitter <= 0.0 || d.is_zero() {
            return d;
        }
        let factor = 1.0 + rng.random_range(-self.jitter..=self.jitter);
        d.mul_f64(factor.max(0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);
    const HOUR: Duration = Duration::from_secs(3600);

    fn policy() -> Policy {
        Policy::from_config(&PollingConfig::default())
    }

    #[test]
    fn near_delivery_is_polled_often() {
        let p = policy();
        for sub in [
            SubStatus::OutForDelivery,
            SubStatus::DeliveryRescheduled,
            SubStatus::CustomerUnavailable,
            SubStatus::Refused,
            SubStatus::RtoOutForDelivery,
            SubStatus::RtoDeliveryFailed,
        ] {
            assert_eq!(p.interval(sub, 30 * HOUR), Some(30 * MIN), "{sub}");
        }
    }

    #[test]
    fn transit_grows_with_quiet_time_within_bounds() {
        let p = policy();
        let at = |quiet| p.interval(SubStatus::InTransit, quiet).unwrap();
        assert_eq!(at(Duration::ZERO), 2 * HOUR);
        assert_eq!(at(4 * HOUR), 2 * HOUR);
        assert_eq!(at(24 * HOUR), 6 * HOUR);
        assert_eq!(at(40 * HOUR), 10 * HOUR);
        assert_eq!(at(96 * HOUR), 12 * HOUR);
        assert_eq!(at(1000 * HOUR), 12 * HOUR);
        // Grows monotonically.
        let mut last = Duration::ZERO;
        for h in 0..100 {
            let d = at(h * HOUR);
            assert!(d >= last);
            last = d;
        }
        // The RTO leg in transit and a parcel waiting at a pickup point follow the same rule.
        assert_eq!(
            p.interval(SubStatus::RtoInTransit, 24 * HOUR),
            Some(6 * HOUR)
        );
        assert_eq!(
            p.interval(SubStatus::RtoInitiated, Duration::ZERO),
            Some(2 * HOUR)
        );
        assert_eq!(
            p.interval(SubStatus::AtPickupPoint, 24 * HOUR),
            Some(6 * HOUR)
        );
    }

    #[test]
    fn pre_transit_exceptions_and_unknowns() {
        let p = policy();
        assert_eq!(
            p.interval(SubStatus::LabelCreated, Duration::ZERO),
            Some(3 * HOUR)
        );
        assert_eq!(p.interval(SubStatus::PickupFailed, HOUR), Some(3 * HOUR));
        assert_eq!(p.interval(SubStatus::Stuck, HOUR), Some(HOUR));
        assert_eq!(p.interval(SubStatus::HeldByCustoms, HOUR), Some(HOUR));
        assert_eq!(p.interval(SubStatus::NotFound, HOUR), Some(HOUR));
        assert_eq!(p.interval(SubStatus::Unmapped, HOUR), Some(HOUR));
        assert_eq!(p.interval(SubStatus::Expired, HOUR), Some(12 * HOUR));
    }

    #[test]
    fn terminal_is_never_polled_again_but_rto_is_until_its_end() {
        let p = policy();
        for sub in <SubStatus as strum::VariantArray>::VARIANTS {
            let next = p.interval(*sub, HOUR);
            assert_eq!(next.is_none(), sub.is_terminal(), "{sub}");
        }
        for sub in [
            SubStatus::RtoInitiated,
            SubStatus::RtoInTransit,
            SubStatus::RtoOutForDelivery,
            SubStatus::RtoDeliveryFailed,
        ] {
            assert!(p.interval(sub, HOUR).is_some(), "{sub}");
        }
        assert_eq!(p.interval(SubStatus::RtoDelivered, HOUR), None);
        assert_eq!(p.interval(SubStatus::RtoDisposed, HOUR), None);
        assert_eq!(p.interval(SubStatus::Delivered, HOUR), None);
        assert_eq!(p.interval(SubStatus::Lost, HOUR), None);
    }

    #[test]
    fn failures_back_off_exponentially_up_to_a_cap() {
        let p = policy();
        assert_eq!(p.after_failure(1), 2 * MIN);
        assert_eq!(p.after_failure(2), 4 * MIN);
        assert_eq!(p.after_failure(3), 8 * MIN);
        assert_eq!(p.after_failure(6), 64 * MIN);
        assert_eq!(p.after_failure(7), 2 * HOUR);
        assert_eq!(p.after_failure(1000), 2 * HOUR);
        assert_eq!(p.after_failure(0), 2 * MIN);
    }

    #[test]
    fn jitter_stays_within_bounds_and_spreads() {
        let p = policy();
        let mut rng = rand::rng();
        let times: Vec<Duration> = (0..1000).map(|_| p.jittered(HOUR, &mut rng)).collect();
        for t in &times {
            assert!(*t >= HOUR.mul_f64(0.9) && *t <= HOUR.mul_f64(1.1), "{t:?}");
        }
        let distinct: std::collections::BTreeSet<_> = times.iter().collect();
        assert!(distinct.len() > 900, "jitter spreads times");
        let early = times.iter().filter(|t| **t < HOUR).count();
        assert!((300..700).contains(&early), "{early} of 1000 early");
        let none = Policy { jitter: 0.0, ..p };
        assert_eq!(none.jittered(HOUR, &mut rng), HOUR);
    }
}
