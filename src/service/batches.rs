//! Bulk booking: a batch of shipment requests taken at once and booked in the background.
//!
//! Intake checks every item with the parser `POST /v1/shipments` uses and stores it
//! `queued`, or `invalid` with its errors at pointers into the batch; nothing valid is
//! refused because of a bad neighbour. The worker then books queued items through
//! [`Shipments::create`], the very path of `POST /v1/shipments`, a few at a time. That path
//! is idempotent by order reference, which is what makes the worker crash-safe: an item
//! whose process died is simply booked again, and finds its shipment instead of making a
//! second AWB.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use carriers::CarrierError;
use carriers::schema::{FieldError, ShipmentRequest, ShipmentRequestInput, decode};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::{Notify, Semaphore};
use tokio::task::JoinSet;
use utoipa::ToSchema;

use super::batch_csv;
use super::shipments::{Created, Shipments};
use crate::config::BatchesConfig;
use crate::error::ApiError;
use crate::shutdown::CancellationToken;
use crate::store::{BatchRow, BookingState, ClaimedItem, ItemOutcome, NewBatchItem, Store};

/// An item's error: where in the batch, and for CSV the row and column.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ItemError {
    /// A JSON pointer into the batch: `/items/17/to/postal_code`, or for CSV
    /// `/rows/<row>/<column>`.
    pub pointer: String,
    pub code: String,
    pub detail: String,
    /// CSV only: the line in the file (the header is line 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<i64>,
    /// CSV only: the header name of the cell, when one cell is at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

/// A JSON batch.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchInput {
    /// The shipments, each exactly as `POST /v1/shipments` takes it; 1 to 10,000 (the
    /// gateway's `batches.max_items`).
    #[schema(value_type = Vec<ShipmentRequestInput>, min_items = 1)]
    pub items: Option<Vec<Value>>,
    /// The label format of the items that name none.
    #[schema(value_type = Option<carriers::schema::LabelFormat>)]
    pub label_format: Option<String>,
}

