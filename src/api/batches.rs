//! `/v1/batches` routes: bulk booking from a JSON list or the warehouse's CSV file.

use std::collections::BTreeMap;
use std::time::Duration;

use actix_web::web::{self, Json};
use actix_web::{HttpRequest, HttpResponse, get, post};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::guard::{CreatingRequest, Key, RawQuery, Read, Write, media_type, run_creating};
use super::ops::{cursor, encode_cursor, limit, param_error, read_query, unknown_params};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::reply::Reply;
use crate::service::batch_csv;
use crate::service::batches::{BatchInput, Body, ItemError};
use crate::store::{BatchItemRow, BatchRow, ITEM_STATES, PageKey};

const DEFAULT_LIMIT: u32 = 100;

/// Where to follow a batch.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchLinks {
    #[serde(rename = "self")]
    pub self_: String,
    pub items: String,
    /// Every item as CSV: the results sheet.
    pub results_csv: String,
    /// `text/event-stream` of `progress` events and a final `done`.
    pub events: String,
    pub cancel: String,
}

/// One server-sent event of `GET /v1/batches/{id}/events`, by its fields on the stream.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the stream; the handler writes the fields itself.
pub struct BatchEvent {
    /// `progress` whenever the counts change (at most every 500 ms), then one `done`.
    #[schema(pattern = "^(progress|done)$", example = "progress")]
    event: String,
    /// The batch, a `BatchView`, as JSON.
    data: String,
}

