//! The scorecard tables (migration 0023): written inside the transactions of the booking
//! and of the scans, read by summing daily rows.
//!
//! Writes go in multi-row statements of the few shapes of `store::batch`, like the writes
//! beside them, and the daily rows are upserted with `+ excluded.n`, so concurrent
//! transactions add up instead of overwriting each other (PostgreSQL takes the row lock,
//! SQLite has one writer). Deltas to the same row are merged first: PostgreSQL refuses a
//! statement that upserts one row twice.

use std::collections::{BTreeMap, HashMap};

use carriers::schema::{Money, TrackingEvent};
use carriers::taxonomy::{Status, SubStatus, Unified};
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::{Any, AssertSqlSafe, Row, Transaction};

use super::{Counted, Lane, Progress, date_of, day_number};
use crate::store::Store;
use crate::store::batch::{placeholders, shaped, statement, value_rows};

/// A confirmed booking, as scorecards count it.
#[derive(Debug, Clone)]
pub struct Booked {
    pub shipment_id: String,
    pub tenant_id: String,
    pub carrier: String,
    pub carrier_account: String,
    pub lane: Lane,
    /// Unix ms.
    pub booked_at: i64,
    pub charged: Option<Money>,
    pub promised: Option<NaiveDate>,
}

/// A shipment whose timeline just grew, as `store::events::record` saw it.
pub struct Moved<'a> {
    pub shipment_id: &'a str,
    /// The folded status of its carrier scans before (`None` before the first one).
    pub before: Option<Unified>,
    /// Its new carrier scans, by event time.
    pub scans: Vec<&'a TrackingEvent>,
    /// Whether none of them is older than its newest scan before: then they fold on from
    /// where it stood; otherwise its whole timeline is folded again.
    pub in_order: bool,
    /// Its status and failed attempts after them.
    pub after: Option<Unified>,
    pub ndr_attempts: i64,
}

/// The key of a daily row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct DailyKey {
    tenant_id: String,
    day: i64,
    carrier: String,
    carrier_account: String,
    origin: String,
    destination: String,
}

/// Additions to a daily row, in the order of [`DAILY_COUNTS`].
type Counts = [i64; 9];

const DAILY_COUNTS: [&str; 9] = [
    "shipments",
    "delivered",
    "first_attempt",
    "ndr",
    "rto",
    "promised_delivered",
    "on_time",
    "costed",
    "cost_amount",
];

/// What a shipment adds to its row beyond its booking (which added 1 shipment and its
/// cost): a cancelled one takes them back.
fn counts_of(c: &Counted, cost: Option<i64>) -> Counts {
    let b = i64::from;
    let gone = b(c.cancelled);
    [
        -gone,
        b(c.delivered),
        b(c.first_attempt),
        b(c.ndr),
        b(c.rto),
        b(c.on_time.is_some()),
        b(c.on_time == Some(true)),
        -gone * b(cost.is_some()),
        -gone * cost.unwrap_or(0),
    ]
}

#[derive(Default)]
struct Deltas {
    daily: BTreeMap<(DailyKey, String), Counts>,
    transit: BTreeMap<(DailyKey, i64), i64>,
}

impl Deltas {
    fn add(&mut self, key: &DailyKey, currency: &str, counts: Counts, sign: i64) {
        let row = self
            .daily
            .entry((key.clone(), currency.to_string()))
            .or_default();
        for (r, c) in row.iter_mut().zip(counts) {
            *r += sign * c;
        }
    }

    fn transit(&mut self, key: &DailyKey, days: Option<i64>, sign: i64) {
        if let Some(days) = days {
            *self.transit.entry((key.clone(), days)).or_default() += sign;
        }
    }

