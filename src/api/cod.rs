//! COD remittance routes (issue 17): upload a carrier's remittance file
//! (`POST /v1/cod-remittances`), read what each line matched, pull files from carriers'
//! SFTP folders, and what finance asks for: delivered COD not yet remitted, and overdue
//! (`GET /v1/reports/cod`, `GET /v1/cod/outstanding`). `service::cod_remittance` has the
//! why.
//!
//! The file is the raw request body (`Content-Type: text/csv`), with `layout` and
//! `file_name` as query parameters, rather than a multipart form: the idempotency layer
//! fingerprints the body as sent, and a multipart body of the same file differs on every
//! retry (its boundary is random), so a retried upload would be refused as a different
//! request; and a CSV body is what `curl --data-binary @file.csv` sends.

use std::collections::BTreeMap;

use actix_web::web::{self, Json};
use actix_web::{HttpRequest, HttpResponse, delete, get, post};
use carriers::schema::{FieldError, Money};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::guard::{Admin, CreatingRequest, Key, RawQuery, Read, Write, media_type, run_creating};
use super::json::parse_json;
use super::ops::{limit, param_error, read_query, unknown_params};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::oms_webhooks::events::CodRemittanceSummary;
use crate::reply::Reply;
use crate::service::cod_files::Layout;
use crate::service::cod_remittance::FileOrigin;
use crate::service::cod_sftp::{
    PullReport, SftpSourceInput, parse_host_key, parse_private_key, secret_context,
};
use crate::store::{CodOutcome, DeliveredCod, LineRow, Reconciled, SftpSourceRow};

const DEFAULT_LIMIT: u32 = 50;

/// India Standard Time: report dates are Indian business days.
fn ist() -> FixedOffset {
    FixedOffset::east_opt(5 * 3600 + 1800).expect("a valid offset")
}

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

fn refuse(errors: Vec<FieldError>) -> Result<(), ApiError> {
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
            serde_json::to_value(&reports).ok(),
        )
        .await;
        Ok(Reply::json(200, &PullResult { data: reports }))
    })
    .await
}

/// An SFTP folder as the API shows it: never its password or key.
#[derive(Debug, Serialize, ToSchema)]
pub struct SftpSourceView {
    /// `cods_…`.
    pub id: String,
    pub carrier_account: String,
    /// The layout its files are read in (the account's carrier's).
    pub layout: String,
    pub host: String,
    pub port: i64,
    pub username: String,
    pub directory: String,
    pub host_key: String,
    /// `password` or `private_key`: which credential is stored (sealed).
    pub auth: String,
    pub created_at: DateTime<Utc>,
    pub last_pulled_at: Option<DateTime<Utc>>,
    /// Why the last pull failed; null when it worked.
    pub last_error: Option<String>,
}

