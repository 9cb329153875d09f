//! Weight discrepancy and freight invoice routes (issue 17, point 5): the carrier file
//! import (`POST /v1/carrier-charges`), the discrepancy list, a shipment's dispute and the
//! carrier's decision on it, and finance's overcharge report. `service::weights` has the
//! why; `service::charge_files` the file layouts.

use std::collections::BTreeMap;

use actix_web::web::{self, Json};
use actix_web::{HttpRequest, get, post};
use carriers::schema::Money;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::guard::{CreatingRequest, Key, RawQuery, Read, Write, media_type, run_creating};
use super::json::parse_json;
use super::ops::{cursor, encode_cursor, limit, param_error, read_query, unknown_params};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::oms_webhooks::events::WeightDiscrepancyView;
use crate::reply::Reply;
use crate::service::charge_files::{ChargeKind, Layout, zone_of};
use crate::service::weights::{DecisionInput, DisputeInput, DisputeView, ImportSummary};
use crate::store::PageKey;

const DEFAULT_LIMIT: u32 = 50;
const STATES: [&str; 4] = ["open", "disputed", "accepted", "rejected"];

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The file's layout: `delhivery`, `shiprocket` or `generic`; recognised from the
    /// header row when absent.
    #[param(value_type = Option<String>)]
    layout: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    unknown: BTreeMap<String, String>,
}

