//! Idempotency keys for every creating POST (IETF httpapi `Idempotency-Key` draft).
//!
//! One middleware serves every creating route, so a new route gets the guarantee by being
//! mounted behind it, not by code in its handler. Scope is tenant + method + path + key;
//! the stored fingerprint is a SHA-256 of the canonical JSON body (key order and
//! whitespace do not matter). The first outcome is replayed for the configured TTL
//! (24 h) with `Idempotent-Replayed: true`; a second request while the first runs gets 409
//! with `Retry-After`; the same key with another body gets 422.
//!
//! The in-flight marker carries an owner token and is released or completed only by its
//! owner, atomically (a Lua script in Redis, an entry-level compute in memory), so a
//! request that outlived its marker cannot overwrite the outcome of the one that took over.
//! The marker outlives the slowest possible booking; should a process die mid-request the
//! marker expires, and the database's unique (tenant, order reference, package) rule still
//! stops a second booking.
//!
//! When Redis is configured but unreachable, a keyed request is refused with 503 and not
//! executed: executing it without the guarantee the client asked for would be worse.

mod memory;
mod redis_store;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use memory::MemoryStore;
pub use redis_store::RedisStore;

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::ApiError;

pub const HEADER: &str = "idempotency-key";
pub const REPLAYED_HEADER: &str = "idempotent-replayed";

/// Response headers worth replaying; the rest (dates, request ids, limits) describe the
/// new exchange, not the first outcome.
const STORED_HEADERS: &[&str] = &["content-type", "location", "content-disposition"];

/// A first outcome, as stored and replayed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// Base64, so any body survives JSON and Lua.
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Begin {
    /// The caller owns the key now and must complete or release it.
    Started,
    InFlight {
        retry_after: Duration,
    },
    Completed(StoredResponse),
    /// The key was used with another body.
    Mismatch,
}

#[derive(Debug, thiserror::Error)]
#[error("idempotency store unavailable: {0}")]
pub struct StoreUnavailable(pub String);

/// Where keys live: Redis when configured (shared by every gateway process), else memory.
#[async_trait]
pub trait IdempotencyStore: Send + Sync {
    async fn begin(
        &self,
        key: &str,
        fingerprint: &str,
        owner: &str,
        lock_ttl: Duration,
    ) -> Result<Begin, StoreUnavailable>;
    /// Stores the outcome if `owner` still holds the key; returns whether it did.
    async fn complete(
        &self,
        key: &str,
        owner: &str,
        response: &StoredResponse,
        ttl: Duration,
    ) -> Result<bool, StoreUnavailable>;
    /// Drops the marker if `owner` still holds it, so the request may be retried.
    async fn release(&self, key: &str, owner: &str) -> Result<(), StoreUnavailable>;
}

pub struct Idempotency {
    store: Arc<dyn IdempotencyStore>,
    ttl: Duration,
    lock_ttl: Duration,
    body_limit: usize,
}

impl Idempotency {
    pub fn new(
        store: Arc<dyn IdempotencyStore>,
        ttl: Duration,
        lock_ttl: Duration,
        body_limit: usize,
    ) -> Self {
        Idempotency {
            store,
            ttl,
            lock_ttl,
            body_limit,
        }
    }

    pub fn lock_ttl(&self) -> Duration {
        self.lock_ttl
    }
}

/// Time the layer adds to a request, per store step (the benchmark reads these).
fn overhead(step: &'static str, started: std::time::Instant) {
    metrics::histogram!("shipgate_idempotency_store_seconds", "step" => step)
        .record(started.elapsed().as_secs_f64());
}

fn count(outcome: &'static str) {
    metrics::counter!("shipgate_idempotency_requests_total", "outcome" => outcome).increment(1);
}

/// A key is 1–255 visible ASCII characters.
fn parse_key(value: &HeaderValue) -> Result<&str, ApiError> {
    let key = value.to_str().ok().filter(|k| {
        (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
    });
    key.map(str::trim).filter(|k| !k.is_empty()).ok_or_else(|| {
        ApiError::BadRequest(
            "Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is a good choice)"
                .into(),
        )
    })
}

/// Canonical JSON: object keys sorted at every level, no whitespace. Bodies that are not
/// JSON are fingerprinted as they are (the handler will reject them anyway).
fn fingerprint(method: &str, path: &str, body: &[u8]) -> String {
    fn canonical(v: serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::Object(map) => {
                let mut entries: Vec<_> = map.into_iter().collect();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                serde_json::Value::Object(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k, canonical(v)))
                        .collect(),
                )
            }
            serde_json::Value::Array(items) => {
                serde_json::Value::Array(items.into_iter().map(canonical).collect())
            }
            other => other,
        }
    }
    let mut h = Sha256::new();
    h.update(method.as_bytes());
    h.update(b" ");
    h.update(path.as_bytes());
    h.update(b"\n");
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(v) => h.update(serde_json::to_vec(&canonical(v)).expect("a Value serialises")),
        Err(_) => h.update(body),
    }
    hex::encode(h.finalize())
}

/// Outcomes that say nothing happened and the same request may simply be sent again are
/// not pinned to the key: an internal error or a temporary refusal would otherwise be
/// replayed for a day.
fn worth_storing(status: StatusCode) -> bool {
    !matches!(
        status,
        StatusCode::INTERNAL_SERVER_ERROR
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::TOO_MANY_REQUESTS
    )
}

