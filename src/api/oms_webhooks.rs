//! Outbound webhook endpoints and their messages (`crate::oms_webhooks`): the routes an
//! OMS uses to say where shipgate should send shipment events, to rotate the signing
//! secret, to see every delivery attempt and to replay what was dead-lettered.
//!
//! Managing endpoints and secrets, and replaying, needs the `admin` role (a secret is a
//! credential); reading needs `read`. Everything is scoped to the caller's tenant: another
//! tenant's endpoint or message is a 404, as a missing one.

use std::collections::BTreeMap;

use actix_web::web::{self, Json};
use actix_web::{HttpResponse, delete, get, patch, post};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use carriers::schema::FieldError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::audit;
use super::guard::{Admin, CreatingRequest, Key, RawQuery, Read, run_creating};
use super::json::{ApiJson, parse_json};
use super::ops::{instant, limit, param_error, read_query, unknown_params};
use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::oms_webhooks::UrlRefusal;
use crate::oms_webhooks::events::EventType;
use crate::oms_webhooks::signing::Secret;
use crate::reply::Reply;
use crate::store::{
    AttemptRow, DeliveryRow, DeliveryState, EndpointPatch, EndpointRecord, MessageRecord,
    NewEndpoint,
};

const MAX_DESCRIPTION: usize = 500;
const DEFAULT_LIMIT: u32 = 50;

fn ms(t: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(t).unwrap_or_default()
}

// ---- bodies ---------------------------------------------------------------------------

/// A new endpoint.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndpointInput {
    /// Where to POST events: an absolute `http`/`https` URL without credentials, at most
    /// 2048 bytes; in live mode it must lead to a public address.
    #[schema(
        value_type = String,
        format = "uri",
        min_length = 1,
        pattern = r"^\s*[\s\S]{0,2048}\s*$"
    )]
    url: Option<String>,
    /// A note for people, at most 500 characters (surrounding whitespace not counted).
    #[schema(pattern = r"^\s*[\s\S]{0,500}\s*$")]
    description: Option<String>,
    /// The event types to send, at least one; absent or `null`: every type.
    #[schema(value_type = Option<Vec<EventType>>, min_items = 1)]
    event_types: Option<Vec<String>>,
    /// Default `true`.
    enabled: Option<bool>,
}

/// Changes to an endpoint; absent fields are left as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndpointUpdate {
    /// As for a new endpoint; `null` leaves it as it is.
    #[schema(format = "uri", min_length = 1, pattern = r"^\s*[\s\S]{0,2048}\s*$")]
    url: Option<String>,
    /// At most 500 characters; `null` removes the description.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, pattern = r"^\s*[\s\S]{0,500}\s*$")]
    description: Option<Option<String>>,
    /// At least one; `null`: every type.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Vec<EventType>>, min_items = 1)]
    event_types: Option<Option<Vec<String>>>,
    /// `true` re-enables an endpoint (also one disabled after a 410 Gone).
    enabled: Option<bool>,
}

/// Tells an absent field (`None`) from an explicit `null` (`Some(None)`).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Which of an endpoint's deliveries to send again.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplayRange {
    /// Deliveries of messages created at or after this instant (RFC 3339).
    #[schema(value_type = DateTime<Utc>)]
    since: Option<String>,
    /// … and before this one (exclusive; default now); later than `since`.
    #[schema(value_type = Option<DateTime<Utc>>)]
    until: Option<String>,
    /// Which deliveries: `dead` when absent.
    #[schema(value_type = Option<ReplayStatus>)]
    status: Option<String>,
}

/// Which finished deliveries a range replay sends again.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum ReplayStatus {
    /// Every attempt failed (dead-lettered).
    Dead,
    Succeeded,
    /// The endpoint was disabled before they got through.
    Cancelled,
    /// Every finished delivery: dead, succeeded and cancelled.
    All,
}

// ---- views ----------------------------------------------------------------------------

