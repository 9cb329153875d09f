//! Carrier scorecards and delivery estimates (issue 20), computed incrementally.
//!
//! Why this shape: a scorecard over a period must stay fast at millions of shipments, so
//! it is never computed from `shipments`. Each confirmed forward shipment belongs to one
//! *daily row* — tenant × carrier × carrier account × lane × the day it was booked (India
//! time) — and adds its counts there: booked, delivered, delivered on the first attempt,
//! had an NDR, RTO, on time against its promised date, its cost; its transit time goes to a
//! histogram row per day count, so the median and p90 of any period come from sums too.
//! Reading a period sums at most (days × accounts × lanes) rows, whatever the volume.
//!
//! The rows move in the same transaction as the facts that change them (the booking in
//! `store::bookings`, scans in `store::events::record`). What a shipment counts for is a
//! pure function of its timeline ([`Progress`], [`Counted`]); `shipment_scores` remembers
//! what it is counted for now, and a change is applied as the difference. So a scan seen
//! twice, a late older scan, or a delivery that follows an RTO that was undone never count
//! a shipment twice: at any time the daily rows are the sum of every shipment's current
//! [`Counted`].
//!
//! Definitions (docs say the same):
//! - a shipment belongs to the day it was **booked** (a cohort), so every percentage of a
//!   period is over the shipments booked in it;
//! - **lane**: origin region → destination region; in India the state of the PIN code
//!   (`IN-KA`, from the PIN code table the selection rules use), `IN` when the table does
//!   not know the PIN code, and the country code elsewhere (`US`);
//! - **delivered %** and **NDR %** and **RTO %**: of the shipments; **first-attempt %**: of
//!   the delivered, those with no failed delivery attempt; **on-time %**: of the delivered
//!   with a promised date, those delivered on or before it;
//! - **transit days**: calendar days (India time) from the first carrier scan after pickup
//!   (the booking, when there was none) to the delivery; median and p90 by nearest rank.
//!
//! - [`store`]: the daily rows, written inside the callers' transactions, and the reads;
//! - [`cache`]: lane history in memory for rate requests (selection and estimates), never
//!   a query per request.

pub mod cache;
pub mod store;

use carriers::schema::{Address, TrackingEvent};
use carriers::taxonomy::{Status, Unified, fold_status};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

pub use cache::{LaneStats, Scores};

/// India Standard Time: carriers count delivery days there, and days are bucketed there.
fn ist() -> FixedOffset {
    FixedOffset::east_opt(5 * 3600 + 30 * 60).expect("valid offset")
}

/// The calendar date (India time) of a Unix millisecond time.
pub fn date_of(ms: i64) -> NaiveDate {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&ist())
        .date_naive()
}

/// Days since 1970-01-01 of a date: the `day` of the daily rows.
pub fn day_number(date: NaiveDate) -> i64 {
    date.signed_duration_since(NaiveDate::default()).num_days()
}

/// The date of a day number.
pub fn day_date(day: i64) -> NaiveDate {
    NaiveDate::default() + Duration::days(day)
}

/// A region of a lane: `IN-<state>` for an Indian PIN code the table knows, `IN` for one
/// it does not, else the ISO country code.
pub fn region(address: &Address) -> String {
    region_of(&address.country, address.postal_code.as_str())
}

/// [`region`] from the country and postal code.
pub fn region_of(country: &str, postal_code: &str) -> String {
    let country = country.trim().to_ascii_uppercase();
    if country == "IN" {
        match carriers::ratecard::india().lookup(postal_code.trim()) {
            Some(location) => format!("IN-{}", location.state.code),
            None => "IN".to_string(),
        }
    } else {
        country
    }
}

/// A lane as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, ToSchema)]
pub struct Lane {
    /// `IN-KA` (an Indian state), `IN` (an Indian PIN code not in the table) or a country.
    #[schema(example = "IN-DL")]
    pub origin: String,
    #[schema(example = "IN-KA")]
    pub destination: String,
}

/// Where a shipment's timeline has got to, as far as scorecards care.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Event time (Unix ms) of its first carrier scan after pickup.
    pub picked_up_at: Option<i64>,
    /// Event time of the scan that delivered it; `None` unless its status is delivered.
    pub delivered_at: Option<i64>,
}

/// Whether a scan says the carrier has the parcel on its way. A delivery scan is not
/// one: its time is the delivery's, and a timeline with no other scan counts its transit
/// from the booking instead.
fn after_pickup(status: Status) -> bool {
    matches!(
        status,
        Status::InTransit
            | Status::OutForDelivery
            | Status::AvailableForPickup
            | Status::DeliveryFailed
    )
}