    async fn write(self, tx: &mut Transaction<'_, Any>) -> Result<(), sqlx::Error> {
        let daily: Vec<_> = self
            .daily
            .into_iter()
            .filter(|(_, c)| c.iter().any(|n| *n != 0))
            .collect();
        for chunk in shaped(&daily) {
            let sql = statement("scorecard daily", chunk.len(), |n| {
                let updates = DAILY_COUNTS
                    .iter()
                    .map(|c| format!("{c} = carrier_daily.{c} + excluded.{c}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                format!(
                    "INSERT INTO carrier_daily (tenant_id, day, carrier, carrier_account, origin, \
                     destination, currency, {}) VALUES {} ON CONFLICT (tenant_id, day, carrier, \
                     carrier_account, origin, destination, currency) DO UPDATE SET {updates}",
                    DAILY_COUNTS.join(", "),
                    value_rows(n, 7 + DAILY_COUNTS.len())
                )
            });
            let mut query = sqlx::query(sql);
            for ((k, currency), counts) in chunk {
                query = query
                    .bind(k.tenant_id.clone())
                    .bind(k.day)
                    .bind(k.carrier.clone())
                    .bind(k.carrier_account.clone())
                    .bind(k.origin.clone())
                    .bind(k.destination.clone())
                    .bind(currency.clone());
                for n in counts {
                    query = query.bind(*n);
                }
            }
            query.execute(&mut **tx).await?;
        }
        let transit: Vec<_> = self.transit.into_iter().filter(|(_, n)| *n != 0).collect();
        for chunk in shaped(&transit) {
            let sql = statement("scorecard transit", chunk.len(), |n| {
                format!(
                    "INSERT INTO carrier_transit_daily (tenant_id, day, carrier, carrier_account, \
                     origin, destination, transit_days, shipments) VALUES {} ON CONFLICT \
                     (tenant_id, day, carrier, carrier_account, origin, destination, transit_days) \
                     DO UPDATE SET shipments = carrier_transit_daily.shipments + excluded.shipments",
                    value_rows(n, 8)
                )
            });
            let mut query = sqlx::query(sql);
            for ((k, days), n) in chunk {
                query = query
                    .bind(k.tenant_id.clone())
                    .bind(k.day)
                    .bind(k.carrier.clone())
                    .bind(k.carrier_account.clone())
                    .bind(k.origin.clone())
                    .bind(k.destination.clone())
                    .bind(*days)
                    .bind(*n);
            }
            query.execute(&mut **tx).await?;
        }
        Ok(())
    }
}

/// Counts confirmed bookings, once each (a booking confirmed again by reconciliation is
/// not counted again).
pub async fn on_booked(
    tx: &mut Transaction<'_, Any>,
    booked: &[Booked],
) -> Result<(), sqlx::Error> {
    let mut inserted = std::collections::HashSet::new();
    for chunk in shaped(booked) {
        let sql = statement("scorecard booked", chunk.len(), |n| {
            format!(
                "INSERT INTO shipment_scores (shipment_id, tenant_id, carrier, carrier_account, \
                 origin, destination, day, currency, cost, promised, booked_at) VALUES {} \
                 ON CONFLICT (shipment_id) DO NOTHING RETURNING shipment_id",
                value_rows(n, 11)
            )
        });
        let mut query = sqlx::query(sql);
        for b in chunk {
            query = query
                .bind(b.shipment_id.clone())
                .bind(b.tenant_id.clone())
                .bind(b.carrier.clone())
                .bind(b.carrier_account.clone())
                .bind(b.lane.origin.clone())
                .bind(b.lane.destination.clone())
                .bind(day_number(date_of(b.booked_at)))
                .bind(currency_of(b.charged.as_ref()))
                .bind(b.charged.as_ref().map(|m| m.amount))
                .bind(b.promised.map(|d| d.to_string()))
                .bind(b.booked_at);
        }
        for row in query.fetch_all(&mut **tx).await? {
            inserted.insert(row.try_get::<String, _>("shipment_id")?);
        }
    }
    let mut deltas = Deltas::default();
    for b in booked.iter().filter(|b| inserted.contains(&b.shipment_id)) {
        let key = DailyKey {
            tenant_id: b.tenant_id.clone(),
            day: day_number(date_of(b.booked_at)),
            carrier: b.carrier.clone(),
            carrier_account: b.carrier_account.clone(),
            origin: b.lane.origin.clone(),
            destination: b.lane.destination.clone(),
        };
        let cost = b.charged.as_ref().map_or(0, |m| m.amount);
        let counts = [1, 0, 0, 0, 0, 0, 0, i64::from(b.charged.is_some()), cost];
        deltas.add(&key, &currency_of(b.charged.as_ref()), counts, 1);
    }
    deltas.write(tx).await
}

fn currency_of(m: Option<&Money>) -> String {
    m.map(|m| m.currency.as_str().to_string())
        .unwrap_or_default()
}

/// A shipment's scorecard row as stored.
struct Scored {
    key: DailyKey,
    currency: String,
    cost: Option<i64>,
    promised: Option<NaiveDate>,
    booked_at: i64,
    progress: Progress,
    counted: Counted,
}

fn scored_from_row(r: &AnyRow) -> Result<Scored, sqlx::Error> {
    let flag = |c: &str| -> Result<bool, sqlx::Error> { Ok(r.try_get::<i64, _>(c)? != 0) };
    let promised: Option<String> = r.try_get("promised")?;
    let on_time: Option<i64> = r.try_get("on_time")?;
    Ok(Scored {
        key: DailyKey {
            tenant_id: r.try_get("tenant_id")?,
            day: r.try_get("day")?,
            carrier: r.try_get("carrier")?,
            carrier_account: r.try_get("carrier_account")?,
            origin: r.try_get("origin")?,
            destination: r.try_get("destination")?,
        },
        currency: r.try_get("currency")?,
        cost: r.try_get("cost")?,
        promised: promised.and_then(|p| p.parse().ok()),
        booked_at: r.try_get("booked_at")?,
        progress: Progress {
            picked_up_at: r.try_get("picked_up_at")?,
            delivered_at: r.try_get("delivered_at")?,
        },
        counted: Counted {
            cancelled: flag("cancelled")?,
            delivered: flag("delivered")?,
            first_attempt: flag("first_attempt")?,
            ndr: flag("ndr")?,
            rto: flag("rto")?,
            transit_days: r.try_get("transit_days")?,
            on_time: on_time.map(|t| t != 0),
        },
    })
}

/// Moves the daily rows of shipments whose timeline grew by what they now count for.
/// Shipments not scored (returns, bookings from before migration 0023) are left alone.
pub async fn on_events(
    tx: &mut Transaction<'_, Any>,
    moved: &[Moved<'_>],
) -> Result<(), sqlx::Error> {
    if moved.is_empty() {
        return Ok(());
    }
    let ids: Vec<&str> = moved.iter().map(|m| m.shipment_id).collect();
    let mut stored: HashMap<String, Scored> = HashMap::new();
    for chunk in shaped(&ids) {
        let sql = statement("scorecard read", chunk.len(), |n| {
            format!(
                "SELECT shipment_id, tenant_id, day, carrier, carrier_account, origin, destination, \
                 currency, cost, promised, booked_at, picked_up_at, delivered_at, delivered, first_attempt, \
                 ndr, rto, transit_days, on_time, cancelled FROM shipment_scores WHERE shipment_id IN ({})",
                placeholders(1, n)
            )
        });
        let mut query = sqlx::query(sql);
        for id in chunk {
            query = query.bind(id.to_string());
        }
        for row in query.fetch_all(&mut **tx).await? {
            stored.insert(row.try_get("shipment_id")?, scored_from_row(&row)?);
        }
    }
    let mut deltas = Deltas::default();
    let mut changed: Vec<(&str, Progress, Counted)> = Vec::new();
    for m in moved {
        let Some(before) = stored.get(m.shipment_id) else {
            continue;
        };
        let progress = if m.in_order {
            before
                .progress
                .fold_events(m.before, m.scans.iter().copied())
                .0
        } else {
            Progress::default()
                .fold(None, timeline(tx, m.shipment_id).await?)
                .0
        };
        let counted = Counted::of(
            m.after,
            m.ndr_attempts,
            progress,
            before.booked_at,
            before.promised,
        );
        if progress == before.progress && counted == before.counted {
            continue;
        }
        if counted != before.counted {
            deltas.add(
                &before.key,
                &before.currency,
                counts_of(&before.counted, before.cost),
                -1,
            );
            let now = counts_of(&counted, before.cost);
            deltas.add(&before.key, &before.currency, now, 1);
            deltas.transit(&before.key, before.counted.transit_days, -1);
            deltas.transit(&before.key, counted.transit_days, 1);
        }
        changed.push((m.shipment_id, progress, counted));
    }
    for chunk in shaped(&changed) {
        let sql = statement("scorecard move", chunk.len(), |n| {
            format!(
                "UPDATE shipment_scores SET picked_up_at = v.column2, delivered_at = v.column3, \
                 delivered = v.column4, first_attempt = v.column5, ndr = v.column6, rto = v.column7, \
                 transit_days = v.column8, on_time = v.column9, cancelled = v.column10 \
                 FROM (VALUES {}) AS v WHERE shipment_scores.shipment_id = v.column1",
                value_rows(n, 10)
            )
        });
        let mut query = sqlx::query(sql);
        for (id, p, c) in chunk {
            let b = i64::from;
            query = query
                .bind(id.to_string())
                .bind(p.picked_up_at)
                .bind(p.delivered_at)
                .bind(b(c.delivered))
                .bind(b(c.first_attempt))
                .bind(b(c.ndr))
                .bind(b(c.rto))
                .bind(c.transit_days)
                .bind(c.on_time.map(b))
                .bind(b(c.cancelled));
        }
        query.execute(&mut **tx).await?;
    }
    deltas.write(tx).await
}

/// A shipment's carrier scans by event time (shipgate's booked marker and unparseable
/// rows left out), for folding again after a late, older scan.
async fn timeline(
    tx: &mut Transaction<'_, Any>,
    shipment_id: &str,
) -> Result<Vec<(Unified, i64)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT status, sub_status, event_time FROM tracking_events WHERE shipment_id = $1 \
         AND carrier_code <> $2 ORDER BY event_time, id",
    )
    .bind(shipment_id)
    .bind(crate::store::BOOKED_CODE)
    .fetch_all(&mut **tx)
    .await?;
    let mut scans = Vec::with_capacity(rows.len());
    for row in &rows {
        let status: String = row.try_get("status")?;
        let sub_status: String = row.try_get("sub_status")?;
        if let (Ok(status), Ok(sub_status)) =
            (status.parse::<Status>(), sub_status.parse::<SubStatus>())
        {
            scans.push((Unified { status, sub_status }, row.try_get("event_time")?));
        }
    }
    Ok(scans)
}