/// An endpoint (its secret is shown once, when created or rotated).
#[derive(Debug, Serialize, ToSchema)]
pub struct EndpointView {
    pub id: String,
    pub url: String,
    pub description: Option<String>,
    /// `null`: every type.
    pub event_types: Option<Vec<EventType>>,
    pub enabled: bool,
    /// Why it is disabled (by its owner, or after the receiver answered 410 Gone).
    pub disabled_reason: Option<String>,
    /// While the secret replaced by the last rotation still signs (both signatures are
    /// sent until then); `null` otherwise.
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl EndpointView {
    fn new(e: EndpointRecord) -> Self {
        let now = Utc::now().timestamp_millis();
        EndpointView {
            previous_secret_expires_at: e
                .previous_secret_at(now)
                .and(e.previous_expires_at)
                .map(ms),
            id: e.id,
            url: e.url,
            description: e.description,
            event_types: e.event_types,
            enabled: e.enabled,
            disabled_reason: e.disabled_reason,
            created_at: ms(e.created_at),
            updated_at: ms(e.updated_at),
        }
    }
}

/// A new endpoint with its signing secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedEndpoint {
    #[serde(flatten)]
    pub endpoint: EndpointView,
    /// `whsec_…`: verify `webhook-signature` with it. Shown in this answer only: absent
    /// when the answer is a replay under the same `Idempotency-Key`.
    #[schema(required = false)]
    pub secret: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EndpointList {
    pub data: Vec<EndpointView>,
    /// Always `null`: the whole list is one page.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

/// A rotated secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct RotatedSecret {
    /// The new secret, shown this once; it signs from now on. Absent when the answer is a
    /// replay under the same `Idempotency-Key`.
    #[schema(required = false)]
    pub secret: String,
    /// Until then the previous secret signs too (two `v1,` signatures per message).
    pub previous_secret_expires_at: DateTime<Utc>,
}

/// One delivery of a message to an endpoint.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryView {
    pub message_id: String,
    pub endpoint_id: String,
    #[serde(rename = "type")]
    #[schema(value_type = EventType)]
    pub event_type: String,
    /// `pending` (to be sent at `next_attempt_at`), `succeeded`, `dead` (every attempt
    /// failed; replayable) or `cancelled` (the endpoint was disabled).
    #[schema(value_type = DeliveryState)]
    pub status: String,
    /// Attempts since it was queued or last replayed.
    pub attempts: i64,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub last_status_code: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
}

