//! Lane history in memory, for the requests that need it on their hot path: selection
//! rules that prefer by a lane metric, and delivery estimates on quotes and bookings.
//!
//! A rate request must not query the scorecard tables: an entry per (tenant, window) holds
//! every (account, lane)'s sums over that window, read with one grouped query and kept for
//! the TTL (the selection cache's TTL × 12, one minute by default: scorecards move by the
//! day). Expired, one caller reloads while the others use the stale sums
//! (`service::stale_refresh`), so an expiry never puts a burst of identical queries on the
//! database.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use carriers::schema::{EstimateSource, RateQuote, RateRequest};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Lane, day_number, percentile};
use crate::error::ApiError;
use crate::service::stale_refresh::Refresh;
use crate::store::Store;

/// How far back delivery estimates look, and how many deliveries they need on a lane.
pub const ESTIMATE_WINDOW_DAYS: u32 = 30;
pub const ESTIMATE_MIN_DELIVERED: i64 = 10;

/// What one account did on one lane over a window.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LaneStats {
    pub shipments: i64,
    pub delivered: i64,
    pub first_attempt: i64,
    pub rto: i64,
    /// (transit days, shipments).
    pub transit: Vec<(i64, i64)>,
}

/// A lane metric selection rules can prefer by.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LaneMetric {
    /// Highest share of shipments delivered.
    DeliveredPct,
    /// Highest share of deliveries made on the first attempt.
    FirstAttemptPct,
    /// Lowest share of shipments returned to origin.
    RtoPct,
    /// Fewest median transit days.
    TransitDaysMedian,
}

impl LaneMetric {
    pub const ALL: [LaneMetric; 4] = [
        LaneMetric::DeliveredPct,
        LaneMetric::FirstAttemptPct,
        LaneMetric::RtoPct,
        LaneMetric::TransitDaysMedian,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LaneMetric::DeliveredPct => "delivered_pct",
            LaneMetric::FirstAttemptPct => "first_attempt_pct",
            LaneMetric::RtoPct => "rto_pct",
            LaneMetric::TransitDaysMedian => "transit_days_median",
        }
    }

    pub fn parse(s: &str) -> Option<LaneMetric> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

impl LaneStats {
    /// The metric as a cost (smaller is better; percentages in hundredths of a percent),
    /// and the sample it stands on: shipments for delivered and RTO, deliveries for
    /// first-attempt and transit.
    pub fn cost(&self, metric: LaneMetric) -> Option<(i64, i64)> {
        let share = |part: i64, whole: i64| (whole > 0).then(|| part * 10_000 / whole);
        match metric {
            LaneMetric::DeliveredPct => {
                share(self.delivered, self.shipments).map(|v| (-v, self.shipments))
            }
            LaneMetric::FirstAttemptPct => {
                share(self.first_attempt, self.delivered).map(|v| (-v, self.delivered))
            }
            LaneMetric::RtoPct => share(self.rto, self.shipments).map(|v| (v, self.shipments)),
            LaneMetric::TransitDaysMedian => {
                let n = self.transit.iter().map(|t| t.1).sum();
                percentile(&self.transit, 0.5).map(|m| (m, n))
            }
        }
    }

    /// As the reasons of a recommendation show it.
    pub fn describe(&self, metric: LaneMetric) -> String {
        match self.cost(metric) {
            None => "no data".into(),
            Some((v, n)) => match metric {
                LaneMetric::TransitDaysMedian => format!("{v} days over {n} deliveries"),
                LaneMetric::RtoPct => format!("{:.1}% of {n} shipments", v as f64 / 100.0),
                LaneMetric::DeliveredPct => format!("{:.1}% of {n} shipments", -v as f64 / 100.0),
                LaneMetric::FirstAttemptPct => {
                    format!("{:.1}% of {n} deliveries", -v as f64 / 100.0)
                }
            },
        }
    }
}

/// Every (carrier account, lane) of a tenant over one window.
pub type LaneTable = HashMap<(String, Lane), LaneStats>;

struct Entry {
    loaded: Instant,
    /// The day the window ended on when loaded: a new day reloads.
    day: i64,
    lanes: Arc<LaneTable>,
    refresh: Refresh,
}

/// The tenants' lane history, per window length in days.
pub struct Scores {
    store: Store,
    ttl: Duration,
    entries: RwLock<HashMap<(String, u32), Entry>>,
}

impl Scores {
    pub fn new(store: Store, ttl: Duration) -> Scores {
        Scores {
            store,
            ttl,
            entries: RwLock::default(),
        }
    }