/// What a batch's body was.
pub enum Body<'a> {
    Json(&'a [u8]),
    Csv(&'a [u8]),
}

pub struct Batches {
    store: Store,
    shipments: Arc<Shipments>,
    config: BatchesConfig,
    wake: Notify,
}

impl Batches {
    pub fn new(store: Store, shipments: Arc<Shipments>, config: BatchesConfig) -> Batches {
        Batches {
            store,
            shipments,
            config,
            wake: Notify::new(),
        }
    }

    /// Checks and stores a batch; the worker is woken to book it.
    pub async fn intake(&self, tenant_id: &str, body: Body<'_>) -> Result<BatchRow, ApiError> {
        let (source, items) = match body {
            Body::Json(bytes) => ("json", self.json_items(bytes)?),
            Body::Csv(bytes) => ("csv", self.csv_items(bytes)?),
        };
        let id = format!("bat_{}", uuid::Uuid::now_v7().simple());
        let batch = self
            .store
            .insert_batch(&id, tenant_id, source, &items)
            .await?;
        let invalid = items.iter().filter(|i| i.request_json.is_none()).count();
        metrics::counter!("shipgate_batch_items_total", "state" => "queued")
            .increment((items.len() - invalid) as u64);
        metrics::counter!("shipgate_batch_items_total", "state" => "invalid")
            .increment(invalid as u64);
        tracing::info!(batch_id = %id, tenant_id, source, items = items.len(), invalid, "batch accepted");
        self.wake.notify_one();
        Ok(batch)
    }

    fn json_items(&self, bytes: &[u8]) -> Result<Vec<NewBatchItem>, ApiError> {
        let input: BatchInput = crate::api::json::parse(bytes)?;
        let Some(items) = input.items else {
            return Err(field_error("/items", "required", "a batch needs `items`"));
        };
        self.check_size(items.len(), "/items")?;
        if let Some(f) = input
            .label_format
            .as_deref()
            .filter(|f| !matches!(*f, "pdf" | "zpl"))
        {
            return Err(field_error(
                "/label_format",
                "invalid_label_format",
                format!("`{f}` is not a label format; use `pdf` or `zpl`"),
            ));
        }
        let mut seen = HashSet::new();
        Ok(items
            .into_iter()
            .enumerate()
            .map(|(i, mut item)| {
                if let (Some(format), Some(object)) =
                    (input.label_format.as_ref(), item.as_object_mut())
                {
                    object
                        .entry("label_format")
                        .or_insert_with(|| format.clone().into());
                }
                let prefix = format!("/items/{i}");
                new_item(&item, check(&item), &mut seen, None, |e| ItemError {
                    pointer: format!("{prefix}{}", e.pointer),
                    code: e.code,
                    detail: e.detail,
                    row: None,
                    column: None,
                })
            })
            .collect())
    }

    fn csv_items(&self, bytes: &[u8]) -> Result<Vec<NewBatchItem>, ApiError> {
        let rows = batch_csv::read(bytes).map_err(ApiError::Validation)?;
        self.check_size(rows.len(), "/rows")?;
        let mut seen = HashSet::new();
        Ok(rows
            .into_iter()
            .map(|row| {
                let line = row.line;
                let located = |e: FieldError| {
                    let column = batch_csv::column_of(&e.pointer);
                    ItemError {
                        pointer: match column {
                            Some(c) => format!("/rows/{line}/{c}"),
                            None => format!("/rows/{line}"),
                        },
                        code: e.code,
                        detail: e.detail,
                        row: Some(line),
                        column: column.map(Into::into),
                    }
                };
                match row.request {
                    Ok(value) => new_item(&value, check(&value), &mut seen, Some(line), located),
                    Err(errors) => invalid(
                        None,
                        None,
                        Some(line),
                        errors.into_iter().map(located).collect(),
                    ),
                }
            })
            .collect())
    }

    fn check_size(&self, n: usize, pointer: &str) -> Result<(), ApiError> {
        if n == 0 {
            return Err(field_error(
                pointer,
                "empty_batch",
                "a batch needs at least one item",
            ));
        }
        if n > self.config.max_items {
            return Err(field_error(
                pointer,
                "too_many_items",
                format!(
                    "{n} items; a batch holds at most {} (send several batches)",
                    self.config.max_items
                ),
            ));
        }
        Ok(())
    }

    /// Wakes the worker (a batch came in).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Books queued items, `batches.concurrency` at once, until `stop`; then waits for
    /// the bookings in flight.
    pub async fn work_forever(self: Arc<Self>, stop: CancellationToken) {
        let permits = Arc::new(Semaphore::new(self.config.concurrency.max(1)));
        let poll = Duration::from_millis(self.config.poll_ms.max(10));
        let mut tasks = JoinSet::new();
        let mut last_round = tokio::time::Instant::now() - poll;
        loop {
            let free = permits.available_permits();
            let mut claimed = 0;
            if free > 0 && !stop.is_cancelled() {
                match self
                    .store
                    .claim_batch_items(free as i64, self.config.lease_ms as i64)
                    .await
                {
                    Ok(items) => {
                        claimed = items.len();
                        for item in items {
                            let Ok(permit) = permits.clone().acquire_owned().await else {
                                break;
                            };
                            let this = self.clone();
                            tasks.spawn(async move {
                                this.book(item).await;
                                drop(permit);
                            });
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "batches: cannot claim items"),
                }
            }
            if last_round.elapsed() >= poll {
                last_round = tokio::time::Instant::now();
                self.settle_pending().await;
                self.complete().await;
            }
            if claimed > 0 && permits.available_permits() > 0 {
                continue;
            }
            tokio::select! {
                () = stop.cancelled() => break,
                () = self.wake.notified() => {}
                () = tokio::time::sleep(poll) => {}
                Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            }
        }
        while tasks.join_next().await.is_some() {}
        self.complete().await;
    }

    async fn book(&self, item: ClaimedItem) {
        let outcome = match serde_json::from_str::<ShipmentRequest>(&item.request_json) {
            Ok(req) => match self.shipments.create(&item.tenant_id, req).await {
                Ok(Created::Booked(s) | Created::Existing(s)) => ItemOutcome::Booked {
                    shipment_id: s.id,
                    awb: s.awb,
                },
                Ok(Created::Pending(s)) => ItemOutcome::Pending { shipment_id: s.id },
                Err(e) => self.outcome_of(&e, item.attempts),
            },
            Err(e) => ItemOutcome::Failed {
                problem_json: problem_json(&ApiError::Internal(anyhow::anyhow!(
                    "stored request unreadable: {e}"
                ))),
                shipment_id: None,
            },
        };
        self.record(&item.batch_id, item.idx, &outcome).await;
    }

    async fn record(&self, batch_id: &str, idx: i64, outcome: &ItemOutcome) {
        let state = match outcome {
            ItemOutcome::Booked { .. } => "booked",
            ItemOutcome::Pending { .. } => "pending",
            ItemOutcome::Failed { .. } => "failed",
            ItemOutcome::Retry { .. } => "delayed",
        };
        metrics::counter!("shipgate_batch_items_total", "state" => state).increment(1);
        if let Err(e) = self.store.finish_batch_item(batch_id, idx, outcome).await {
            // The lease brings it back; booking it again finds the shipment.
            tracing::warn!(batch_id, idx, error = %e, "batches: cannot record an item's outcome");
        }
    }

    /// What a refused booking means for its item: a carrier's quota or open circuit
    /// delays it (not counted as an attempt); a passing failure is retried a few times; a
    /// refusal fails it with the carrier's problem.
    fn outcome_of(&self, e: &ApiError, attempts: i64) -> ItemOutcome {
        let now = chrono::Utc::now().timestamp_millis();
        let retry = |delay_ms: i64, counted: bool| ItemOutcome::Retry {
            not_before: now + delay_ms,
            problem_json: problem_json(e),
            counted,
        };
        let backoff = 1_000 * (1i64 << attempts.clamp(0, 6));
        match e {
            ApiError::Carrier {
                shipment_id: Some(id),
                ..
            } => ItemOutcome::Pending {
                shipment_id: id.clone(),
            },
            ApiError::Carrier {
                error:
                    CarrierError::Paused {
                        retry_after_secs, ..
                    },
                ..
            } => retry((*retry_after_secs as i64).max(1) * 1_000, false),
            ApiError::RateLimited(_)
            | ApiError::Unavailable(_)
            | ApiError::DatabaseUnavailable(_) => retry(backoff.min(30_000), false),
            ApiError::Carrier {
                error: CarrierError::NotSent(_) | CarrierError::Connect(_),
                ..
            }
            | ApiError::Conflict {
                code: "booking_in_progress",
                ..
            }
            | ApiError::Internal(_)
                if attempts < self.config.max_attempts =>
            {
                retry(backoff.min(30_000), true)
            }
            ApiError::Conflict { shipment_id, .. } => ItemOutcome::Failed {
                problem_json: problem_json(e),
                shipment_id: shipment_id.clone(),
            },
            _ => ItemOutcome::Failed {
                problem_json: problem_json(e),
                shipment_id: None,
            },
        }
    }

    /// Settles `pending` items whose shipment the reconciler confirmed (or found unbooked).
    async fn settle_pending(&self) {
        let due = match self
            .store
            .pending_batch_items(self.config.settle_every_ms as i64, 100)
            .await
        {
            Ok(due) => due,
            Err(e) => {
                tracing::warn!(error = %e, "batches: cannot list pending items");
                return;
            }
        };
        for item in due {
            let outcome = match self.shipments.get(&item.tenant_id, &item.shipment_id).await {
                Ok(s) if s.booking_state == BookingState::Confirmed => ItemOutcome::Booked {
                    shipment_id: s.id,
                    awb: s.awb,
                },
                Ok(s) if s.booking_state == BookingState::Failed => ItemOutcome::Failed {
                    problem_json: serde_json::json!({
                        "status": 422,
                        "code": "booking_failed",
                        "detail": s.failure.unwrap_or_else(|| "the carrier has no booking".into()),
                    })
                    .to_string(),
                    shipment_id: Some(s.id),
                },
                Ok(_) => continue,
                Err(ApiError::NotFound(_)) => ItemOutcome::Failed {
                    problem_json: serde_json::json!({
                        "status": 422,
                        "code": "booking_failed",
                        "detail": "the booking was released: the carrier refused it",
                    })
                    .to_string(),
                    shipment_id: None,
                },
                Err(_) => continue,
            };
            self.record(&item.batch_id, item.idx, &outcome).await;
        }
    }

    async fn complete(&self) {
        match self.store.complete_batches().await {
            Ok(done) => {
                for batch in done {
                    let counts = self.store.batch_counts(&batch.id).await.unwrap_or_default();
                    tracing::info!(
                        batch_id = %batch.id,
                        tenant_id = %batch.tenant_id,
                        total = batch.total,
                        booked = counts.get("booked").copied().unwrap_or(0),
                        failed = counts.get("failed").copied().unwrap_or(0),
                        invalid = counts.get("invalid").copied().unwrap_or(0),
                        seconds = (batch.finished_at.unwrap_or(0) - batch.started_at.unwrap_or(batch.created_at)) / 1000,
                        "batch completed"
                    );
                }
            }
            Err(e) => tracing::warn!(error = %e, "batches: cannot complete batches"),
        }
    }
}

/// An item as `POST /v1/shipments` would read it: its errors point inside the item.
fn check(item: &Value) -> Result<ShipmentRequest, Vec<FieldError>> {
    let bytes = serde_json::to_vec(item).unwrap_or_default();
    let input: ShipmentRequestInput = decode(&bytes).map_err(|e| match e {
        carriers::schema::DecodeError::Invalid(list) => list,
        carriers::schema::DecodeError::Malformed(detail) => vec![FieldError {
            pointer: String::new(),
            code: "malformed".into(),
            detail,
        }],
    })?;
    ShipmentRequest::parse(&input)
}

/// The stored item: queued with its request, or invalid with its errors located by
/// `locate`. A second item with an order reference already in the batch is invalid.
fn new_item(
    raw: &Value,
    checked: Result<ShipmentRequest, Vec<FieldError>>,
    seen: &mut HashSet<String>,
    row: Option<i64>,
    locate: impl Fn(FieldError) -> ItemError,
) -> NewBatchItem {
    let text = |key: &str| {
        raw.get(key)
            .and_then(Value::as_str)
            .map(|s| s.trim().to_string())
    };
    let (order_ref, carrier) = (text("order_ref"), text("carrier"));
    match checked {
        Err(errors) => invalid(
            order_ref,
            carrier,
            row,
            errors.into_iter().map(locate).collect(),
        ),
        Ok(req) if !seen.insert(req.order_ref.clone()) => invalid(
            order_ref,
            carrier,
            row,
            vec![locate(FieldError {
                pointer: "/order_ref".into(),
                code: "duplicate_in_batch".into(),
                detail: format!(
                    "order_ref `{}` is already in this batch; one order books one shipment",
                    req.order_ref
                ),
            })],
        ),
        Ok(req) => NewBatchItem {
            row_no: row,
            order_ref: Some(req.order_ref.clone()),
            carrier: Some(req.carrier.clone()),
            request_json: serde_json::to_string(&req).ok(),
            errors_json: None,
        },
    }
}

fn invalid(
    order_ref: Option<String>,
    carrier: Option<String>,
    row: Option<i64>,
    errors: Vec<ItemError>,
) -> NewBatchItem {
    NewBatchItem {
        row_no: row,
        order_ref,
        carrier,
        request_json: None,
        errors_json: serde_json::to_string(&errors).ok(),
    }
}

fn field_error(pointer: &str, code: &str, detail: impl Into<String>) -> ApiError {
    ApiError::Validation(vec![FieldError {
        pointer: pointer.into(),
        code: code.into(),
        detail: detail.into(),
    }])
}

/// An error as an item keeps it: the problem document without the request's id.
fn problem_json(e: &ApiError) -> String {
    let mut value = serde_json::to_value(e.problem()).unwrap_or_default();
    if let Some(object) = value.as_object_mut() {
        object.remove("request_id");
        object.remove("type");
    }
    value.to_string()
}