impl DeliveryView {
    fn new(d: &DeliveryRow) -> Self {
        DeliveryView {
            message_id: d.message_id.clone(),
            endpoint_id: d.endpoint_id.clone(),
            event_type: d.event_type.clone(),
            status: d.state.as_str().into(),
            attempts: d.attempts,
            next_attempt_at: (d.state == DeliveryState::Pending).then(|| ms(d.next_attempt_at)),
            last_attempt_at: d.last_attempt_at.map(ms),
            last_status_code: d.last_status,
            last_error: d.last_error.clone(),
            created_at: ms(d.created_at),
            completed_at: d.completed_at.map(ms),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryList {
    /// Newest first.
    pub data: Vec<DeliveryView>,
    /// Pass as `cursor` (same filters) for the next page; `null` on the last.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

/// One attempt to deliver.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttemptView {
    pub attempted_at: DateTime<Utc>,
    /// The receiver's HTTP status; `null` when no answer came (timeout, connection).
    pub status_code: Option<i64>,
    pub duration_ms: i64,
    /// `succeeded`, `failed`, `timeout`, `throttled` (429/503 with Retry-After), `gone`
    /// (410), `refused` (not sent: forbidden address), `cancelled` (endpoint disabled).
    pub outcome: String,
    pub error: Option<String>,
    /// The first 256 bytes of the answer's body.
    pub response_excerpt: Option<String>,
}

impl AttemptView {
    fn new(a: &AttemptRow) -> Self {
        AttemptView {
            attempted_at: ms(a.attempted_at),
            status_code: a.status_code,
            duration_ms: a.duration_ms,
            outcome: a.outcome.clone(),
            error: a.error.clone(),
            response_excerpt: a.response_excerpt.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryDetail {
    #[serde(flatten)]
    pub delivery: DeliveryView,
    /// Every attempt, oldest first (replays included).
    pub attempt_log: Vec<AttemptView>,
}

/// A message: what was (or will be) sent, to which endpoints, and how each went.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageView {
    /// The `webhook-id` header.
    pub id: String,
    #[serde(rename = "type")]
    #[schema(value_type = EventType)]
    pub event_type: String,
    pub shipment_id: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The body sent.
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    pub deliveries: Vec<DeliveryDetail>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Replayed {
    /// Deliveries queued again (sent as soon as the dispatcher gets to them).
    pub replayed: u64,
}

// ---- helpers --------------------------------------------------------------------------

fn field(pointer: &str, code: &str, detail: impl Into<String>) -> FieldError {
    FieldError {
        pointer: pointer.into(),
        code: code.into(),
        detail: detail.into(),
    }
}

async fn checked_url(state: &AppState, raw: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    match state.oms_webhooks.check_url(raw).await {
        Ok(url) => Some(url.to_string()),
        Err(UrlRefusal::Invalid(why)) => {
            errors.push(field("/url", "invalid_url", why));
            None
        }
        Err(UrlRefusal::Forbidden(why)) => {
            errors.push(field("/url", "forbidden_destination", why));
            None
        }
    }
}

fn event_types(names: &[String], errors: &mut Vec<FieldError>) -> Option<Vec<EventType>> {
    if names.is_empty() {
        errors.push(field(
            "/event_types",
            "empty",
            "name at least one event type, or leave the field out (or null) for every type",
        ));
        return None;
    }
    let mut types = Vec::new();
    for (i, name) in names.iter().enumerate() {
        match EventType::parse(name) {
            Some(t) if !types.contains(&t) => types.push(t),
            Some(_) => {}
            None => errors.push(field(
                &format!("/event_types/{i}"),
                "unknown_event_type",
                format!(
                    "`{name}` is not an event type; use {}",
                    EventType::ALL.map(EventType::as_str).join(", ")
                ),
            )),
        }
    }
    Some(types)
}

fn description(text: Option<String>, errors: &mut Vec<FieldError>) -> Option<String> {
    let text = text?.trim().to_string();
    if text.chars().count() > MAX_DESCRIPTION {
        errors.push(field(
            "/description",
            "too_long",
            format!("at most {MAX_DESCRIPTION} characters"),
        ));
    }
    (!text.is_empty()).then_some(text)
}

async fn endpoint(state: &AppState, caller: &Caller, id: &str) -> Result<EndpointRecord, ApiError> {
    state
        .store
        .endpoint_get(&caller.tenant.id, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no webhook endpoint `{id}`")))
}

fn encode_cursor(d: &DeliveryRow) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}:{}", d.created_at, d.id))
}

fn decode_cursor(cursor: &str) -> Option<(i64, i64)> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).ok()?).ok()?;
    let (at, id) = text.split_once(':')?;
    Some((at.parse().ok()?, id.parse().ok()?))
}

// ---- handlers -------------------------------------------------------------------------

/// Register a webhook endpoint.
///
/// The answer carries the endpoint's signing secret (`whsec_…`), shown this once. Every
/// message is signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`,
/// `webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>`). Messages of events
/// stored from now on are sent; older ones are not.
#[utoipa::path(
    operation_id = "createWebhookEndpoint",
    tag = "webhooks",
    request_body = EndpointInput,
    responses(
        (status = 201, body = CreatedEndpoint),
        (status = 403, description = "The key's role is not `admin`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or (live mode) a URL leading to a non-public address (`forbidden_destination` at `/url`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/webhook-endpoints")]
pub async fn create(state: web::Data<AppState>, request: CreatingRequest<Admin>) -> Reply {
    run_creating(state, request, |state, request| async move {
        let input: EndpointInput = parse_json(request.json, &request.body)?;
        create_endpoint(&state, &request.caller, input).await
    })
    .await
}

async fn create_endpoint(
    state: &AppState,
    caller: &Caller,
    input: EndpointInput,
) -> Result<Reply, ApiError> {
    let mut errors = Vec::new();
    let url = match input.url.as_deref() {
        Some(raw) => checked_url(state, raw, &mut errors).await,
        None => {
            errors.push(field("/url", "required", "the receiver's URL is required"));
            None
        }
    };
    let types = input
        .event_types
        .as_deref()
        .and_then(|names| event_types(names, &mut errors));
    let description = description(input.description, &mut errors);
    let Some(url) = url.filter(|_| errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    let secret = Secret::generate();
    let record = state
        .store
        .endpoint_create(&NewEndpoint {
            id: format!("ep_{}", uuid::Uuid::now_v7().simple()),
            tenant_id: caller.tenant.id.clone(),
            url,
            description,
            event_types: types,
            secret: secret.as_str().to_string(),
            enabled: input.enabled.unwrap_or(true),
        })
        .await?;
    tracing::info!(tenant = %caller.tenant.name, endpoint_id = %record.id, url = %record.url, "webhook endpoint created");
    let shown = EndpointView::new(record);
    audit::record(
        state,
        caller,
        "webhook_endpoint.created",
        ("webhook_endpoint", &shown.id),
        None,
        serde_json::to_value(&shown).ok(),
    )
    .await;
    let body = CreatedEndpoint {
        endpoint: shown,
        secret: secret.as_str().to_string(),
    };
    let location = format!("/v1/webhook-endpoints/{}", body.endpoint.id);
    Ok(Reply::json(201, &body)
        .with_header("location", location)
        .with_secret("secret"))
}

/// The tenant's webhook endpoints, oldest first.
#[utoipa::path(
    operation_id = "listWebhookEndpoints",
    tag = "webhooks",
    responses((status = 200, body = EndpointList)),
    security(("api_key" = []))
)]
#[get("/v1/webhook-endpoints")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Key<Read>,
) -> Result<Json<EndpointList>, ApiError> {
    let endpoints = state.store.endpoints(&caller.tenant.id).await?;
    Ok(Json(EndpointList {
        data: endpoints.into_iter().map(EndpointView::new).collect(),
        next_cursor: None,
    }))
}