/// A batch and its progress.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchView {
    pub id: String,
    /// `queued`, `running`, `completed` or `cancelled`.
    pub state: String,
    /// `json` or `csv`.
    pub source: String,
    pub total: i64,
    /// Items per state: `queued`, `booking`, `booked`, `pending`, `failed`, `invalid`,
    /// `cancelled` (every state present).
    pub counts: BTreeMap<String, i64>,
    pub created_at: DateTime<Utc>,
    /// When the first item was taken to be booked.
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Items settled (booked, pending or failed) per second since the start.
    pub items_per_second: Option<f64>,
    pub links: BatchLinks,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BatchList {
    /// Newest first.
    pub data: Vec<BatchView>,
    /// Pass as `cursor` for the next page; `null` on the last.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

/// One item of a batch.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchItemView {
    /// Its place in the batch, from 0 (`items[index]`).
    pub index: i64,
    /// CSV batches: the line in the file (the header is line 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<i64>,
    pub order_ref: Option<String>,
    pub carrier: Option<String>,
    /// `queued`, `booking`, `booked`, `pending`, `failed`, `invalid` or `cancelled`.
    pub state: String,
    pub shipment_id: Option<String>,
    pub awb: Option<String>,
    /// Why an `invalid` item was not taken, each at its pointer into the batch.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ItemError>,
    /// Why a `failed` item failed (the carrier's refusal, `order_already_booked`, …), or
    /// the last passing failure of a `queued` item waiting to be retried.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub problem: Option<serde_json::Value>,
    pub attempts: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BatchItemList {
    /// In batch order.
    pub data: Vec<BatchItemView>,
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

fn ms(t: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(t).unwrap_or_default()
}

async fn view(state: &AppState, b: BatchRow) -> Result<BatchView, ApiError> {
    let counts = state.store.batch_counts(&b.id).await?;
    let settled: i64 = ["booked", "pending", "failed"]
        .iter()
        .map(|s| counts.get(*s).copied().unwrap_or(0))
        .sum();
    let items_per_second = b.started_at.map(|start| {
        let end = b
            .finished_at
            .unwrap_or_else(|| Utc::now().timestamp_millis());
        let secs = ((end - start) as f64 / 1000.0).max(0.001);
        (settled as f64 / secs * 10.0).round() / 10.0
    });
    let base = format!("/v1/batches/{}", b.id);
    Ok(BatchView {
        links: BatchLinks {
            items: format!("{base}/items"),
            results_csv: format!("{base}/items?format=csv"),
            events: format!("{base}/events"),
            cancel: format!("{base}/cancel"),
            self_: base,
        },
        id: b.id,
        state: b.state,
        source: b.source,
        total: b.total,
        counts,
        created_at: ms(b.created_at),
        started_at: b.started_at.map(ms),
        finished_at: b.finished_at.map(ms),
        items_per_second,
    })
}

fn item_view(r: BatchItemRow) -> BatchItemView {
    BatchItemView {
        index: r.idx,
        row: r.row_no,
        order_ref: r.order_ref,
        carrier: r.carrier,
        state: r.state,
        shipment_id: r.shipment_id,
        awb: r.awb,
        errors: r
            .errors_json
            .and_then(|e| serde_json::from_str(&e).ok())
            .unwrap_or_default(),
        problem: r.problem_json.and_then(|p| serde_json::from_str(&p).ok()),
        attempts: r.attempts,
    }
}

async fn batch(state: &AppState, tenant_id: &str, id: &str) -> Result<BatchRow, ApiError> {
    state
        .store
        .batch(tenant_id, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no batch `{id}`")))
}

/// Book many shipments at once: a JSON list or the warehouse's CSV file.
///
/// Answered at once (202) with the batch; the items are booked in the background through
/// the same path as `POST /v1/shipments`, within each carrier's quota. Each item is checked
/// as `POST /v1/shipments` checks a body: a bad one is kept as `invalid` with its errors
/// (pointers `/items/<i>/…`, or for CSV `/rows/<line>/<column>` with `row` and `column`)
/// and the others are booked. A second item with the same `order_ref` is `invalid`
/// (`duplicate_in_batch`). An order already booked is not booked again: the item points
/// at that shipment, or fails with `order_already_booked` when the request differs.
/// CSV columns: see `GET /v1/batches/template.csv` and docs/batches.md.
#[utoipa::path(
    operation_id = "createBatch",
    tag = "batches",
    request_body(content(
        (BatchInput = "application/json"),
        (String = "text/csv"),
    )),
    responses(
        (status = 202, description = "Accepted; follow `links.self` for progress", body = BatchView),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than the file limit", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither JSON nor CSV", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a batch: no items, too many, unknown CSV columns", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/batches")]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    request: CreatingRequest<Write>,
) -> Reply {
    let csv =
        media_type(&req).is_some_and(|m| matches!(m.as_str(), "text/csv" | "application/csv"));
    run_creating(state, request, move |state, request| async move {
        let body = if csv {
            Body::Csv(&request.body)
        } else if request.json {
            Body::Json(&request.body)
        } else {
            return Err(ApiError::UnsupportedContentType(
                "application/json or text/csv",
            ));
        };
        let row = state
            .batches
            .intake(&request.caller.tenant.id, body)
            .await?;
        let view = view(&state, row).await?;
        let location = view.links.self_.clone();
        Ok(Reply::json(202, &view).with_header("location", location))
    })
    .await
}

/// The CSV template: the header row and one example row that books in the sandbox.
#[utoipa::path(
    operation_id = "getBatchTemplate",
    tag = "batches",
    responses((status = 200, description = "The template", content((String = "text/csv")))),
    security(("api_key" = []))
)]
#[get("/v1/batches/template.csv")]
pub async fn template(_caller: Key<Read>) -> Reply {
    Reply::new(200, "text/csv; charset=utf-8", batch_csv::template()).with_header(
        "content-disposition",
        "attachment; filename=\"shipgate-batch-template.csv\"",
    )
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Page size, 1–200 (default 100).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    unknown: BTreeMap<String, String>,
}

