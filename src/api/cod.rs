//! COD remittance routes (issue 17): upload a carrier's remittance file
//! (`POST /v1/cod-remittances`), read what each line matched, and pull files from the
//! tenant's SFTP folders now (`POST /v1/cod-remittances/pull`). The folders are
//! `api::cod_sources`; what is owed, `api::cod_report`. `service::cod_remittance` has the
//! why.
//!
//! The file is the raw request body (`Content-Type: text/csv`), with `layout` and
//! `file_name` as query parameters, rather than a multipart form: the idempotency layer
//! fingerprints the body as sent, and a multipart body of the same file differs on every
//! retry (its boundary is random), so a retried upload would be refused as a different
//! request; and a CSV body is what `curl --data-binary @file.csv` sends.

use std::collections::BTreeMap;

use actix_web::web::{self, Json};
use actix_web::{HttpRequest, get, post};
use carriers::schema::{FieldError, Money};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::guard::{CreatingRequest, Key, RawQuery, Read, Write, media_type, run_creating};
use super::ops::{limit, param_error, read_query, unknown_params};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::oms_webhooks::events::CodRemittanceSummary;
use crate::reply::Reply;
use crate::service::cod_files::Layout;
use crate::service::cod_remittance::FileOrigin;
use crate::service::cod_sftp::PullReport;
use crate::store::{CodOutcome, LineRow, Reconciled};

const DEFAULT_LIMIT: u32 = 50;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// `delhivery`, `shiprocket` or `generic`; recognised from the header row when absent.
    layout: Option<String>,
    /// The file's name, kept with the remittance.
    file_name: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    unknown: BTreeMap<String, String>,
}

/// A remittance line and what it matched.
#[derive(Debug, Serialize, ToSchema)]
pub struct LineView {
    /// The line in the file (the header is line 1).
    pub line: i64,
    pub awb: String,
    pub utr: String,
    /// `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub remitted_on: String,
    pub amount: Money,
    pub outcome: CodOutcome,
    /// The shipment the AWB is (null for `unknown_awb` and a duplicate within the file).
    pub shipment_id: Option<String>,
    pub carrier_account: Option<String>,
    /// What was to be collected (the shipment's COD amount; 0 for a prepaid shipment).
    pub expected: Option<Money>,
    /// Why it is not `matched`.
    pub detail: Option<String>,
}

impl From<LineRow> for LineView {
    fn from(l: LineRow) -> Self {
        LineView {
            line: l.line_no,
            awb: l.awb,
            utr: l.utr,
            remitted_on: l.remitted_on,
            amount: l.amount,
            outcome: l.outcome,
            shipment_id: l.shipment_id,
            carrier_account: l.carrier_account,
            expected: l.expected,
            detail: l.detail,
        }
    }
}