pub async fn middleware(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match guarded(&state, request, next).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

async fn guarded(state: &AppState, request: Request, next: Next) -> Result<Response, ApiError> {
    let Some(raw) = request.headers().get(HEADER).cloned() else {
        return Ok(next.run(request).await);
    };
    let key = parse_key(&raw)?.to_string();
    let idem = &state.idempotency;
    let caller = request
        .extensions()
        .get::<Caller>()
        .cloned()
        .ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!("idempotency runs after authentication"))
        })?;
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, idem.body_limit)
        .await
        .map_err(|_| ApiError::PayloadTooLarge {
            limit: idem.body_limit,
        })?;
    let method = parts.method.as_str().to_string();
    let path = parts.uri.path().to_string();
    let print = fingerprint(&method, &path, &bytes);
    let scope = {
        let mut h = Sha256::new();
        for part in [caller.tenant.id.as_str(), &method, &path, &key] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        format!("sg:idem:{}", hex::encode(h.finalize()))
    };
    let owner = uuid::Uuid::new_v4().simple().to_string();

    let started = std::time::Instant::now();
    let begin = idem
        .store
        .begin(&scope, &print, &owner, idem.lock_ttl)
        .await;
    overhead("begin", started);
    let begin = begin.map_err(|e| {
        count("unavailable");
        tracing::error!(error = %e, "idempotency store unavailable; refusing keyed request");
        ApiError::Unavailable(
            "the idempotency store is unreachable, so this keyed request was not executed; retry with the same key".into(),
        )
    })?;
    match begin {
        Begin::Started => {
            count("executed");
            let response = next
                .run(Request::from_parts(parts, Body::from(bytes)))
                .await;
            Ok(finish(idem, &scope, &owner, response).await)
        }
        Begin::InFlight { retry_after } => {
            count("in_flight");
            let secs = retry_after.as_secs_f64().ceil().clamp(1.0, 3600.0) as u64;
            let mut response = ApiError::Conflict {
                code: "idempotency_key_in_flight",
                detail: format!("a request with this Idempotency-Key is still being processed; retry in {secs} s"),
                shipment_id: None,
            }
            .into_response();
            response
                .headers_mut()
                .insert("retry-after", HeaderValue::from(secs));
            Ok(response)
        }
        Begin::Completed(stored) => {
            count("replayed");
            Ok(replay(stored))
        }
        Begin::Mismatch => {
            count("mismatch");
            Err(ApiError::IdempotencyMismatch)
        }
    }
}

/// Buffers the handler's response, stores it (or releases the key), and returns it.
async fn finish(idem: &Idempotency, scope: &str, owner: &str, response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(e) => {
            let _ = idem.store.release(scope, owner).await;
            return ApiError::Internal(anyhow::anyhow!("reading the response: {e}"))
                .into_response();
        }
    };
    if worth_storing(parts.status) {
        let stored = StoredResponse {
            status: parts.status.as_u16(),
            headers: parts
                .headers
                .iter()
                .filter(|(n, _)| STORED_HEADERS.contains(&n.as_str()))
                .filter_map(|(n, v)| Some((n.as_str().to_string(), v.to_str().ok()?.to_string())))
                .collect(),
            body: base64::engine::general_purpose::STANDARD.encode(&bytes),
        };
        let started = std::time::Instant::now();
        let completed = idem.store.complete(scope, owner, &stored, idem.ttl).await;
        overhead("complete", started);
        match completed {
            Ok(true) => {}
            Ok(false) => tracing::warn!(
                "idempotency marker expired before the request finished; outcome not stored"
            ),
            // The outcome happened; the unique order rule still protects a retry.
            Err(e) => tracing::error!(error = %e, "could not store the idempotent outcome"),
        }
    } else if let Err(e) = idem.store.release(scope, owner).await {
        tracing::error!(error = %e, "could not release the idempotency key");
    }
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes))
}

fn replay(stored: StoredResponse) -> Response {
    let body = base64::engine::general_purpose::STANDARD
        .decode(stored.body.as_bytes())
        .unwrap_or_default();
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    for (name, value) in stored.headers {
        if let (Ok(n), Ok(v)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            response.headers_mut().insert(n, v);
        }
    }
    response
        .headers_mut()
        .insert(REPLAYED_HEADER, HeaderValue::from_static("true"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_ignores_key_order_and_whitespace() {
        let a = fingerprint(
            "POST",
            "/v1/shipments",
            br#"{"a":1,"b":{"y":2,"x":[1,{"q":1,"p":2}]}}"#,
        );
        let b = fingerprint(
            "POST",
            "/v1/shipments",
            b"{ \"b\": {\"x\": [1, {\"p\": 2, \"q\": 1}], \"y\": 2},\n \"a\": 1 }",
        );
        assert_eq!(a, b);
        assert_ne!(a, fingerprint("POST", "/v1/shipments", br#"{"a":2}"#));
        assert_ne!(
            a,
            fingerprint(
                "POST",
                "/v1/other",
                br#"{"a":1,"b":{"y":2,"x":[1,{"q":1,"p":2}]}}"#
            )
        );
    }

    #[test]
    fn keys_are_validated() {
        assert!(parse_key(&HeaderValue::from_static("abc-123")).is_ok());
        assert!(parse_key(&HeaderValue::from_static("")).is_err());
        assert!(parse_key(&HeaderValue::from_str(&"k".repeat(256)).unwrap()).is_err());
        assert!(parse_key(&HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap()).is_err());
    }
}
