//! `GET /v1/analytics/carriers`: carrier scorecards over a period.
//!
//! The answer sums the daily rows of `analytics` (one per tenant, account, lane and
//! booking day), so its cost depends on the period, the accounts and the lanes, never on
//! how many shipments there were. Shipments count in the period they were **booked** in;
//! the module docs of `analytics` define every number.

use std::collections::BTreeMap;

use actix_web::get;
use actix_web::web::{self, Json};
use carriers::schema::{Currency, FieldError, Money};
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::guard::{Key, RawQuery, Read};
use super::ops::{param_error, read_query, unknown_params};
use crate::analytics::store::Totals;
use crate::analytics::{Lane, day_number, pct, percentile};
use crate::app::AppState;
use crate::error::{ApiError, Problem};

/// The longest period one request sums, in days.
pub const MAX_PERIOD_DAYS: i64 = 366;
/// The period when `from` is absent: this many days up to `to`.
const DEFAULT_PERIOD_DAYS: i64 = 30;

/// What the rows are per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// One row per carrier account (`lane` is null).
    Account,
    /// One row per carrier account and lane.
    Lane,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScorecardQuery {
    /// First booking day counted, `YYYY-MM-DD` (India time); default 29 days before `to`.
    #[param(value_type = Option<String>, format = Date)]
    from: Option<String>,
    /// Last booking day counted (included), `YYYY-MM-DD`; default today (India time). At
    /// most 366 days from `from`.
    #[param(value_type = Option<String>, format = Date)]
    to: Option<String>,
    /// `account` (default) or `lane`.
    #[param(value_type = Option<GroupBy>)]
    group_by: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    unknown: BTreeMap<String, String>,
}

/// One carrier account's scorecard (on one lane when grouped by lane). Percentages are
/// 0–100 with one decimal, null when their denominator is 0.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Scorecard {
    pub carrier: String,
    pub carrier_account: String,
    /// The lane when grouped by lane; null when grouped by account.
    pub lane: Option<Lane>,
    /// Forward shipments booked in the period (cancelled ones left out).
    pub shipments: i64,
    /// Of them, delivered (now).
    pub delivered: i64,
    /// `delivered` of `shipments`.
    pub delivered_pct: Option<f64>,
    /// Of the delivered, those delivered with no failed attempt.
    pub first_attempt_pct: Option<f64>,
    /// Of the shipments, those with at least one failed delivery attempt.
    pub ndr_pct: Option<f64>,
    /// Of the shipments, those returning or returned to origin (now).
    pub rto_pct: Option<f64>,
    /// Median calendar days (India time) from the first scan after pickup (or the booking)
    /// to the delivery, by nearest rank; null without deliveries.
    pub transit_days_median: Option<i64>,
    /// The 90th percentile of the same.
    pub transit_days_p90: Option<i64>,
    /// Of the delivered with a promised date (`estimated_delivery`), those delivered on
    /// or before it.
    pub on_time_pct: Option<f64>,
    /// What the carrier charged at booking, per shipment with a charge; null when no
    /// shipment stated one. In the currency most of the group's charges are in.
    pub cost_per_shipment: Option<Money>,
    /// The same charges per delivered shipment (returned ones' cost spread on the
    /// delivered); null without a delivery.
    pub cost_per_delivered: Option<Money>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Scorecards {
    /// The first booking day counted (India time).
    #[schema(format = Date)]
    pub from: String,
    /// The last booking day counted (included).
    #[schema(format = Date)]
    pub to: String,
    pub group_by: GroupBy,
    /// By carrier account, then lane.
    pub data: Vec<Scorecard>,
}