/// Sums of daily rows of one group (an account, or an account's lane).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub shipments: i64,
    pub delivered: i64,
    pub first_attempt: i64,
    pub ndr: i64,
    pub rto: i64,
    pub promised_delivered: i64,
    pub on_time: i64,
    /// Per currency: (shipments with a cost, their cost, delivered among all its shipments).
    pub costs: BTreeMap<String, (i64, i64, i64)>,
    /// (transit days, shipments).
    pub transit: Vec<(i64, i64)>,
}

/// One group of a scorecard: (carrier, carrier account, lane when grouped by lane).
pub type Group = (String, String, Option<Lane>);

impl Store {
    /// A tenant's daily rows from `from_day` to `to_day` (inclusive) summed per account,
    /// or per account and lane.
    pub async fn scorecard(
        &self,
        tenant_id: &str,
        from_day: i64,
        to_day: i64,
        by_lane: bool,
    ) -> Result<BTreeMap<Group, Totals>, sqlx::Error> {
        let lane_cols = if by_lane { ", origin, destination" } else { "" };
        let sums = DAILY_COUNTS
            .iter()
            .map(|c| format!("CAST(SUM({c}) AS BIGINT) AS {c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT carrier, carrier_account{lane_cols}, currency, {sums} FROM carrier_daily \
             WHERE tenant_id = $1 AND day >= $2 AND day <= $3 \
             GROUP BY carrier, carrier_account{lane_cols}, currency"
        )))
        .bind(tenant_id)
        .bind(from_day)
        .bind(to_day)
        .fetch_all(self.pool())
        .await?;
        let group = |r: &AnyRow| -> Result<Group, sqlx::Error> {
            Ok((
                r.try_get("carrier")?,
                r.try_get("carrier_account")?,
                if by_lane {
                    Some(Lane {
                        origin: r.try_get("origin")?,
                        destination: r.try_get("destination")?,
                    })
                } else {
                    None
                },
            ))
        };
        let mut out: BTreeMap<Group, Totals> = BTreeMap::new();
        for r in &rows {
            let t = out.entry(group(r)?).or_default();
            let n = |c: &str| r.try_get::<i64, _>(c);
            t.shipments += n("shipments")?;
            t.delivered += n("delivered")?;
            t.first_attempt += n("first_attempt")?;
            t.ndr += n("ndr")?;
            t.rto += n("rto")?;
            t.promised_delivered += n("promised_delivered")?;
            t.on_time += n("on_time")?;
            let currency: String = r.try_get("currency")?;
            if !currency.is_empty() {
                let c = t.costs.entry(currency).or_default();
                c.0 += n("costed")?;
                c.1 += n("cost_amount")?;
                c.2 += n("delivered")?;
            }
        }
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT carrier, carrier_account{lane_cols}, transit_days, \
             CAST(SUM(shipments) AS BIGINT) AS shipments FROM carrier_transit_daily \
             WHERE tenant_id = $1 AND day >= $2 AND day <= $3 \
             GROUP BY carrier, carrier_account{lane_cols}, transit_days"
        )))
        .bind(tenant_id)
        .bind(from_day)
        .bind(to_day)
        .fetch_all(self.pool())
        .await?;
        for r in &rows {
            if let Some(t) = out.get_mut(&group(r)?) {
                t.transit
                    .push((r.try_get("transit_days")?, r.try_get("shipments")?));
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The point of the daily rows: a period is a range seek in their primary key, and no
    // query of a scorecard touches `shipments`.
    #[tokio::test]
    async fn a_scorecard_seeks_its_days_and_never_reads_shipments() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("plan.db").display());
        let store = Store::connect(&url).await.unwrap();
        store.migrate().await.unwrap();
        for sql in [
            "SELECT carrier, carrier_account, origin, destination, currency, SUM(shipments) \
             FROM carrier_daily WHERE tenant_id = $1 AND day >= $2 AND day <= $3 \
             GROUP BY carrier, carrier_account, origin, destination, currency",
            "SELECT carrier, carrier_account, transit_days, SUM(shipments) FROM \
             carrier_transit_daily WHERE tenant_id = $1 AND day >= $2 AND day <= $3 \
             GROUP BY carrier, carrier_account, transit_days",
        ] {
            let rows = sqlx::query(AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
                .fetch_all(store.pool())
                .await
                .unwrap();
            let plan = rows
                .iter()
                .map(|r| r.get::<String, _>(3))
                .collect::<Vec<_>>()
                .join("; ");
            assert!(
                plan.contains("USING INDEX") && plan.contains("day>? AND day<?"),
                "{plan}"
            );
            assert!(!plan.contains("shipments "), "{plan}");
        }
    }
}