impl From<&SftpSourceRow> for SftpSourceView {
    fn from(s: &SftpSourceRow) -> Self {
        SftpSourceView {
            id: s.id.clone(),
            carrier_account: s.carrier_account.clone(),
            layout: s.layout.clone(),
            host: s.host.clone(),
            port: s.port,
            username: s.username.clone(),
            directory: s.directory.clone(),
            host_key: s.host_key.clone(),
            auth: s.auth.clone(),
            created_at: DateTime::from_timestamp_millis(s.created_at).unwrap_or_default(),
            last_pulled_at: s.last_pulled_at.and_then(DateTime::from_timestamp_millis),
            last_error: s.last_error.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SftpSourceList {
    pub data: Vec<SftpSourceView>,
    /// Always null: a tenant's folders fit on one page.
    pub next_cursor: Option<String>,
}

/// Register an SFTP folder a carrier drops the tenant's remittance files in.
///
/// The password or private key is sealed at rest like carrier-account credentials and
/// never shown again; the server must present `host_key` or no connection is made.
#[utoipa::path(
    operation_id = "createCodSftpSource",
    tag = "cod",
    request_body = SftpSourceInput,
    responses(
        (status = 201, body = SftpSourceView),
        (status = 403, description = "Needs an admin key", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, every one at its pointer", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The gateway has no master key to seal credentials", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/cod-remittance-sources")]
pub async fn create_source(state: web::Data<AppState>, request: CreatingRequest<Admin>) -> Reply {
    run_creating(state, request, |state, request| async move {
        let input: SftpSourceInput = parse_json(request.json, &request.body)?;
        let tenant_id = &request.caller.tenant.id;
        let mut errors = Vec::new();
        let mut text = |name: &str, value: &Option<String>, max: usize| -> String {
            match value.as_deref().map(str::trim) {
                Some(v) if !v.is_empty() && v.len() <= max => v.to_string(),
                Some(_) => {
                    errors.push(field(name, "invalid_value", format!("1 to {max} bytes")));
                    String::new()
                }
                None => {
                    errors.push(field(name, "required", "required"));
                    String::new()
                }
            }
        };
        let account = text("carrier_account", &input.carrier_account, 100);
        let host = text("host", &input.host, 255);
        let username = text("username", &input.username, 255);
        let directory = text("directory", &input.directory, 1024);
        let host_key = text("host_key", &input.host_key, 16 * 1024);
        let carrier = (!account.is_empty())
            .then(|| state.registry.booked_with(tenant_id, &account))
            .flatten()
            .map(|c| c.id);
        if !account.is_empty() && carrier.is_none() {
            errors.push(field(
                "carrier_account",
                "unknown_account",
                format!("no carrier account `{account}` of this tenant"),
            ));
        }
        if host.chars().any(|c| c.is_whitespace() || c == '/') {
            errors.push(field("host", "invalid_value", "a host name or IP address"));
        }
        if input.port == Some(0) {
            errors.push(field("port", "invalid_value", "1 to 65535"));
        }
        if !host_key.is_empty()
            && let Err(e) = parse_host_key(&host_key)
        {
            errors.push(field("host_key", "invalid_value", e));
        }
        let (auth, secret) = match (&input.password, &input.private_key) {
            (Some(p), None) if !p.is_empty() && p.len() <= 1024 => ("password", p.clone()),
            (Some(_), None) => {
                errors.push(field("password", "invalid_value", "1 to 1024 bytes"));
                ("password", String::new())
            }
            (None, Some(k)) => {
                if let Err(e) = parse_private_key(k) {
                    errors.push(field("private_key", "invalid_value", e));
                }
                ("private_key", k.clone())
            }
            (Some(_), Some(_)) => {
                errors.push(field(
                    "private_key",
                    "conflicting_fields",
                    "give `password` or `private_key`, not both",
                ));
                ("password", String::new())
            }
            (None, None) => {
                errors.push(field(
                    "password",
                    "required",
                    "give `password` or `private_key`",
                ));
                ("password", String::new())
            }
        };
        refuse(errors)?;
        let keys = state.sealing.as_deref().ok_or_else(|| {
            ApiError::Unavailable(
                "this gateway has no master key (SHIPGATE_MASTER_KEY), so it cannot store \
                 SFTP credentials; its operator must configure one"
                    .into(),
            )
        })?;
        let id = format!("cods_{}", uuid::Uuid::now_v7().simple());
        let row = SftpSourceRow {
            secret_sealed: keys.seal(&secret, &secret_context(tenant_id, &id)),
            id,
            tenant_id: tenant_id.clone(),
            layout: Layout::of_carrier(carrier.unwrap_or_default())
                .name
                .to_string(),
            carrier_account: account,
            host,
            port: i64::from(input.port.unwrap_or(22)),
            username,
            directory,
            host_key,
            auth: auth.to_string(),
            created_at: Utc::now().timestamp_millis(),
            last_pulled_at: None,
            last_error: None,
        };
        state.store.cod_sftp_source_add(&row).await?;
        let view = SftpSourceView::from(&row);
        super::audit::record(
            &state,
            &request.caller,
            "cod_sftp_source.created",
            ("cod_sftp_source", &row.id),
            None,
            serde_json::to_value(&view).ok(),
        )
        .await;
        Ok(Reply::json(201, &view)
            .with_header("location", format!("/v1/cod-remittance-sources/{}", row.id)))
    })
    .await
}

fn field(name: &str, code: &str, detail: impl Into<String>) -> FieldError {
    FieldError {
        pointer: format!("/{name}"),
        code: code.into(),
        detail: detail.into(),
    }
}

/// The tenant's SFTP folders and how their last pull went.
#[utoipa::path(
    operation_id = "listCodSftpSources",
    tag = "cod",
    responses((status = 200, body = SftpSourceList)),
    security(("api_key" = []))
)]
#[get("/v1/cod-remittance-sources")]
pub async fn list_sources(
    state: web::Data<AppState>,
    caller: Key<Read>,
) -> Result<Json<SftpSourceList>, ApiError> {
    let rows = state
        .store
        .cod_sftp_sources(Some(&caller.tenant.id))
        .await?;
    Ok(Json(SftpSourceList {
        data: rows.iter().map(SftpSourceView::from).collect(),
        next_cursor: None,
    }))
}

/// Stop pulling from an SFTP folder (its credentials are deleted; remittances stay).
#[utoipa::path(
    operation_id = "deleteCodSftpSource",
    tag = "cod",
    params(("id" = String, Path, description = "Folder id (`cods_…`)")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Needs an admin key", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[delete("/v1/cod-remittance-sources/{id}")]
pub async fn delete_source(
    state: web::Data<AppState>,
    caller: Key<Admin>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let before = state
        .store
        .cod_sftp_source(&caller.tenant.id, &id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no SFTP folder `{id}`")))?;
    state
        .store
        .cod_sftp_source_delete(&caller.tenant.id, &id)
        .await?;
    super::audit::record(
        &state,
        &caller,
        "cod_sftp_source.deleted",
        ("cod_sftp_source", &before.id),
        serde_json::to_value(SftpSourceView::from(&before)).ok(),
        None,
    )
    .await;
    Ok(HttpResponse::NoContent().finish())
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
