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
//!
//! This layer also charges the tenant's rate limit for the routes it guards (they are not
//! behind `ratelimit::middleware`): a keyed write with shared limits claims its key and
//! is charged in one Redis script, so it pays one round trip for both; everything else is
//! charged exactly as `ratelimit::middleware` would. The charge comes first either way, so
//! a refused request (429) never claims its key. After the handler, one more round trip
//! stores the outcome before it is returned, so a retry that follows the answer is a replay.

mod memory;
mod redis_store;

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use sha2::{Digest, Sha256};

pub use memory::{DEFAULT_BUDGET_MB, MemoryStore};
pub use redis_store::RedisStore;

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::ratelimit::{Class, Decision, SharedCharge, Verdict};

pub const HEADER: &str = "idempotency-key";
pub const REPLAYED_HEADER: &str = "idempotent-replayed";

/// Prefix of every key in the store. The number is the version of the Redis record format
/// (see `redis_store`): bump it when the format changes, so gateway processes of two
/// versions sharing a Redis never misread each other's records.
const KEY_PREFIX: &str = "sg:idem:2:";

/// Response headers worth replaying; the rest (dates, request ids, limits) describe the
/// new exchange, not the first outcome.
const STORED_HEADERS: &[&str] = &["content-type", "location", "content-disposition"];

/// A first outcome, as stored and replayed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
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

/// What [`IdempotencyStore::charge_and_begin`] found.
#[derive(Debug)]
pub struct Charged {
    pub decision: Decision,
    /// `None` when the charge was refused: the key was not touched.
    pub begin: Option<Result<Begin, StoreUnavailable>>,
}

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
    /// Charges a shared rate-limit bucket and, only when the charge is allowed, [`begin`]s,
    /// in one atomic step: one round trip instead of two. Stores without shared buckets
    /// answer `None`, and the caller charges through the limiter, then calls `begin`.
    ///
    /// [`begin`]: IdempotencyStore::begin
    async fn charge_and_begin(
        &self,
        _charge: &SharedCharge<'_>,
        _key: &str,
        _fingerprint: &str,
        _owner: &str,
        _lock_ttl: Duration,
    ) -> Option<Result<Charged, StoreUnavailable>> {
        None
    }
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

/// Time the layer adds to a request, per store step (the benchmark reads these). For a
/// keyed write with shared limits, `begin` includes the rate-limit charge.
fn overhead(step: &'static str, started: Instant) {
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

/// SHA-256 of method, path and the body as canonical JSON: object keys sorted at every
/// level, no whitespace. Bodies that are not JSON are fingerprinted as they are (the
/// handler will reject them anyway). The canonical form is streamed into the hash rather
/// than built as a new document and serialised.
fn fingerprint(method: &str, path: &str, body: &[u8]) -> String {
    /// Feeds what it is given to the hash, so `serde_json` can write scalars into it.
    struct Hashing<'a>(&'a mut Sha256);
    impl std::io::Write for Hashing<'_> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.update(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    fn canonical(h: &mut Sha256, v: &serde_json::Value) {
        use serde_json::Value;
        match v {
            Value::Object(map) => {
                let mut entries: Vec<_> = map.iter().collect();
                entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
                h.update(b"{");
                for (i, (k, v)) in entries.into_iter().enumerate() {
                    if i > 0 {
                        h.update(b",");
                    }
                    serde_json::to_writer(Hashing(h), k).expect("a string serialises");
                    h.update(b":");
                    canonical(h, v);
                }
                h.update(b"}");
            }
            Value::Array(items) => {
                h.update(b"[");
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        h.update(b",");
                    }
                    canonical(h, v);
                }
                h.update(b"]");
            }
            scalar => serde_json::to_writer(Hashing(h), scalar).expect("a scalar serialises"),
        }
    }
    let mut h = Sha256::new();
    h.update(method.as_bytes());
    h.update(b" ");
    h.update(path.as_bytes());
    h.update(b"\n");
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(v) => canonical(&mut h, &v),
        Err(_) => h.update(body),
    }
    hex::encode(h.finalize())
}

