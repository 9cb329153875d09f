//! Address quality routes (issue 17): `POST /v1/addresses/check` scores an address before
//! anything is booked (an OMS can ask at checkout), and `GET /v1/reports/address-quality`
//! shows what each band of booked addresses became — delivered or returned (RTO).
//! `carriers::address_quality` has the scorer; `service::address_quality` applies it at
//! booking.

use std::collections::BTreeMap;

use actix_web::web::{self, Json};
use actix_web::{get, post};
use carriers::address_quality::{Assessment, Band, FAIR_FROM, GOOD_FROM};
use carriers::schema::AddressInput;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::guard::{Key, RawQuery, Read};
use super::json::ApiJson;
use super::ops::{instant, read_query, unknown_params};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::service::address_quality::count_check;

/// Score an address: normalised, read into parts, scored 0–100 with a band and the
/// reasons at their fields' pointers.
///
/// Takes an address as in a booking's `to`. Changes nothing: no `Idempotency-Key`, and
/// a `read` key is enough. An address that is not valid at all (a missing city, a PIN
/// code of five digits) is a 422 at its pointers, as a booking would be; one that is
/// valid but doubtful is a 200 with a low score. Outside India only the checks that
/// apply run (`checks` lists them; a `checks_limited` reason says so).
#[utoipa::path(
    operation_id = "checkAddress",
    tag = "addresses",
    request_body = AddressInput,
    responses(
        (status = 200, description = "The assessment; `band` is `good` from 80, `fair` from 50, `poor` below", body = Assessment),
        (status = 422, description = "Not a valid address: every problem at its JSON pointer", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/addresses/check")]
pub async fn check(
    _caller: Key<Read>,
    ApiJson(input): ApiJson<AddressInput>,
) -> Result<Json<Assessment>, ApiError> {
    let assessment = carriers::address_quality::check(&input).map_err(ApiError::Validation)?;
    count_check(assessment.quality.band);
    Ok(Json(assessment))
}

/// The range of `GET /v1/reports/address-quality`; either end may be left open.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Shipments created at or after this instant (RFC 3339).
    #[param(value_type = Option<DateTime<Utc>>)]
    from: Option<String>,
    /// Shipments created before this instant (RFC 3339; exclusive).
    #[param(value_type = Option<DateTime<Utc>>)]
    to: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    unknown: BTreeMap<String, String>,
}

/// What one band's shipments became.
#[derive(Debug, Serialize, ToSchema)]
pub struct BandReport {
    /// `good`, `fair`, `poor`, or `unscored` (booked before addresses were scored; listed
    /// only when there are any).
    pub band: String,
    /// Booked forward shipments (returns booked as such are not counted).
    pub shipments: i64,
    pub delivered: i64,
    /// Returned to origin or on the way back (any `rto` status).
    pub rto: i64,
    /// RTO as a percentage of the band's shipments that reached an end (delivered or
    /// RTO), one decimal; null while none has.
    #[schema(required = true)]
    pub rto_pct: Option<f64>,
}

/// RTO rates by address quality band.
#[derive(Debug, Serialize, ToSchema)]
pub struct AddressQualityReport {
    /// Start of the range (UTC); `null` when open.
    #[schema(required = true)]
    pub from: Option<DateTime<Utc>>,
    /// End of the range (exclusive); `null` when open.
    #[schema(required = true)]
    pub to: Option<DateTime<Utc>>,
    /// The score a band starts at: `good` from 80, `fair` from 50, `poor` below.
    pub thresholds: Thresholds,
    /// `good`, `fair`, `poor` always (zeros included), then `unscored` if any.
    pub data: Vec<BandReport>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Thresholds {
    pub good_from: u8,
    pub fair_from: u8,
}

/// Delivered and RTO counts of the tenant's shipments created in `[from, to)`, per
/// address quality band at booking.
#[utoipa::path(
    operation_id = "getAddressQualityReport",
    tag = "addresses",
    params(ReportQuery),
    responses(
        (status = 200, body = AddressQualityReport),
        (status = 422, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/reports/address-quality")]
pub async fn report(
    state: web::Data<AppState>,
    caller: Key<Read>,
    RawQuery(raw): RawQuery,
) -> Result<Json<AddressQualityReport>, ApiError> {
    let mut errors = Vec::new();
    let q: ReportQuery = read_query(raw.as_deref(), &mut errors)?;
    let from = q
        .from
        .as_deref()
        .and_then(|v| instant(&mut errors, "from", v));
    let to = q.to.as_deref().and_then(|v| instant(&mut errors, "to", v));
    super::ops::ordered_range(&mut errors, ("from", from), ("to", to));
    unknown_params(&q.unknown, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let rows = state
        .store
        .address_band_outcomes(
            &caller.tenant.id,
            from.map(|t| t.timestamp_millis()),
            to.map(|t| t.timestamp_millis()),
        )
        .await?;
    let row = |band: Option<&str>| {
        let found = rows.iter().find(|r| r.band.as_deref() == band);
        let (shipments, delivered, rto) =
            found.map_or((0, 0, 0), |r| (r.shipments, r.delivered, r.rto));
        let ended = delivered + rto;
        BandReport {
            band: band.unwrap_or("unscored").to_string(),
            shipments,
            delivered,
            rto,
            rto_pct: (ended > 0).then(|| (rto as f64 * 1000.0 / ended as f64).round() / 10.0),
        }
    };
    let mut data: Vec<BandReport> = Band::ALL.iter().map(|b| row(Some(b.as_str()))).collect();
    let unscored = row(None);
    if unscored.shipments > 0 {
        data.push(unscored);
    }
    Ok(Json(AddressQualityReport {
        from,
        to,
        thresholds: Thresholds {
            good_from: GOOD_FROM,
            fair_from: FAIR_FROM,
        },
        data,
    }))
}