impl Progress {
    /// Folds carrier scans (sorted by event time, shipgate's own booked marker left out)
    /// onto a timeline whose folded status is `status`; returns the status after them too.
    /// The status follows the taxonomy's own fold, so scorecards agree with the shipment.
    pub fn fold(
        mut self,
        mut status: Option<Unified>,
        scans: impl IntoIterator<Item = (Unified, i64)>,
    ) -> (Progress, Option<Unified>) {
        for (scan, at) in scans {
            if after_pickup(scan.status) {
                self.picked_up_at = Some(self.picked_up_at.map_or(at, |p| p.min(at)));
            }
            let next = fold_status(status, scan);
            let was_delivered = status.is_some_and(|s| s.status == Status::Delivered);
            match next {
                Some(n) if n.status == Status::Delivered => {
                    if !was_delivered || self.delivered_at.is_none() {
                        self.delivered_at = Some(at);
                    }
                }
                _ => self.delivered_at = None,
            }
            status = next;
        }
        (self, status)
    }

    /// [`Progress::fold`] over tracking events.
    pub fn fold_events<'e>(
        self,
        status: Option<Unified>,
        events: impl IntoIterator<Item = &'e TrackingEvent>,
    ) -> (Progress, Option<Unified>) {
        self.fold(
            status,
            events.into_iter().map(|e| {
                (
                    Unified {
                        status: e.status,
                        sub_status: e.sub_status,
                    },
                    e.event_time.timestamp_millis(),
                )
            }),
        )
    }
}

/// What one shipment counts for in its daily row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counted {
    /// Cancelled before it shipped: it leaves the scorecard (shipments and cost).
    pub cancelled: bool,
    pub delivered: bool,
    pub first_attempt: bool,
    pub ndr: bool,
    pub rto: bool,
    /// Days from pickup to delivery, when delivered.
    pub transit_days: Option<i64>,
    /// Delivered by the promised date; `None` when not delivered or nothing was promised.
    pub on_time: Option<bool>,
}

impl Counted {
    /// What a shipment in `status`, with `ndr_attempts` failed attempts and `progress`,
    /// booked at `booked_at` (Unix ms) with the promise `promised`, counts for.
    pub fn of(
        status: Option<Unified>,
        ndr_attempts: i64,
        progress: Progress,
        booked_at: i64,
        promised: Option<NaiveDate>,
    ) -> Counted {
        let delivered_at = progress
            .delivered_at
            .filter(|_| status.is_some_and(|s| s.status == Status::Delivered));
        let delivered = delivered_at.is_some();
        let transit_days = delivered_at.map(|at| {
            let from = date_of(progress.picked_up_at.unwrap_or(booked_at).min(at));
            date_of(at).signed_duration_since(from).num_days()
        });
        Counted {
            cancelled: status.is_some_and(|s| s.status == Status::Cancelled),
            delivered,
            first_attempt: delivered && ndr_attempts == 0,
            ndr: ndr_attempts > 0,
            rto: status.is_some_and(|s| s.status == Status::Rto),
            transit_days,
            on_time: delivered_at
                .zip(promised)
                .map(|(at, promised)| date_of(at) <= promised),
        }
    }
}

/// The value at `quantile` (0 < q ≤ 1) of a histogram of `(days, shipments)` rows, by
/// nearest rank (the smallest value with at least ⌈q·n⌉ shipments at or below it); `None`
/// when it is empty. Rows may come in any order and repeat a value.
pub fn percentile(histogram: &[(i64, i64)], quantile: f64) -> Option<i64> {
    let mut rows: Vec<(i64, i64)> = histogram.iter().copied().filter(|r| r.1 > 0).collect();
    rows.sort_unstable();
    let total: i64 = rows.iter().map(|r| r.1).sum();
    if total == 0 {
        return None;
    }
    let rank = ((quantile * total as f64).ceil() as i64).clamp(1, total);
    let mut seen = 0;
    for (value, n) in rows {
        seen += n;
        if seen >= rank {
            return Some(value);
        }
    }
    None
}

