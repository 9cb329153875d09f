//! What finance asks of COD (issue 17): per carrier account, what couriers collected,
//! what remittances paid, and what is outstanding and overdue (`GET /v1/reports/cod`), and
//! the outstanding shipments with their ages (`GET /v1/cod/outstanding`).
//! `service::cod_remittance` says when a shipment is overdue.

use std::collections::BTreeMap;

use actix_web::get;
use actix_web::web::{self, Json};
use carriers::schema::{FieldError, Money};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::cod::refuse;
use super::guard::{Key, RawQuery, Read};
use super::ops::{limit, param_error, read_query, unknown_params};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::store::DeliveredCod;

const DEFAULT_LIMIT: u32 = 50;

/// India Standard Time: report dates are Indian business days.
fn ist() -> FixedOffset {
    FixedOffset::east_opt(5 * 3600 + 1800).expect("a valid offset")
}

/// A count of shipments and their amount.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CodTotal {
    pub count: i64,
    pub amount: Money,
}

impl CodTotal {
    fn zero(currency: &carriers::schema::Currency) -> CodTotal {
        CodTotal {
            count: 0,
            amount: Money {
                amount: 0,
                currency: currency.clone(),
            },
        }
    }

    fn add(&mut self, amount: i64) {
        self.count += 1;
        self.amount.amount += amount;
    }
}