/// Outcomes that say nothing happened and the same request may simply be sent again are
/// not pinned to the key: an internal error or a temporary refusal would otherwise be
/// replayed for a day. An answer carrying `Retry-After` (a booking still in progress, an
/// unreachable database) asks for exactly that retry, so it is never stored either.
fn worth_storing(status: StatusCode, headers: &axum::http::HeaderMap) -> bool {
    !matches!(
        status,
        StatusCode::INTERNAL_SERVER_ERROR
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::TOO_MANY_REQUESTS
    ) && !headers.contains_key(axum::http::header::RETRY_AFTER)
}

/// Guards a creating route: idempotency for keyed requests, and the tenant's rate limit
/// for every request (see the module docs).
///
/// The request runs as a task of its own, so a client that hangs up (or times out) mid
/// request cannot cut it short: hyper drops a request's future when its connection goes,
/// and dropped between the carrier's answer and our write, a booking would stay
/// `booking` until the reconciler takes it after the lock TTL, and its key would stay
/// in flight as long. Run to the end, the outcome is stored and the client's retry is a
/// replay. Shutdown waits for these tasks (`AppState::creating`).
pub async fn middleware(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let tasks = state.creating.clone();
    match tasks.spawn(guard(state, request, next)).await {
        Ok(response) => response,
        // Re-raised for the panic layer to answer, as if it had happened here.
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => ApiError::Internal(anyhow::anyhow!("creating request task: {e}")).into_response(),
    }
}

async fn guard(state: AppState, request: Request, next: Next) -> Response {
    if !request.headers().contains_key(HEADER) {
        return crate::ratelimit::middleware(State(state), request, next).await;
    }
    let class = Class::of_request(&request);
    let Some(caller) = request.extensions().get::<Caller>().cloned() else {
        return ApiError::Internal(anyhow::anyhow!("idempotency runs after authentication"))
            .into_response();
    };
    let claim = match Claim::read(&state, &caller, request).await {
        Ok(claim) => claim,
        Err(error) => {
            // Refused before any key was claimed; charged all the same, as every /v1
            // request is.
            let verdict = charge(&state, &caller, class).await;
            if let Some(v) = verdict.as_ref().filter(|v| !v.allowed) {
                return v.refusal();
            }
            return with_limit_fields(error.into_response(), verdict.as_ref());
        }
    };
    let (verdict, begin) = charge_and_begin(&state, &caller, class, &claim).await;
    let Some(begin) = begin else {
        return verdict.expect("only a charge refuses").refusal();
    };
    let response = match proceed(&state, claim, begin, next).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    };
    with_limit_fields(response, verdict.as_ref())
}

fn with_limit_fields(mut response: Response, verdict: Option<&Verdict<'_>>) -> Response {
    if let Some(v) = verdict {
        v.set_headers(response.headers_mut());
    }
    response
}

/// A keyed request, read and ready to claim its key.
struct Claim {
    parts: Parts,
    body: Bytes,
    scope: String,
    fingerprint: String,
    owner: String,
}

impl Claim {
    async fn read(state: &AppState, caller: &Caller, request: Request) -> Result<Claim, ApiError> {
        let limit = state.idempotency.body_limit;
        let key = parse_key(&request.headers()[HEADER])?.to_string();
        let (parts, body) = request.into_parts();
        let body = to_bytes(body, limit)
            .await
            .map_err(|_| ApiError::PayloadTooLarge { limit })?;
        let method = parts.method.as_str();
        let path = parts.uri.path();
        let fingerprint = fingerprint(method, path, &body);
        let scope = {
            let mut h = Sha256::new();
            for part in [caller.tenant.id.as_str(), method, path, &key] {
                h.update(part.as_bytes());
                h.update([0]);
            }
            format!("{KEY_PREFIX}{}", hex::encode(h.finalize()))
        };
        Ok(Claim {
            parts,
            body,
            scope,
            fingerprint,
            owner: uuid::Uuid::new_v4().simple().to_string(),
        })
    }
}