    /// The tenant's lanes over the `window` days up to `today`, from memory unless the
    /// entry is missing, expired or of another day.
    pub async fn lanes(
        &self,
        tenant_id: &str,
        window: u32,
        today: NaiveDate,
    ) -> Result<Arc<LaneTable>, ApiError> {
        let day = day_number(today);
        let key = (tenant_id.to_string(), window);
        let _reloading = {
            let entries = self.entries.read().unwrap_or_else(|p| p.into_inner());
            match entries.get(&key) {
                Some(e) if e.day == day && e.loaded.elapsed() < self.ttl => {
                    metrics::counter!("shipgate_lane_history_cache_total", "result" => "hit")
                        .increment(1);
                    return Ok(e.lanes.clone());
                }
                Some(e) if e.day == day => match e.refresh.claim() {
                    Some(reloading) => Some(reloading),
                    None => {
                        metrics::counter!("shipgate_lane_history_cache_total", "result" => "stale")
                            .increment(1);
                        return Ok(e.lanes.clone());
                    }
                },
                _ => None,
            }
        };
        metrics::counter!("shipgate_lane_history_cache_total", "result" => "miss").increment(1);
        let from = day - i64::from(window.max(1)) + 1;
        let groups = self.store.scorecard(tenant_id, from, day, true).await?;
        let lanes: LaneTable = groups
            .into_iter()
            .filter_map(|((_, account, lane), t)| {
                Some((
                    (account, lane?),
                    LaneStats {
                        shipments: t.shipments,
                        delivered: t.delivered,
                        first_attempt: t.first_attempt,
                        rto: t.rto,
                        transit: t.transit,
                    },
                ))
            })
            .collect();
        let lanes = Arc::new(lanes);
        self.entries
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(
                key,
                Entry {
                    loaded: Instant::now(),
                    day,
                    lanes: lanes.clone(),
                    refresh: Refresh::default(),
                },
            );
        Ok(lanes)
    }

    /// The delivery date the lane's history gives a booking with `account` today: today
    /// plus the median transit days of the last [`ESTIMATE_WINDOW_DAYS`], when at least
    /// [`ESTIMATE_MIN_DELIVERED`] deliveries stand behind it.
    pub async fn estimate(
        &self,
        tenant_id: &str,
        account: &str,
        lane: &Lane,
        today: NaiveDate,
    ) -> Result<Option<NaiveDate>, ApiError> {
        let lanes = self.lanes(tenant_id, ESTIMATE_WINDOW_DAYS, today).await?;
        Ok(estimate_from(&lanes, account, lane, today))
    }
}

impl Scores {
    /// Gives every quote a delivery date and says where it comes from: the carrier's own
    /// (its date, or today plus its transit days) when it gave one, else the lane's
    /// history when there is enough of it ([`estimate_from`]); otherwise none.
    pub async fn estimate_quotes(
        &self,
        tenant_id: &str,
        req: &RateRequest,
        quotes: &mut [RateQuote],
        today: NaiveDate,
    ) -> Result<(), ApiError> {
        let lane = Lane {
            origin: super::region(&req.from),
            destination: super::region(&req.to),
        };
        let mut lanes = None;
        for q in quotes {
            if q.estimated_delivery.is_some() || q.transit_days.is_some() {
                if q.estimated_delivery.is_none() {
                    q.estimated_delivery = q
                        .transit_days
                        .map(|d| today + chrono::Days::new(u64::from(d)));
                }
                q.estimated_delivery_source = Some(EstimateSource::Carrier);
                continue;
            }
            if lanes.is_none() {
                lanes = Some(self.lanes(tenant_id, ESTIMATE_WINDOW_DAYS, today).await?);
            }
            let table = lanes.as_deref().expect("loaded");
            if let Some(date) = estimate_from(table, &q.carrier_account, &lane, today) {
                q.estimated_delivery = Some(date);
                q.estimated_delivery_source = Some(EstimateSource::History);
            }
        }
        Ok(())
    }
}

/// [`Scores::estimate`] from a loaded table.
pub fn estimate_from(
    lanes: &LaneTable,
    account: &str,
    lane: &Lane,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let stats = lanes.get(&(account.to_string(), lane.clone()))?;
    let (median, n) = stats.cost(LaneMetric::TransitDaysMedian)?;
    (n >= ESTIMATE_MIN_DELIVERED)
        .then(|| today + chrono::Days::new(u64::try_from(median).unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_are_costs_over_their_own_sample() {
        let s = LaneStats {
            shipments: 10,
            delivered: 8,
            first_attempt: 6,
            rto: 1,
            transit: vec![(2, 5), (4, 3)],
        };
        assert_eq!(s.cost(LaneMetric::DeliveredPct), Some((-8000, 10)));
        assert_eq!(s.cost(LaneMetric::FirstAttemptPct), Some((-7500, 8)));
        assert_eq!(s.cost(LaneMetric::RtoPct), Some((1000, 10)));
        assert_eq!(s.cost(LaneMetric::TransitDaysMedian), Some((2, 8)));
        assert_eq!(LaneStats::default().cost(LaneMetric::DeliveredPct), None);
        assert_eq!(
            s.describe(LaneMetric::FirstAttemptPct),
            "75.0% of 8 deliveries"
        );
        for m in LaneMetric::ALL {
            assert_eq!(LaneMetric::parse(m.as_str()), Some(m));
        }
    }

    #[test]
    fn estimates_need_enough_deliveries() {
        let lane = Lane {
            origin: "IN-DL".into(),
            destination: "IN-KA".into(),
        };
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let mut lanes = LaneTable::new();
        lanes.insert(
            ("delhivery".into(), lane.clone()),
            LaneStats {
                transit: vec![(3, ESTIMATE_MIN_DELIVERED - 1)],
                ..Default::default()
            },
        );
        assert_eq!(estimate_from(&lanes, "delhivery", &lane, today), None);
        lanes
            .get_mut(&("delhivery".into(), lane.clone()))
            .unwrap()
            .transit
            .push((5, 1));
        assert_eq!(
            estimate_from(&lanes, "delhivery", &lane, today),
            NaiveDate::from_ymd_opt(2026, 3, 4)
        );
        assert_eq!(estimate_from(&lanes, "bluedart", &lane, today), None);
    }
}