/// Imports a carrier's charged weights or freight invoice (CSV, `Content-Type: text/csv`).
///
/// Each row's charged weight is compared with the shipment's declared chargeable weight
/// and flagged over the tolerance, with its cost at the account's rate card; an invoice's
/// charges are compared with what shipgate expected. A problem anywhere in the file is a
/// 422 with every problem at `/csv/<line>/<column>`, and nothing is stored. Importing the
/// same file again changes nothing: 200 with the first import's outcome.
#[utoipa::path(
    operation_id = "importCarrierCharges",
    tag = "weights",
    params(ImportQuery),
    request_body(content(
        (String = "text/csv", example = "Waybill,Charged Weight (g)\n1234567890123,1500\n"),
    )),
    responses(
        (status = 201, description = "Imported", body = ImportSummary),
        (status = 200, description = "This file was imported before; nothing changed", body = ImportSummary),
        (status = 415, description = "Not `text/csv`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Problems in the file, at `/csv/<line>/<column>`, or a bad `layout`", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/carrier-charges")]
pub async fn import(
    state: web::Data<AppState>,
    req: HttpRequest,
    RawQuery(raw): RawQuery,
    request: CreatingRequest<Write>,
) -> Reply {
    let media = media_type(&req).unwrap_or_default();
    run_creating(state, request, move |state, request| async move {
        let mut errors = Vec::new();
        let q: ImportQuery = read_query(raw.as_deref(), &mut errors)?;
        let layout = q.layout.as_deref().and_then(|v| {
            let found = Layout::parse(v);
            if found.is_none() {
                errors.push(param_error(
                    "layout",
                    "invalid_value",
                    format!("`{v}` is not a layout; use delhivery, shiprocket or generic"),
                ));
            }
            found
        });
        unknown_params(&q.unknown, &mut errors);
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        if media != "text/csv" {
            return Err(ApiError::UnsupportedContentType("text/csv"));
        }
        let (summary, replayed) = state
            .weights
            .import(&request.caller.tenant.id, &request.body, layout)
            .await?;
        if !replayed {
            super::audit::record(
                &state,
                &request.caller,
                "carrier_charges.imported",
                ("carrier_charge_import", &summary.id),
                None,
                Some(serde_json::json!({
                    "layout": summary.layout, "lines": summary.lines, "flagged": summary.flagged,
                    "unknown_awbs": summary.unknown_awbs, "invoice_lines": summary.invoice_lines,
                    "overcharged_lines": summary.overcharged_lines,
                })),
            )
            .await;
        }
        Ok(Reply::json(if replayed { 200 } else { 201 }, &summary))
    })
    .await
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiscrepancyQuery {
    /// `open`, `disputed`, `accepted` or `rejected`; every flagged one when absent.
    state: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page; absent for the first page.
    cursor: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    unknown: BTreeMap<String, String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DiscrepancyList {
    /// Newest flagged first.
    pub data: Vec<WeightDiscrepancyView>,
    /// Pass as `cursor` for the next page; `null` on the last.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

/// The tenant's weight discrepancies: charges flagged over the tolerance, with their cost.
#[utoipa::path(
    operation_id = "listWeightDiscrepancies",
    tag = "weights",
    params(DiscrepancyQuery),
    responses(
        (status = 200, body = DiscrepancyList),
        (status = 422, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/weight-discrepancies")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Key<Read>,
    RawQuery(raw): RawQuery,
) -> Result<Json<DiscrepancyList>, ApiError> {
    let mut errors = Vec::new();
    let q: DiscrepancyQuery = read_query(raw.as_deref(), &mut errors)?;
    let wanted = q
        .state
        .as_deref()
        .and_then(|v| discrepancy_state(&mut errors, "state", v));
    let limit = limit(&mut errors, q.limit.as_deref(), DEFAULT_LIMIT);
    let after = cursor(&mut errors, q.cursor.as_deref());
    unknown_params(&q.unknown, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let (data, more) = state
        .store
        .weight_discrepancies(
            &caller.tenant.id,
            wanted,
            after.as_ref().map(|k| (k.created_at_ms, k.id.as_str())),
            limit,
        )
        .await?;
    let next_cursor = more.then(|| data.last()).flatten().map(|d| {
        encode_cursor(&PageKey {
            created_at_ms: d.flagged_at.map_or(0, |t| t.timestamp_millis()),
            id: d.shipment_id.clone(),
        })
    });
    Ok(Json(DiscrepancyList { data, next_cursor }))
}

/// A discrepancy state named in a query (`weight_discrepancy`, `state`).
pub(super) fn discrepancy_state(
    errors: &mut Vec<carriers::schema::FieldError>,
    name: &str,
    value: &str,
) -> Option<&'static str> {
    let found = STATES.iter().copied().find(|s| *s == value);
    if found.is_none() {
        errors.push(param_error(
            name,
            "invalid_value",
            format!(
                "`{value}` is not a discrepancy state; use one of {}",
                STATES.join(", ")
            ),
        ));
    }
    found
}

/// A shipment's charged weight and its disputes.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShipmentWeight {
    /// The carrier's charged weight against the declared one; null before any import
    /// named the shipment.
    pub weight_discrepancy: Option<WeightDiscrepancyView>,
    /// Oldest first.
    pub disputes: Vec<DisputeView>,
}

/// Disputes a shipment's open weight discrepancy, with evidence.
///
/// Raised through the carrier's weight-dispute API where it has one; Delhivery and
/// Shiprocket publish none, so their disputes are tracked in shipgate (`raised_via:
/// shipgate`): raise it in the carrier's panel and record its decision with
/// `POST /v1/shipments/{id}/weight-dispute/decision`. The discrepancy becomes `disputed`.
#[utoipa::path(
    operation_id = "createWeightDispute",
    tag = "weights",
    params(("id" = String, Path, description = "Shipment id")),
    request_body = DisputeInput,
    responses(
        (status = 201, body = DisputeView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A dispute is open already (`weight_dispute_exists`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid evidence, or no open discrepancy (`no_open_discrepancy`)", body = Problem, content_type = "application/problem+json"),
        (status = 502, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/shipments/{id}/weight-dispute")]
pub async fn dispute(
    state: web::Data<AppState>,
    id: web::Path<String>,
    request: CreatingRequest<Write>,
) -> Reply {
    let id = id.into_inner();
    run_creating(state, request, |state, request| async move {
        let input: DisputeInput = parse_json(request.json, &request.body)?;
        let shipment = state.shipments.get(&request.caller.tenant.id, &id).await?;
        let dispute = state.weights.dispute(&shipment, &input).await?;
        super::audit::record(
            &state,
            &request.caller,
            "weight_dispute.raised",
            ("shipment", &shipment.id),
            None,
            serde_json::to_value(&dispute).ok(),
        )
        .await;
        let location = format!("/v1/shipments/{}/weight-dispute", shipment.id);
        Ok(Reply::json(201, &dispute).with_header("location", location))
    })
    .await
}

/// Records the carrier's decision on the shipment's open weight dispute: `accepted` (the
/// declared weight stands) or `rejected` (the charged weight stands).
#[utoipa::path(
    operation_id = "decideWeightDispute",
    tag = "weights",
    params(("id" = String, Path, description = "Shipment id")),
    request_body = DecisionInput,
    responses(
        (status = 200, body = DisputeView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or no open dispute (`no_open_dispute`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/shipments/{id}/weight-dispute/decision")]
pub async fn decide(
    state: web::Data<AppState>,
    id: web::Path<String>,
    request: CreatingRequest<Write>,
) -> Reply {
    let id = id.into_inner();
    run_creating(state, request, |state, request| async move {
        let input: DecisionInput = parse_json(request.json, &request.body)?;
        let shipment = state.shipments.get(&request.caller.tenant.id, &id).await?;
        let before = state.store.weight_disputes(&shipment.id).await?;
        let decided = state.weights.decide(&shipment, &input).await?;
        let before = before
            .into_iter()
            .find(|d| d.id == decided.id)
            .map(DisputeView::from);
        super::audit::record(
            &state,
            &request.caller,
            "weight_dispute.decided",
            ("shipment", &shipment.id),
            before.and_then(|b| serde_json::to_value(b).ok()),
            serde_json::to_value(&decided).ok(),
        )
        .await;
        Ok(Reply::json(200, &decided))
    })
    .await
}

/// A shipment's charged weight against its declared weight, and its disputes.
#[utoipa::path(
    operation_id = "getShipmentWeight",
    tag = "weights",
    params(("id" = String, Path, description = "Shipment id")),
    responses(
        (status = 200, body = ShipmentWeight),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/shipments/{id}/weight-dispute")]
pub async fn shipment_weight(
    state: web::Data<AppState>,
    caller: Key<Read>,
    id: web::Path<String>,
) -> Result<Json<ShipmentWeight>, ApiError> {
    let shipment = state.shipments.get(&caller.tenant.id, &id).await?;
    let weight_discrepancy = state
        .store
        .weight_charges(std::slice::from_ref(&shipment.id))
        .await?
        .into_iter()
        .next();
    let disputes = state
        .store
        .weight_disputes(&shipment.id)
        .await?
        .into_iter()
        .map(DisputeView::from)
        .collect();
    Ok(Json(ShipmentWeight {
        weight_discrepancy,
        disputes,
    }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OverchargeQuery {
    /// First invoice date, `YYYY-MM-DD` (included).
    #[param(value_type = String)]
    from: Option<String>,
    /// Last invoice date, `YYYY-MM-DD` (included); at most 366 days after `from`.
    #[param(value_type = String)]
    to: Option<String>,
    /// Only this carrier id.
    carrier: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    unknown: BTreeMap<String, String>,
}

/// One charge of an invoice line against what shipgate expected.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChargeComparison {
    pub kind: ChargeKind,
    /// Null when nothing prices it (no quote kept, no rate card; RTO charges).
    pub expected: Option<Money>,
    pub billed: Money,
    /// `billed − expected`; null when expected is.
    pub difference: Option<Money>,
}

/// An invoice line billed over what shipgate expected, or that it cannot check.
#[derive(Debug, Serialize, ToSchema)]
pub struct OverchargeLine {
    pub carrier: String,
    pub awb: String,
    /// Null for an AWB shipgate did not book for this tenant.
    pub shipment_id: Option<String>,
    pub invoice_date: String,
    pub import_id: String,
    pub charged_weight_g: Option<i64>,
    /// The zone the carrier billed, as it wrote it.
    pub billed_zone: Option<String>,
    /// The zone the two PIN codes make (shipgate's zone names).
    pub expected_zone: Option<String>,
    /// The billed zone is another than the PIN codes make.
    pub zone_mismatch: bool,
    /// `booking_quote` (the quote an `auto` booking chose), `rate_card`, or null when
    /// nothing priced the shipment.
    pub expected_source: Option<String>,
    pub charges: Vec<ChargeComparison>,
    /// Billed total less expected total, when over it; null when the expected total is
    /// unknown.
    pub overcharge: Option<Money>,
}

/// Per carrier, over every invoice line in the range.
#[derive(Debug, Serialize, ToSchema)]
pub struct CarrierOvercharges {
    pub carrier: String,
    pub lines: usize,
    pub billed: Money,
    /// Of the lines whose expected total is known.
    pub expected: Money,
    /// Summed positive differences of the lines' totals.
    pub overcharge: Money,
    pub overcharged_lines: usize,
    /// Lines nothing priced (unknown AWB, no quote kept and no rate card, an RTO).
    pub unpriced_lines: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OverchargeReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Lines with a charge over what was expected, a zone mismatch, or nothing to check
    /// them against; by carrier, date and AWB.
    pub lines: Vec<OverchargeLine>,
    pub totals: Vec<CarrierOvercharges>,
}

/// Finance's list of overcharges: carriers' freight invoice lines against what shipgate
/// expected (the quote at booking, else the account's rate card), per charge kind.
#[utoipa::path(
    operation_id = "getOverchargeReport",
    tag = "weights",
    params(OverchargeQuery),
    responses(
        (status = 200, body = OverchargeReport),
        (status = 422, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/reports/overcharges")]
pub async fn overcharges(
    state: web::Data<AppState>,
    caller: Key<Read>,
    RawQuery(raw): RawQuery,
) -> Result<Json<OverchargeReport>, ApiError> {
    let mut errors = Vec::new();
    let q: OverchargeQuery = read_query(raw.as_deref(), &mut errors)?;
    let mut date = |name: &str, value: Option<&str>| -> Option<NaiveDate> {
        let Some(v) = value else {
            errors.push(param_error(name, "required", "a date, YYYY-MM-DD"));
            return None;
        };
        let parsed = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
        if parsed.is_none() {
            errors.push(param_error(
                name,
                "invalid_date",
                format!("`{v}` is not a date, YYYY-MM-DD"),
            ));
        }
        parsed
    };
    let from = date("from", q.from.as_deref());
    let to = date("to", q.to.as_deref());
    if let (Some(f), Some(t)) = (from, to)
        && (t < f || (t - f).num_days() > 366)
    {
        errors.push(param_error(
            "to",
            "invalid_range",
            "on or after `from`, at most 366 days after it",
        ));
    }
    let known: Vec<&str> = carriers::registry().iter().map(|s| s.id).collect();
    if let Some(c) = q.carrier.as_deref()
        && !known.contains(&c)
    {
        errors.push(param_error(
            "carrier",
            "unknown_carrier",
            format!("`{c}` is not a carrier id"),
        ));
    }
    unknown_params(&q.unknown, &mut errors);
    let (Some(from), Some(to)) = (from, to) else {
        return Err(ApiError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let rows = state
        .store
        .invoice_lines(
            &caller.tenant.id,
            &from.format("%Y-%m-%d").to_string(),
            &to.format("%Y-%m-%d").to_string(),
            q.carrier.as_deref(),
        )
        .await?;
    let inr = Money::inr;
    let mut lines = Vec::new();
    let mut totals: BTreeMap<String, CarrierOvercharges> = BTreeMap::new();
    for row in rows {
        let l = row.line;
        let billed: BTreeMap<String, i64> =
            serde_json::from_str(&l.billed_json).unwrap_or_default();
        let expected: Option<BTreeMap<String, Option<i64>>> = l
            .expected_json
            .as_deref()
            .and_then(|j| serde_json::from_str(j).ok());
        let charges: Vec<ChargeComparison> = ChargeKind::ALL
            .into_iter()
            .filter_map(|kind| {
                let b = *billed.get(kind.as_str())?;
                let e = expected
                    .as_ref()
                    .and_then(|e| e.get(kind.as_str()).copied().flatten());
                Some(ChargeComparison {
                    kind,
                    expected: e.map(inr),
                    billed: inr(b),
                    difference: e.map(|e| inr(b - e)),
                })
            })
            .collect();
        let zone_mismatch = match (l.billed_zone.as_deref().and_then(zone_of), &l.expected_zone) {
            (Some(b), Some(e)) => b.as_str() != e,
            _ => false,
        };
        let total = totals
            .entry(l.carrier.clone())
            .or_insert_with(|| CarrierOvercharges {
                carrier: l.carrier.clone(),
                lines: 0,
                billed: inr(0),
                expected: inr(0),
                overcharge: inr(0),
                overcharged_lines: 0,
                unpriced_lines: 0,
            });
        let billed_total = billed.get("total").copied().unwrap_or(0);
        let expected_total = expected
            .as_ref()
            .and_then(|e| e.get("total").copied().flatten());
        total.lines += 1;
        total.billed.amount += billed_total;
        match expected_total {
            Some(e) => {
                total.expected.amount += e;
                if billed_total > e {
                    total.overcharge.amount += billed_total - e;
                    total.overcharged_lines += 1;
                }
            }
            None => total.unpriced_lines += 1,
        }
        let over = charges
            .iter()
            .any(|c| c.difference.as_ref().is_some_and(|d| d.amount > 0));
        if over || zone_mismatch || expected_total.is_none() {
            lines.push(OverchargeLine {
                carrier: l.carrier,
                awb: l.awb,
                shipment_id: l.shipment_id,
                invoice_date: l.invoice_date,
                import_id: row.import_id,
                charged_weight_g: l.charged_g,
                billed_zone: l.billed_zone,
                expected_zone: l.expected_zone,
                zone_mismatch,
                expected_source: l.expected_source,
                charges,
                overcharge: expected_total.map(|e| inr((billed_total - e).max(0))),
            });
        }
    }
    Ok(Json(OverchargeReport {
        from,
        to,
        lines,
        totals: totals.into_values().collect(),
    }))
}