/// `part` of `whole` in percent with one decimal; `None` when `whole` is 0.
pub fn pct(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use carriers::taxonomy::SubStatus;

    use super::*;

    fn u(sub: SubStatus) -> Unified {
        Unified::new(sub)
    }

    const DAY: i64 = 86_400_000;
    /// 2026-03-01 00:00 IST.
    const T0: i64 = 1_772_303_400_000;

    #[test]
    fn percentiles_come_from_the_histogram_by_nearest_rank() {
        assert_eq!(percentile(&[], 0.5), None);
        assert_eq!(percentile(&[(3, 0)], 0.5), None);
        // 1,2,2,3,3,3,4,5,9,9 → median rank 5 = 3, p90 rank 9 = 9.
        let h = [(9, 2), (1, 1), (3, 3), (2, 2), (4, 1), (5, 1)];
        assert_eq!(percentile(&h, 0.5), Some(3));
        assert_eq!(percentile(&h, 0.9), Some(9));
        assert_eq!(percentile(&h, 1.0), Some(9));
        // Repeated values across days add up.
        assert_eq!(percentile(&[(2, 1), (2, 1), (7, 1)], 0.5), Some(2));
        assert_eq!(percentile(&[(4, 1)], 0.9), Some(4));
    }

    #[test]
    fn percentages_have_one_decimal_and_no_zero_denominator() {
        assert_eq!(pct(1, 3), Some(33.3));
        assert_eq!(pct(2, 3), Some(66.7));
        assert_eq!(pct(0, 5), Some(0.0));
        assert_eq!(pct(3, 0), None);
    }

    #[test]
    fn lanes_are_indian_states_or_countries() {
        assert_eq!(region_of("IN", "560001"), "IN-KA");
        assert_eq!(region_of("in", "110001"), "IN-DL");
        assert_eq!(region_of("IN", "999999"), "IN");
        assert_eq!(region_of("US", "10001"), "US");
        assert_eq!(region_of("gb", "SW1A 1AA"), "GB");
    }

    #[test]
    fn days_are_india_dates() {
        // 2026-02-28 20:00 UTC is already 1 March in India; 18:29 UTC is not.
        let d = date_of(T0 + 90 * 60_000);
        assert_eq!(d, NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
        assert_eq!(
            date_of(T0 - 60_000),
            NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()
        );
        assert_eq!(day_date(day_number(d)), d);
    }

    #[test]
    fn a_delivery_counts_once_whatever_the_order_and_repeats() {
        let scans = [
            (u(SubStatus::PickedUp), T0 + DAY),
            (u(SubStatus::CustomerUnavailable), T0 + 3 * DAY),
            (u(SubStatus::Delivered), T0 + 4 * DAY),
        ];
        let (p, s) = Progress::default().fold(None, scans);
        assert_eq!(p.picked_up_at, Some(T0 + DAY));
        assert_eq!(p.delivered_at, Some(T0 + 4 * DAY));
        let promised = NaiveDate::from_ymd_opt(2026, 3, 4);
        let c = Counted::of(s, 1, p, T0, promised);
        assert_eq!(
            c,
            Counted {
                cancelled: false,
                delivered: true,
                first_attempt: false,
                ndr: true,
                rto: false,
                transit_days: Some(3),
                on_time: Some(false),
            }
        );
        // The same delivery scanned again later changes nothing.
        let (again, s2) = p.fold(s, [(u(SubStatus::Delivered), T0 + 5 * DAY)]);
        assert_eq!(again, p);
        assert_eq!(Counted::of(s2, 1, again, T0, promised), c);
    }

    #[test]
    fn an_rto_undone_then_delivered_counts_the_last_delivery() {
        let (p, s) = Progress::default().fold(
            None,
            [
                (u(SubStatus::PickedUp), T0),
                (u(SubStatus::Delivered), T0 + DAY),
                (u(SubStatus::RtoInitiated), T0 + 2 * DAY),
            ],
        );
        let c = Counted::of(s, 0, p, T0, None);
        assert!(c.rto && !c.delivered && c.transit_days.is_none());
        let (p, s) = p.fold(s, [(u(SubStatus::Delivered), T0 + 3 * DAY)]);
        let c = Counted::of(s, 0, p, T0, None);
        assert!(c.delivered && !c.rto && c.first_attempt);
        assert_eq!(c.transit_days, Some(3));
        assert_eq!(c.on_time, None);
    }

    #[test]
    fn a_cancelled_booking_counts_for_nothing() {
        let (p, s) = Progress::default().fold(None, [(u(SubStatus::Cancelled), T0)]);
        let c = Counted::of(s, 0, p, T0, None);
        assert_eq!(
            c,
            Counted {
                cancelled: true,
                ..Default::default()
            }
        );
    }

    #[test]
    fn without_a_pickup_scan_transit_counts_from_the_booking() {
        let (p, s) = Progress::default().fold(None, [(u(SubStatus::Delivered), T0 + 2 * DAY)]);
        assert_eq!(Counted::of(s, 0, p, T0, None).transit_days, Some(2));
        // Undelivered: nothing about transit or time.
        let (p, s) = Progress::default().fold(None, [(u(SubStatus::InTransit), T0)]);
        assert_eq!(
            Counted::of(s, 0, p, T0, None),
            Counted {
                ..Default::default()
            }
        );
    }
}