/// The tenant's batches, newest first.
#[utoipa::path(
    operation_id = "listBatches",
    tag = "batches",
    params(ListQuery),
    responses(
        (status = 200, body = BatchList),
        (status = 422, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/batches")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Key<Read>,
    RawQuery(raw): RawQuery,
) -> Result<Json<BatchList>, ApiError> {
    let mut errors = Vec::new();
    let q: ListQuery = read_query(raw.as_deref(), &mut errors)?;
    let limit = limit(&mut errors, q.limit.as_deref(), DEFAULT_LIMIT);
    let after = cursor(&mut errors, q.cursor.as_deref());
    unknown_params(&q.unknown, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let rows = state
        .store
        .batches(&caller.tenant.id, after.as_ref(), i64::from(limit) + 1)
        .await?;
    let next_cursor = (rows.len() > limit as usize)
        .then(|| {
            rows.get(limit as usize - 1).map(|b| {
                encode_cursor(&PageKey {
                    created_at_ms: b.created_at,
                    id: b.id.clone(),
                })
            })
        })
        .flatten();
    let mut data = Vec::new();
    for row in rows.into_iter().take(limit as usize) {
        data.push(view(&state, row).await?);
    }
    Ok(Json(BatchList { data, next_cursor }))
}

/// A batch's state, counts per item state, times and throughput.
#[utoipa::path(
    operation_id = "getBatch",
    tag = "batches",
    params(("id" = String, Path, description = "Batch id")),
    responses(
        (status = 200, body = BatchView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/batches/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Key<Read>,
    id: web::Path<String>,
) -> Result<Json<BatchView>, ApiError> {
    let row = batch(&state, &caller.tenant.id, &id).await?;
    Ok(Json(view(&state, row).await?))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ItemsQuery {
    /// Only items in this state.
    state: Option<String>,
    /// `json` (default; paged) or `csv` (every item, one file; also `Accept: text/csv`).
    format: Option<String>,
    /// Page size, 1–200 (default 100); JSON only.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    unknown: BTreeMap<String, String>,
}

/// A batch's items in order: state, shipment and AWB, errors with their pointers. As
/// CSV (`format=csv` or `Accept: text/csv`) every item at once: the results sheet.
#[utoipa::path(
    operation_id = "listBatchItems",
    tag = "batches",
    params(("id" = String, Path, description = "Batch id"), ItemsQuery),
    responses(
        (status = 200, description = "A page of items, or every item as CSV",
            content((BatchItemList = "application/json"), (String = "text/csv"))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/batches/{id}/items")]
pub async fn items(
    state: web::Data<AppState>,
    caller: Key<Read>,
    req: HttpRequest,
    id: web::Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Reply, ApiError> {
    let mut errors = Vec::new();
    let q: ItemsQuery = read_query(raw.as_deref(), &mut errors)?;
    let limit = limit(&mut errors, q.limit.as_deref(), DEFAULT_LIMIT);
    let after = cursor(&mut errors, q.cursor.as_deref());
    unknown_params(&q.unknown, &mut errors);
    if let Some(s) = q.state.as_deref().filter(|s| !ITEM_STATES.contains(s)) {
        errors.push(param_error(
            "state",
            "invalid_value",
            format!(
                "`{s}` is not an item state; one of {}",
                ITEM_STATES.join(", ")
            ),
        ));
    }
    let accepts_csv = req
        .headers()
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/csv"));
    let csv = match q.format.as_deref() {
        None => accepts_csv,
        Some("csv") => true,
        Some("json") => false,
        Some(other) => {
            errors.push(param_error(
                "format",
                "invalid_value",
                format!("`{other}` is not a format; `json` or `csv`"),
            ));
            false
        }
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let b = batch(&state, &caller.tenant.id, &id).await?;
    let filter = q.state.as_deref();
    if csv {
        return Ok(Reply::new(
            200,
            "text/csv; charset=utf-8",
            results_csv(&state, &b.id, filter).await?,
        )
        .with_header(
            "content-disposition",
            format!("attachment; filename=\"{}-results.csv\"", b.id),
        ));
    }
    let from = after.map_or(0, |k| k.created_at_ms + 1);
    let rows = state
        .store
        .batch_items(&b.id, filter, from, i64::from(limit) + 1)
        .await?;
    let next_cursor = (rows.len() > limit as usize)
        .then(|| {
            rows.get(limit as usize - 1).map(|r| {
                encode_cursor(&PageKey {
                    created_at_ms: r.idx,
                    id: b.id.clone(),
                })
            })
        })
        .flatten();
    let data = rows
        .into_iter()
        .take(limit as usize)
        .map(item_view)
        .collect();
    Ok(Reply::json(200, &BatchItemList { data, next_cursor }))
}

/// Every item as one CSV file, read a page at a time (linear in the batch).
async fn results_csv(
    state: &AppState,
    batch_id: &str,
    filter: Option<&str>,
) -> Result<Vec<u8>, ApiError> {
    const PAGE: i64 = 1_000;
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = [
        "index",
        "row",
        "order_ref",
        "carrier",
        "state",
        "shipment_id",
        "awb",
        "error_code",
        "error_detail",
    ];
    let write_err = |e: csv::Error| ApiError::Internal(e.into());
    out.write_record(header).map_err(write_err)?;
    let mut from = 0;
    loop {
        let rows = state
            .store
            .batch_items(batch_id, filter, from, PAGE)
            .await?;
        for r in &rows {
            let item = item_view(r.clone());
            let (code, detail) = match (&item.problem, item.errors.as_slice()) {
                (_, [first, ..]) => (
                    first.code.clone(),
                    item.errors
                        .iter()
                        .map(|e| format!("{}: {}", e.pointer, e.detail))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                (Some(p), []) => (
                    p["code"].as_str().unwrap_or_default().to_string(),
                    p["detail"].as_str().unwrap_or_default().to_string(),
                ),
                (None, []) => (String::new(), String::new()),
            };
            let text = |v: &Option<String>| v.clone().unwrap_or_default();
            out.write_record([
                item.index.to_string(),
                item.row.map(|r| r.to_string()).unwrap_or_default(),
                text(&item.order_ref),
                text(&item.carrier),
                item.state,
                text(&item.shipment_id),
                text(&item.awb),
                code,
                detail,
            ])
            .map_err(write_err)?;
        }
        match rows.last() {
            Some(last) if rows.len() as i64 == PAGE => from = last.idx + 1,
            _ => break,
        }
    }
    out.into_inner()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))
}

/// Cancel a batch: its queued items become `cancelled`; items being booked finish.
/// Cancelling a finished batch changes nothing.
#[utoipa::path(
    operation_id = "cancelBatch",
    tag = "batches",
    params(("id" = String, Path, description = "Batch id")),
    responses(
        (status = 200, body = BatchView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/batches/{id}/cancel")]
pub async fn cancel(
    state: web::Data<AppState>,
    id: web::Path<String>,
    request: CreatingRequest<Write>,
) -> Reply {
    let id = id.into_inner();
    run_creating(state, request, |state, request| async move {
        let row = state
            .store
            .cancel_batch(&request.caller.tenant.id, &id)
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("no batch `{id}`")))?;
        tracing::info!(batch_id = %id, state = %row.state, "batch cancelled");
        Ok(Reply::json(200, &view(&state, row).await?))
    })
    .await
}

/// A batch's progress as server-sent events: `progress` (the batch, as `GET` shows it)
/// whenever its counts change, at most every 500 ms, and `done` when it has finished.
#[utoipa::path(
    operation_id = "batchEvents",
    tag = "batches",
    params(("id" = String, Path, description = "Batch id")),
    responses(
        (status = 200, description = "`progress` and `done` events, each `data` a BatchView",
            content((BatchEvent = "text/event-stream"))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/batches/{id}/events")]
pub async fn events(
    state: web::Data<AppState>,
    caller: Key<Read>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.tenant.id.clone();
    let first = batch(&state, &tenant, &id).await?;
    let start = (state.into_inner(), tenant, first.id, None::<String>, false);
    let stream = futures::stream::unfold(start, |(state, tenant, id, last, done)| async move {
        if done {
            return None;
        }
        loop {
            if last.is_some() {
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            let row = match state.store.batch(&tenant, &id).await {
                Ok(Some(row)) => row,
                _ => return None,
            };
            let finished = row.state == "completed" || row.state == "cancelled";
            let Ok(view) = view(&state, row).await else {
                return None;
            };
            let data = serde_json::to_string(&view).unwrap_or_default();
            let counts = serde_json::to_string(&view.counts).unwrap_or_default();
            if finished {
                let event = format!("event: done\ndata: {data}\n\n");
                return Some((
                    Ok::<_, actix_web::Error>(web::Bytes::from(event)),
                    (state, tenant, id, Some(counts), true),
                ));
            }
            if last.as_deref() != Some(counts.as_str()) {
                let event = format!("event: progress\ndata: {data}\n\n");
                return Some((
                    Ok(web::Bytes::from(event)),
                    (state, tenant, id, Some(counts), false),
                ));
            }
        }
    });
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("cache-control", "no-cache"))
        .streaming(stream))
}