fn card(carrier: String, carrier_account: String, lane: Option<Lane>, t: &Totals) -> Scorecard {
    // Costs in the currency most charged shipments are in (rarely more than one).
    let cost = t
        .costs
        .iter()
        .max_by_key(|(currency, c)| (c.0, std::cmp::Reverse(currency.as_str())))
        .and_then(|(currency, c)| Some((Currency::parse(currency)?, *c)));
    let money = |amount: i64, per: i64, currency: &Currency| {
        (per > 0).then(|| Money {
            amount: (amount as f64 / per as f64).round() as i64,
            currency: currency.clone(),
        })
    };
    Scorecard {
        carrier,
        carrier_account,
        lane,
        shipments: t.shipments,
        delivered: t.delivered,
        delivered_pct: pct(t.delivered, t.shipments),
        first_attempt_pct: pct(t.first_attempt, t.delivered),
        ndr_pct: pct(t.ndr, t.shipments),
        rto_pct: pct(t.rto, t.shipments),
        transit_days_median: percentile(&t.transit, 0.5),
        transit_days_p90: percentile(&t.transit, 0.9),
        on_time_pct: pct(t.on_time, t.promised_delivered),
        cost_per_shipment: cost
            .as_ref()
            .and_then(|(cur, (costed, amount, _))| money(*amount, *costed, cur)),
        cost_per_delivered: cost
            .as_ref()
            .and_then(|(cur, (_, amount, delivered))| money(*amount, *delivered, cur)),
    }
}

/// Carrier scorecards: delivered, first-attempt, NDR, RTO and on-time percentages,
/// median and p90 transit days and costs per carrier account (`group_by=account`, the
/// default) or per account and lane (`group_by=lane`: origin → destination, each an Indian
/// state as `IN-KA`, `IN` for a PIN code the table does not know, or a country), over the
/// forward shipments booked from `from` to `to` (India time; the last 30 days by default,
/// at most 366). Numbers move as scans arrive: a shipment booked in the period counts as
/// what it is now.
#[utoipa::path(
    operation_id = "getCarrierScorecards",
    tag = "analytics",
    params(ScorecardQuery),
    responses(
        (status = 200, body = Scorecards),
        (status = 422, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/analytics/carriers")]
pub async fn scorecards(
    state: web::Data<AppState>,
    caller: Key<Read>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Scorecards>, ApiError> {
    let mut errors: Vec<FieldError> = Vec::new();
    let q: ScorecardQuery = read_query(raw.as_deref(), &mut errors)?;
    let mut day = |name: &str, value: Option<&str>| {
        value.and_then(|v| {
            // Years outside 1970–9999 are typos, and far dates would overflow the sums.
            let parsed = NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .ok()
                .filter(|d| (1970..=9999).contains(&d.year()) && v.len() == 10);
            if parsed.is_none() {
                errors.push(param_error(
                    name,
                    "invalid_date",
                    "a date as YYYY-MM-DD (1970 to 9999)",
                ));
            }
            parsed
        })
    };
    let to_given = day("to", q.to.as_deref());
    let from_given = day("from", q.from.as_deref());
    let to = to_given.unwrap_or_else(crate::selection::today);
    let from = from_given.unwrap_or(to - Duration::days(DEFAULT_PERIOD_DAYS - 1));
    if from > to {
        errors.push(param_error("from", "invalid_range", "is after `to`"));
    } else if (to - from).num_days() + 1 > MAX_PERIOD_DAYS {
        errors.push(param_error(
            "from",
            "period_too_long",
            format!("the period is at most {MAX_PERIOD_DAYS} days"),
        ));
    }
    let group_by = match q.group_by.as_deref() {
        None | Some("account") => GroupBy::Account,
        Some("lane") => GroupBy::Lane,
        Some(other) => {
            errors.push(param_error(
                "group_by",
                "invalid_value",
                format!("`{other}` is not a grouping; use `account` or `lane`"),
            ));
            GroupBy::Account
        }
    };
    unknown_params(&q.unknown, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let groups = state
        .store
        .scorecard(
            &caller.tenant.id,
            day_number(from),
            day_number(to),
            group_by == GroupBy::Lane,
        )
        .await?;
    Ok(Json(Scorecards {
        from: from.to_string(),
        to: to.to_string(),
        group_by,
        data: groups
            .into_iter()
            .map(|((carrier, account, lane), t)| card(carrier, account, lane, &t))
            .collect(),
    }))
}