/// The plain rate-limit charge (`None`: limits are off), timed as `ratelimit::middleware`
/// times it.
async fn charge<'a>(state: &'a AppState, caller: &Caller, class: Class) -> Option<Verdict<'a>> {
    if !state.limiter.enabled() {
        return None;
    }
    let started = Instant::now();
    let verdict = state
        .limiter
        .check(&caller.tenant.id, &caller.tenant.name, class)
        .await;
    metrics::histogram!("shipgate_ratelimit_check_seconds").record(started.elapsed().as_secs_f64());
    Some(verdict)
}

/// Charges the request, then claims its key unless the charge was refused (`begin` is
/// `None` exactly then): in one round trip when the store and the limiter share Redis.
async fn charge_and_begin<'a>(
    state: &'a AppState,
    caller: &Caller,
    class: Class,
    claim: &Claim,
) -> (Option<Verdict<'a>>, Option<Result<Begin, StoreUnavailable>>) {
    let idem = &state.idempotency;
    let limiter = &state.limiter;
    let shared = limiter
        .enabled()
        .then(|| limiter.shared_charge(&caller.tenant.id, &caller.tenant.name, class))
        .flatten();
    if let Some(shared) = shared {
        let started = Instant::now();
        let charged = idem
            .store
            .charge_and_begin(
                &shared,
                &claim.scope,
                &claim.fingerprint,
                &claim.owner,
                idem.lock_ttl,
            )
            .await;
        match charged {
            Some(Ok(Charged { decision, begin })) => {
                overhead("begin", started);
                let verdict = limiter.settle(shared, Ok::<_, StoreUnavailable>(decision));
                return (Some(verdict), begin);
            }
            Some(Err(e)) => {
                overhead("begin", started);
                // Limits fail open to this process's buckets; the key fails closed.
                let verdict = limiter.settle(shared, Err(&e));
                let begin = verdict.allowed.then_some(Err(e));
                return (Some(verdict), begin);
            }
            None => {}
        }
    }
    let verdict = charge(state, caller, class).await;
    if verdict.as_ref().is_some_and(|v| !v.allowed) {
        return (verdict, None);
    }
    let started = Instant::now();
    let begin = idem
        .store
        .begin(
            &claim.scope,
            &claim.fingerprint,
            &claim.owner,
            idem.lock_ttl,
        )
        .await;
    overhead("begin", started);
    (verdict, Some(begin))
}

/// Acts on what the store said about the key: run the request, refuse it, or replay.
async fn proceed(
    state: &AppState,
    claim: Claim,
    begin: Result<Begin, StoreUnavailable>,
    next: Next,
) -> Result<Response, ApiError> {
    let idem = &state.idempotency;
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
                .run(Request::from_parts(claim.parts, Body::from(claim.body)))
                .await;
            Ok(finish(idem, &claim.scope, &claim.owner, response).await)
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
    if worth_storing(parts.status, &parts.headers) {
        let stored = StoredResponse {
            status: parts.status.as_u16(),
            headers: parts
                .headers
                .iter()
                .filter(|(n, _)| STORED_HEADERS.contains(&n.as_str()))
                .filter_map(|(n, v)| Some((n.as_str().to_string(), v.to_str().ok()?.to_string())))
                .collect(),
            body: bytes.clone(),
        };
        let started = Instant::now();
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
    let mut response = Response::new(Body::from(stored.body));
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
    fn fingerprint_hashes_the_compact_sorted_form() {
        let canonical =
            "POST /v1/shipments\n{\"a\":[1,{\"p\":\"\\\"x\\n\",\"q\":null}],\"b\":1.5,\"c\":true}";
        assert_eq!(
            fingerprint(
                "POST",
                "/v1/shipments",
                br#"{"c": true, "b": 1.5, "a": [1, {"q": null, "p": "\"x\n"}]}"#
            ),
            hex::encode(Sha256::digest(canonical.as_bytes()))
        );
        // Not JSON: the bytes as they are.
        assert_eq!(
            fingerprint("POST", "/p", b"{oops"),
            hex::encode(Sha256::digest(b"POST /p\n{oops"))
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