/// A remittance with a page of its lines.
#[derive(Debug, Serialize, ToSchema)]
pub struct RemittanceDetail {
    #[serde(flatten)]
    pub remittance: CodRemittanceSummary,
    /// In file order (only those with `outcome` when filtered).
    pub data: Vec<LineView>,
    /// Pass as `cursor` for the next page of lines; `null` on the last.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RemittanceList {
    /// Newest first.
    pub data: Vec<CodRemittanceSummary>,
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

/// `Ok` when `errors` is empty, else the 422 naming them all.
pub(super) fn refuse(errors: Vec<FieldError>) -> Result<(), ApiError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// Reconcile a carrier's COD remittance file.
///
/// The body is the CSV file as the carrier sent it (`Content-Type: text/csv`): Delhivery's
/// or Shiprocket's column layout, or shipgate's `generic` one, recognised from the header
/// row unless `layout` names it. Every line (AWB, UTR, date, amount) is matched to the
/// tenant's shipments: `matched`, `amount_mismatch`, `remitted_not_delivered`,
/// `unknown_awb` or `duplicate_line`. A file with any unreadable line is refused whole
/// (422, each problem at `/lines/<line>/<field>`, `/columns/<field>` or `/layout`) and
/// nothing is stored. The same content sent again answers 200 with the remittance stored
/// the first time, unchanged.
#[utoipa::path(
    operation_id = "createCodRemittance",
    tag = "cod",
    params(UploadQuery),
    request_body(content = String, content_type = "text/csv", description = "The remittance file"),
    responses(
        (status = 201, description = "Reconciled", body = CodRemittanceSummary),
        (status = 200, description = "This content was reconciled before: that remittance", body = CodRemittanceSummary),
        (status = 409, description = "Another file naming the same shipments is being reconciled (`remittance_in_progress`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not `text/csv`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unreadable file or bad parameter: every problem at its pointer", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/cod-remittances")]
pub async fn upload(
    state: web::Data<AppState>,
    req: HttpRequest,
    RawQuery(raw): RawQuery,
    request: CreatingRequest<Write>,
) -> Reply {
    let csv = media_type(&req)
        .is_some_and(|m| matches!(m.as_str(), "text/csv" | "text/plain" | "application/csv"));
    run_creating(state, request, move |state, request| async move {
        let mut errors = Vec::new();
        let q: UploadQuery = read_query(raw.as_deref(), &mut errors)?;
        unknown_params(&q.unknown, &mut errors);
        let layout = match q.layout.as_deref() {
            None => None,
            Some(name) => {
                let found = Layout::named(name);
                if found.is_none() {
                    errors.push(param_error(
                        "layout",
                        "unknown_layout",
                        "one of `delhivery`, `shiprocket`, `generic`",
                    ));
                }
                found
            }
        };
        if q.file_name
            .as_deref()
            .is_some_and(|n| n.is_empty() || n.len() > 255)
        {
            errors.push(param_error("file_name", "invalid_value", "1 to 255 bytes"));
        }
        refuse(errors)?;
        if !csv {
            return Err(ApiError::UnsupportedContentType("text/csv"));
        }
        let tenant = &request.caller.tenant.id;
        let stored = state
            .cod
            .reconcile(
                tenant,
                &request.body,
                layout,
                FileOrigin {
                    source: "upload",
                    file_name: q.file_name.as_deref(),
                },
            )
            .await?;
        Ok(match stored {
            Reconciled::Created(r) => {
                let summary = CodRemittanceSummary::of(&r);
                super::audit::record(
                    &state,
                    &request.caller,
                    "cod_remittance.reconciled",
                    ("cod_remittance", &r.id),
                    None,
                    serde_json::to_value(&summary).ok(),
                )
                .await;
                Reply::json(201, &summary)
                    .with_header("location", format!("/v1/cod-remittances/{}", r.id))
            }
            Reconciled::Existing(r) => Reply::json(200, &CodRemittanceSummary::of(&r))
                .with_header("location", format!("/v1/cod-remittances/{}", r.id)),
        })
    })
    .await
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Page size, 1–200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    unknown: BTreeMap<String, String>,
}

/// The tenant's reconciled remittance files, newest first.
#[utoipa::path(
    operation_id = "listCodRemittances",
    tag = "cod",
    params(ListQuery),
    responses(
        (status = 200, body = RemittanceList),
        (status = 422, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/cod-remittances")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Key<Read>,
    RawQuery(raw): RawQuery,
) -> Result<Json<RemittanceList>, ApiError> {
    let mut errors = Vec::new();
    let q: ListQuery = read_query(raw.as_deref(), &mut errors)?;
    let limit = limit(&mut errors, q.limit.as_deref(), DEFAULT_LIMIT);
    if q.cursor.as_deref().is_some_and(|c| !c.starts_with("codr_")) {
        errors.push(param_error(
            "cursor",
            "invalid_cursor",
            "not a cursor returned by this API",
        ));
    }
    unknown_params(&q.unknown, &mut errors);
    refuse(errors)?;
    let mut rows = state
        .store
        .cod_remittances(&caller.tenant.id, q.cursor.as_deref(), i64::from(limit) + 1)
        .await?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    Ok(Json(RemittanceList {
        next_cursor: more.then(|| rows.last().map(|r| r.id.clone())).flatten(),
        data: rows.iter().map(CodRemittanceSummary::of).collect(),
    }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LinesQuery {
    /// Only the lines with this outcome.
    #[param(value_type = Option<CodOutcome>)]
    outcome: Option<String>,
    /// Lines per page, 1–200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    unknown: BTreeMap<String, String>,
}

/// One remittance file with its lines and what each matched.
#[utoipa::path(
    operation_id = "getCodRemittance",
    tag = "cod",
    params(("id" = String, Path, description = "Remittance id (`codr_…`)"), LinesQuery),
    responses(
        (status = 200, body = RemittanceDetail),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/cod-remittances/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Key<Read>,
    id: web::Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<RemittanceDetail>, ApiError> {
    let mut errors = Vec::new();
    let q: LinesQuery = read_query(raw.as_deref(), &mut errors)?;
    let limit = limit(&mut errors, q.limit.as_deref(), DEFAULT_LIMIT);
    let outcome = q.outcome.as_deref().and_then(|o| {
        let parsed = CodOutcome::parse(o);
        if parsed.is_none() {
            errors.push(param_error(
                "outcome",
                "invalid_value",
                "one of matched, amount_mismatch, remitted_not_delivered, unknown_awb, duplicate_line",
            ));
        }
        parsed
    });
    let after = q.cursor.as_deref().and_then(|c| {
        let parsed = c.parse::<i64>().ok().filter(|n| *n > 0);
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
    let remittance = state
        .store
        .cod_remittance(&caller.tenant.id, &id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no COD remittance `{id}`")))?;
    let mut lines = state
        .store
        .cod_remittance_lines(&remittance.id, outcome, after, i64::from(limit) + 1)
        .await?;
    let more = lines.len() > limit as usize;
    lines.truncate(limit as usize);
    Ok(Json(RemittanceDetail {
        remittance: CodRemittanceSummary::of(&remittance),
        next_cursor: more
            .then(|| lines.last().map(|l| l.line_no.to_string()))
            .flatten(),
        data: lines.into_iter().map(LineView::from).collect(),
    }))
}

/// What one pull request did.
#[derive(Debug, Serialize, ToSchema)]
pub struct PullResult {
    /// One entry per SFTP folder of the tenant.
    pub data: Vec<PullReport>,
}

/// Pull new remittance files from the tenant's SFTP folders now.
///
/// Each folder is read, and every file not seen before (by name and content) is
/// reconciled as an upload is; unreadable files are recorded as refused. A folder that
/// cannot be reached says why in its entry's `error`. Folders are also pulled on a
/// schedule (`SHIPGATE_COD__PULL_EVERY_MS`).
#[utoipa::path(
    operation_id = "pullCodRemittances",
    tag = "cod",
    responses(
        (status = 200, body = PullResult),
    ),
    security(("api_key" = []))
)]
#[post("/v1/cod-remittances/pull")]
pub async fn pull(state: web::Data<AppState>, request: CreatingRequest<Write>) -> Reply {
    run_creating(state, request, |state, request| async move {
        let reports = state.cod_sftp.pull(Some(&request.caller.tenant.id)).await?;
        super::audit::record(
            &state,
            &request.caller,
            "cod_remittance.pulled",
            ("cod_sftp_sources", &request.caller.tenant.id),
            None,
            // An object, as every audited `after` is: the folders' results under `data`.
            Some(serde_json::json!({ "data": &reports })),
        )
        .await;
        Ok(Reply::json(200, &PullResult { data: reports }))
    })
    .await
}