/// One carrier account's COD, in one currency.
#[derive(Debug, Serialize, ToSchema)]
pub struct CodReportRow {
    pub carrier: String,
    pub carrier_account: String,
    /// Its remittance cycle: days after delivery the carrier pays within.
    pub remittance_days: i64,
    /// Delivered COD shipments and what the couriers collected (their COD amounts).
    pub collected: CodTotal,
    /// Of those, the ones a remittance paid, and what it paid.
    pub remitted: CodTotal,
    /// Delivered, not remitted yet (their COD amounts).
    pub outstanding: CodTotal,
    /// Outstanding past the remittance cycle.
    pub overdue: CodTotal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CodReport {
    /// The first day of deliveries counted (India time).
    #[schema(format = Date)]
    pub from: String,
    /// The last day (included).
    #[schema(format = Date)]
    pub to: String,
    /// When outstanding and overdue were judged.
    pub as_of: DateTime<Utc>,
    /// Per carrier account and currency.
    pub data: Vec<CodReportRow>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// First delivery day counted, `YYYY-MM-DD` (India time); default 29 days before `to`.
    #[param(value_type = Option<String>, format = Date)]
    from: Option<String>,
    /// Last delivery day counted (included); default today (India time).
    #[param(value_type = Option<String>, format = Date)]
    to: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    unknown: BTreeMap<String, String>,
}

/// Reads `from`/`to` days as the Unix-ms range `[from 00:00 IST, to+1 00:00 IST)`; `from`
/// defaults to `default_days` days before `to` (the beginning of time when `None`).
fn day_range(
    errors: &mut Vec<FieldError>,
    from: Option<&str>,
    to: Option<&str>,
    default_days: Option<i64>,
) -> (NaiveDate, NaiveDate, (i64, i64)) {
    let mut day = |name: &str, value: Option<&str>| {
        value.and_then(|v| {
            let parsed = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
            if parsed.is_none() {
                errors.push(param_error(name, "invalid_date", "a date as YYYY-MM-DD"));
            }
            parsed
        })
    };
    let today = Utc::now().with_timezone(&ist()).date_naive();
    let to_day = day("to", to).unwrap_or(today);
    let from_day = day("from", from).unwrap_or_else(|| match default_days {
        Some(days) => to_day - Duration::days(days - 1),
        None => NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date"),
    });
    if from_day > to_day {
        errors.push(param_error("from", "invalid_range", "after `to`"));
    }
    let start = |d: NaiveDate| {
        ist()
            .from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight exists"))
            .single()
            .map_or(0, |t| t.timestamp_millis())
    };
    (
        from_day,
        to_day,
        (start(from_day), start(to_day + Duration::days(1))),
    )
}

/// Every delivered COD shipment in `range`, in pages.
async fn all_delivered(
    state: &AppState,
    tenant_id: &str,
    range: (i64, i64),
    only_outstanding: bool,
) -> Result<Vec<DeliveredCod>, ApiError> {
    const PAGE: i64 = 1000;
    let mut out: Vec<DeliveredCod> = Vec::new();
    loop {
        let after = out.last().map(|d| (d.delivered_at, d.shipment_id.clone()));
        let page = state
            .store
            .cod_delivered(
                tenant_id,
                range,
                only_outstanding,
                after.as_ref().map(|(at, id)| (*at, id.as_str())),
                PAGE,
            )
            .await?;
        let done = (page.len() as i64) < PAGE;
        out.extend(page);
        if done {
            return Ok(out);
        }
    }
}

/// COD by carrier account: collected, remitted, outstanding and overdue.
///
/// Counts the delivered COD shipments whose first delivered scan falls on `from` to `to`
/// (India time). `outstanding` is what no remittance paid yet; `overdue`, what is
/// outstanding longer than the account's remittance cycle (`remittance_days`) after
/// delivery.
#[utoipa::path(
    operation_id = "getCodReport",
    tag = "cod",
    params(ReportQuery),
    responses(
        (status = 200, body = CodReport),
        (status = 422, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/reports/cod")]
pub async fn report(
    state: web::Data<AppState>,
    caller: Key<Read>,
    RawQuery(raw): RawQuery,
) -> Result<Json<CodReport>, ApiError> {
    let mut errors = Vec::new();
    let q: ReportQuery = read_query(raw.as_deref(), &mut errors)?;
    let (from, to, range) = day_range(&mut errors, q.from.as_deref(), q.to.as_deref(), Some(30));
    unknown_params(&q.unknown, &mut errors);
    refuse(errors)?;
    let now = Utc::now();
    let delivered = all_delivered(&state, &caller.tenant.id, range, false).await?;
    let mut rows: BTreeMap<(String, String, String), CodReportRow> = BTreeMap::new();
    for d in &delivered {
        let currency = &d.cod_amount.currency;
        let row = rows
            .entry((
                d.carrier.clone(),
                d.carrier_account.clone(),
                currency.as_str().to_string(),
            ))
            .or_insert_with(|| CodReportRow {
                carrier: d.carrier.clone(),
                carrier_account: d.carrier_account.clone(),
                remittance_days: state.cod.cycle_days(
                    &caller.tenant.id,
                    &d.carrier_account,
                    &d.carrier,
                ),
                collected: CodTotal::zero(currency),
                remitted: CodTotal::zero(currency),
                outstanding: CodTotal::zero(currency),
                overdue: CodTotal::zero(currency),
            });
        row.collected.add(d.cod_amount.amount);
        match d.remitted {
            Some(paid) => row.remitted.add(paid),
            None => {
                row.outstanding.add(d.cod_amount.amount);
                if state.cod.standing(&caller.tenant.id, d, now).overdue {
                    row.overdue.add(d.cod_amount.amount);
                }
            }
        }
    }
    Ok(Json(CodReport {
        from: from.to_string(),
        to: to.to_string(),
        as_of: now,
        data: rows.into_values().collect(),
    }))
}

/// A delivered COD shipment no remittance paid yet.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutstandingCod {
    pub shipment_id: String,
    pub order_ref: String,
    pub carrier: String,
    pub carrier_account: String,
    pub awb: Option<String>,
    pub cod_amount: Money,
    /// The first delivered scan (carrier time).
    pub delivered_at: DateTime<Utc>,
    /// Whole days since delivery.
    pub age_days: i64,
    pub remittance_days: i64,
    /// When the carrier should have paid it by.
    pub due_at: DateTime<Utc>,
    pub overdue: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutstandingList {
    /// Oldest delivery first.
    pub data: Vec<OutstandingCod>,
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutstandingQuery {
    /// Only this carrier (`delhivery`) or carrier account (`ca_…`).
    carrier: Option<String>,
    /// `true`: only the overdue ones; `false`: only those not overdue yet.
    #[param(value_type = Option<bool>)]
    overdue: Option<String>,
    /// First delivery day counted (`YYYY-MM-DD`, India time); default: every delivery
    /// up to `to`.
    #[param(value_type = Option<String>, format = Date)]
    from: Option<String>,
    /// Last delivery day counted (included); default today.
    #[param(value_type = Option<String>, format = Date)]
    to: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    unknown: BTreeMap<String, String>,
}

/// Delivered COD not remitted yet, oldest delivery first, with its age and whether it is
/// overdue.
#[utoipa::path(
    operation_id = "listOutstandingCod",
    tag = "cod",
    params(OutstandingQuery),
    responses(
        (status = 200, body = OutstandingList),
        (status = 422, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/cod/outstanding")]
pub async fn outstanding(
    state: web::Data<AppState>,
    caller: Key<Read>,
    RawQuery(raw): RawQuery,
) -> Result<Json<OutstandingList>, ApiError> {
    let mut errors = Vec::new();
    let q: OutstandingQuery = read_query(raw.as_deref(), &mut errors)?;
    let (_, _, range) = day_range(&mut errors, q.from.as_deref(), q.to.as_deref(), None);
    let limit = limit(&mut errors, q.limit.as_deref(), DEFAULT_LIMIT) as usize;
    let overdue = q.overdue.as_deref().and_then(|v| match v {
        "true" => Some(true),
        "false" => Some(false),
        _ => {
            errors.push(param_error("overdue", "invalid_value", "`true` or `false`"));
            None
        }
    });
    let after = q.cursor.as_deref().and_then(|c| {
        let parsed = c
            .split_once(':')
            .and_then(|(at, id)| Some((at.parse::<i64>().ok()?, id.to_string())))
            .filter(|(_, id)| id.starts_with("shp_"));
        if parsed.is_none() {
            errors.push(param_error(
                "cursor",
                "invalid_cursor",
                "not a cursor returned by this API",
            ));
        }
        parsed
    });
    unknown_params(&q.unknown, &mut errors);
    refuse(errors)?;
    let now = Utc::now();
    // Filters apply after the store's page: read pages until this one is full.
    let mut out = Vec::new();
    let mut cursor = after;
    let mut more = false;
    'pages: loop {
        const PAGE: i64 = 500;
        let page = state
            .store
            .cod_delivered(
                &caller.tenant.id,
                range,
                true,
                cursor.as_ref().map(|(at, id)| (*at, id.as_str())),
                PAGE,
            )
            .await?;
        let last_page = (page.len() as i64) < PAGE;
        for d in page {
            cursor = Some((d.delivered_at, d.shipment_id.clone()));
            if q.carrier
                .as_deref()
                .is_some_and(|c| c != d.carrier && c != d.carrier_account)
            {
                continue;
            }
            let standing = state.cod.standing(&caller.tenant.id, &d, now);
            if overdue.is_some_and(|want| want != standing.overdue) {
                continue;
            }
            if out.len() == limit {
                more = true;
                break 'pages;
            }
            out.push(OutstandingCod {
                shipment_id: d.shipment_id,
                order_ref: d.order_ref,
                carrier: d.carrier,
                carrier_account: d.carrier_account,
                awb: d.awb,
                cod_amount: d.cod_amount,
                delivered_at: standing.delivered_at,
                age_days: standing.age_days,
                remittance_days: standing.cycle_days,
                due_at: standing.due_at,
                overdue: standing.overdue,
            });
        }
        if last_page {
            break;
        }
    }
    let next_cursor = more
        .then(|| {
            out.last()
                .map(|o| format!("{}:{}", o.delivered_at.timestamp_millis(), o.shipment_id))
        })
        .flatten();
    Ok(Json(OutstandingList {
        data: out,
        next_cursor,
    }))
}