/// One webhook endpoint.
#[utoipa::path(
    operation_id = "getWebhookEndpoint",
    tag = "webhooks",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = EndpointView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/webhook-endpoints/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Key<Read>,
    id: web::Path<String>,
) -> Result<Json<EndpointView>, ApiError> {
    Ok(Json(EndpointView::new(
        endpoint(&state, &caller, &id).await?,
    )))
}

/// Change an endpoint: URL, description, event types, enabled.
///
/// Disabling cancels the deliveries still pending to it (replay them after re-enabling).
#[utoipa::path(
    operation_id = "updateWebhookEndpoint",
    tag = "webhooks",
    params(("id" = String, Path)),
    request_body = EndpointUpdate,
    responses(
        (status = 200, body = EndpointView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[patch("/v1/webhook-endpoints/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Key<Admin>,
    id: web::Path<String>,
    ApiJson(input): ApiJson<EndpointUpdate>,
) -> Result<Json<EndpointView>, ApiError> {
    let before =
        serde_json::to_value(EndpointView::new(endpoint(&state, &caller, &id).await?)).ok();
    let mut errors = Vec::new();
    let mut patch = EndpointPatch {
        enabled: input.enabled,
        ..EndpointPatch::default()
    };
    if let Some(raw) = input.url.as_deref() {
        patch.url = checked_url(&state, raw, &mut errors).await;
    }
    if let Some(text) = input.description {
        patch.description = Some(description(text, &mut errors));
    }
    if let Some(names) = input.event_types {
        patch.event_types = Some(match names {
            None => None,
            Some(names) => event_types(&names, &mut errors),
        });
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let record = state
        .store
        .endpoint_update(&caller.tenant.id, &id, &patch)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no webhook endpoint `{id}`")))?;
    let shown = EndpointView::new(record);
    audit::record(
        &state,
        &caller,
        "webhook_endpoint.updated",
        ("webhook_endpoint", &shown.id),
        before,
        serde_json::to_value(&shown).ok(),
    )
    .await;
    Ok(Json(shown))
}

/// Delete an endpoint, with its deliveries and their attempts.
#[utoipa::path(
    operation_id = "deleteWebhookEndpoint",
    tag = "webhooks",
    params(("id" = String, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[delete("/v1/webhook-endpoints/{id}")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Key<Admin>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let before = endpoint(&state, &caller, &id).await?;
    if state.store.endpoint_delete(&caller.tenant.id, &id).await? {
        tracing::info!(tenant = %caller.tenant.name, endpoint_id = %id, "webhook endpoint deleted");
        audit::record(
            &state,
            &caller,
            "webhook_endpoint.deleted",
            ("webhook_endpoint", &id),
            serde_json::to_value(EndpointView::new(before)).ok(),
            None,
        )
        .await;
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::NotFound(format!("no webhook endpoint `{id}`")))
    }
}

/// Replace the endpoint's signing secret.
///
/// The new secret is shown this once. The previous one keeps signing alongside it for a
/// grace period (24 h unless configured): each message then carries two `v1,`
/// signatures, so the receiver can switch secrets without losing a message.
#[utoipa::path(
    operation_id = "rotateWebhookSecret",
    tag = "webhooks",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = RotatedSecret),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/webhook-endpoints/{id}/rotate-secret")]
pub async fn rotate_secret(
    state: web::Data<AppState>,
    id: web::Path<String>,
    request: CreatingRequest<Admin>,
) -> Reply {
    let id = id.into_inner();
    run_creating(state, request, |state, request| async move {
        rotate(&state, &request.caller, &id).await
    })
    .await
}

async fn rotate(state: &AppState, caller: &Caller, id: &str) -> Result<Reply, ApiError> {
    let secret = Secret::generate();
    let grace = state.oms_webhooks.settings.rotation_grace.as_millis() as i64;
    let until = Utc::now().timestamp_millis() + grace;
    state
        .store
        .endpoint_rotate(&caller.tenant.id, id, secret.as_str(), until)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no webhook endpoint `{id}`")))?;
    tracing::info!(tenant = %caller.tenant.name, endpoint_id = %id, "webhook secret rotated");
    audit::record(
        state,
        caller,
        "webhook_endpoint.secret_rotated",
        ("webhook_endpoint", id),
        None,
        Some(serde_json::json!({"previous_secret_expires_at": ms(until)})),
    )
    .await;
    let body = RotatedSecret {
        secret: secret.as_str().to_string(),
        previous_secret_expires_at: ms(until),
    };
    Ok(Reply::json(200, &body).with_secret("secret"))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// Only deliveries in this state.
    #[param(value_type = Option<DeliveryState>)]
    status: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    limit: Option<String>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    unknown: BTreeMap<String, String>,
}

/// The endpoint's deliveries, newest first, cursor-paginated.
#[utoipa::path(
    operation_id = "listWebhookDeliveries",
    tag = "webhooks",
    params(("id" = String, Path), DeliveryQuery),
    responses(
        (status = 200, body = DeliveryList),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/webhook-endpoints/{id}/messages")]
pub async fn list_deliveries(
    state: web::Data<AppState>,
    caller: Key<Read>,
    id: web::Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<DeliveryList>, ApiError> {
    let mut errors = Vec::new();
    let q: DeliveryQuery = read_query(raw.as_deref(), &mut errors)?;
    let status = q.status.as_deref().and_then(|v| {
        let found = DeliveryState::parse(v);
        if found.is_none() {
            errors.push(param_error(
                "status",
                "invalid_value",
                format!("`{v}` is not pending, succeeded, dead or cancelled"),
            ));
        }
        found
    });
    let page = limit(&mut errors, q.limit.as_deref(), DEFAULT_LIMIT);
    let after = q.cursor.as_deref().and_then(|v| {
        let found = decode_cursor(v);
        if found.is_none() {
            errors.push(param_error(
                "cursor",
                "invalid_cursor",
                "not a cursor returned by this API",
            ));
        }
        found
    });
    unknown_params(&q.unknown, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    endpoint(&state, &caller, &id).await?;
    let rows = state
        .store
        .endpoint_deliveries(&caller.tenant.id, &id, status, after, page + 1)
        .await?;
    let more = rows.len() > page as usize;
    let rows = &rows[..rows.len().min(page as usize)];
    Ok(Json(DeliveryList {
        data: rows.iter().map(DeliveryView::new).collect(),
        next_cursor: more.then(|| rows.last().map(encode_cursor)).flatten(),
    }))
}

/// A message with its deliveries and every attempt.
#[utoipa::path(
    operation_id = "getWebhookMessage",
    tag = "webhooks",
    params(("id" = String, Path, description = "The message id (`webhook-id`)")),
    responses(
        (status = 200, body = MessageView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/webhook-messages/{id}")]
pub async fn get_message(
    state: web::Data<AppState>,
    caller: Key<Read>,
    id: web::Path<String>,
) -> Result<Json<MessageView>, ApiError> {
    let (message, deliveries, attempts) = state
        .store
        .message(&caller.tenant.id, &id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no webhook message `{id}`")))?;
    Ok(Json(message_view(message, &deliveries, &attempts)))
}

/// A stored message as the API shows it.
fn message_view(
    message: MessageRecord,
    deliveries: &[DeliveryRow],
    attempts: &[AttemptRow],
) -> MessageView {
    MessageView {
        id: message.id,
        event_type: message.event_type,
        shipment_id: message.shipment_id,
        created_at: ms(message.created_at),
        payload: serde_json::from_str(&message.payload).unwrap_or(serde_json::Value::Null),
        deliveries: deliveries
            .iter()
            .map(|d| DeliveryDetail {
                delivery: DeliveryView::new(d),
                attempt_log: attempts
                    .iter()
                    .filter(|a| a.delivery_id == d.id)
                    .map(AttemptView::new)
                    .collect(),
            })
            .collect(),
    }
}

/// The most messages `GET /v1/shipments/{id}/webhook-messages` shows.
const SHIPMENT_MESSAGES: u32 = 100;

#[derive(Debug, Serialize, ToSchema)]
pub struct ShipmentMessageList {
    /// Newest first, each with its deliveries and every attempt; at most the newest 100.
    pub data: Vec<MessageView>,
    /// Whether older messages exist than those shown.
    pub truncated: bool,
}

/// The webhook messages about one shipment, with their deliveries and attempts: what the
/// OMS was told about it, and whether it heard (the console's shipment page).
#[utoipa::path(
    operation_id = "listShipmentWebhookMessages",
    tag = "webhooks",
    params(("id" = String, Path, description = "Shipment id")),
    responses(
        (status = 200, body = ShipmentMessageList),
        (status = 404, description = "This tenant has no such shipment", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/shipments/{id}/webhook-messages")]
pub async fn list_for_shipment(
    state: web::Data<AppState>,
    caller: Key<Read>,
    id: web::Path<String>,
) -> Result<Json<ShipmentMessageList>, ApiError> {
    let shipment = state.shipments.get(&caller.tenant.id, &id).await?;
    let mut ids = state
        .store
        .shipment_message_ids(&caller.tenant.id, &shipment.id, SHIPMENT_MESSAGES + 1)
        .await?;
    let truncated = ids.len() > SHIPMENT_MESSAGES as usize;
    ids.truncate(SHIPMENT_MESSAGES as usize);
    let mut data = Vec::with_capacity(ids.len());
    for message_id in ids {
        // Purged between the two reads: no longer shown.
        if let Some((message, deliveries, attempts)) =
            state.store.message(&caller.tenant.id, &message_id).await?
        {
            data.push(message_view(message, &deliveries, &attempts));
        }
    }
    Ok(Json(ShipmentMessageList { data, truncated }))
}

/// Send a message again to each enabled endpoint it was for (whatever its state, except
/// deliveries still on their way), with a fresh retry schedule.
#[utoipa::path(
    operation_id = "replayWebhookMessage",
    tag = "webhooks",
    params(("id" = String, Path)),
    responses(
        (status = 202, body = Replayed),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Nothing to replay: its endpoints are disabled or still sending it", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/webhook-messages/{id}/replay")]
pub async fn replay_message(
    state: web::Data<AppState>,
    id: web::Path<String>,
    request: CreatingRequest<Admin>,
) -> Reply {
    let id = id.into_inner();
    run_creating(state, request, |state, request| async move {
        replay_one(&state, &request.caller, &id).await
    })
    .await
}

async fn replay_one(state: &AppState, caller: &Caller, id: &str) -> Result<Reply, ApiError> {
    let replayed = state
        .store
        .message_replay(&caller.tenant.id, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no webhook message `{id}`")))?;
    if replayed == 0 {
        return Err(ApiError::Conflict {
            code: "nothing_to_replay",
            detail: "every endpoint of this message is disabled or is still sending it".into(),
            shipment_id: None,
        });
    }
    state.oms_webhooks.wake.notify_one();
    tracing::info!(tenant = %caller.tenant.name, message_id = %id, replayed, "webhook message replayed");
    audit::record(
        state,
        caller,
        "webhook_message.replayed",
        ("webhook_message", id),
        None,
        Some(serde_json::json!({"replayed": replayed})),
    )
    .await;
    Ok(Reply::json(202, &Replayed { replayed }))
}

/// Send again the endpoint's deliveries of messages created in `[since, until)`: by
/// default the dead-lettered ones.
#[utoipa::path(
    operation_id = "replayWebhookDeliveries",
    tag = "webhooks",
    params(("id" = String, Path)),
    request_body = ReplayRange,
    responses(
        (status = 202, body = Replayed),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The endpoint is disabled: enable it first", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/webhook-endpoints/{id}/replay")]
pub async fn replay_range(
    state: web::Data<AppState>,
    id: web::Path<String>,
    request: CreatingRequest<Admin>,
) -> Reply {
    let id = id.into_inner();
    run_creating(state, request, |state, request| async move {
        let input: ReplayRange = parse_json(request.json, &request.body)?;
        replay_between(&state, &request.caller, &id, input).await
    })
    .await
}

async fn replay_between(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: ReplayRange,
) -> Result<Reply, ApiError> {
    let mut errors = Vec::new();
    let since = match input.since.as_deref() {
        Some(v) => instant(&mut errors, "since", v),
        None => {
            errors.push(field(
                "/since",
                "required",
                "the start of the range is required",
            ));
            None
        }
    };
    let until = input
        .until
        .as_deref()
        .and_then(|v| instant(&mut errors, "until", v));
    // `instant` words its details for query parameters; these are body fields.
    for e in &mut errors {
        e.detail = e.detail.replace("query parameter", "field");
    }
    if let (Some(since), Some(until)) = (since, until)
        && until <= since
    {
        errors.push(field("/until", "empty_range", "must be later than `since`"));
    }
    let states: Vec<DeliveryState> = match input.status.as_deref() {
        None | Some("dead") => vec![DeliveryState::Dead],
        Some("succeeded") => vec![DeliveryState::Succeeded],
        Some("cancelled") => vec![DeliveryState::Cancelled],
        Some("all") => vec![
            DeliveryState::Dead,
            DeliveryState::Succeeded,
            DeliveryState::Cancelled,
        ],
        Some(other) => {
            errors.push(field(
                "/status",
                "invalid_value",
                format!("`{other}` is not dead, succeeded, cancelled or all"),
            ));
            Vec::new()
        }
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let endpoint = endpoint(state, caller, id).await?;
    if !endpoint.enabled {
        return Err(ApiError::Conflict {
            code: "endpoint_disabled",
            detail: "the endpoint is disabled; enable it (PATCH {\"enabled\": true}) first".into(),
            shipment_id: None,
        });
    }
    let since = since.expect("checked").timestamp_millis();
    let until = until.unwrap_or_else(Utc::now).timestamp_millis();
    let replayed = state
        .store
        .endpoint_replay(id, since, until, &states)
        .await?;
    state.oms_webhooks.wake.notify_one();
    tracing::info!(tenant = %caller.tenant.name, endpoint_id = %id, replayed, "webhook deliveries replayed");
    audit::record(
        state,
        caller,
        "webhook_endpoint.replayed",
        ("webhook_endpoint", id),
        None,
        Some(serde_json::json!({"since": ms(since), "until": ms(until), "replayed": replayed})),
    )
    .await;
    Ok(Reply::json(202, &Replayed { replayed }))
}

#[cfg(test)]
mod tests {
    use utoipa::PartialSchema;

    use super::*;

    #[test]
    fn the_schema_states_the_lengths_the_handlers_enforce() {
        let url_len = crate::oms_webhooks::MAX_URL_LEN;
        for schema in [EndpointInput::schema(), EndpointUpdate::schema()] {
            let schema = serde_json::to_value(schema).unwrap();
            let pattern = |field: &str| {
                schema["properties"][field]["pattern"]
                    .as_str()
                    .unwrap()
                    .to_string()
            };
            assert!(pattern("description").contains(&format!("{{0,{MAX_DESCRIPTION}}}")));
            assert!(pattern("url").contains(&format!("{{0,{url_len}}}")));
        }
    }
}
