//! Idempotency keys for every creating POST (IETF httpapi `Idempotency-Key` draft).
//!
//! One layer serves every creating route ([`Layer::run`], reached through the handler's
//! `api::guard::CreatingRequest` argument), so a new route gets the guarantee by taking
//! that argument, not by code of its own. The route's role is checked before the layer,
//! so a key of a lesser role is refused and never receives a stored answer. Scope is
//! tenant + method + path + key;
//! the stored fingerprint is a SHA-256 of the query string and the canonical JSON body
//! (key order and whitespace do not matter). The first outcome is replayed for the configured TTL
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
//! Answers that carry a secret shown once (a webhook signing secret) are stored without
//! it: a replay shows the endpoint, never the secret again.
//!
//! This layer also charges the tenant's rate limit for the routes it guards (other routes
//! are charged by `api::guard::Key`): a keyed write with shared limits claims its key and
//! is charged in one Redis script, so it pays one round trip for both; everything else is
//! charged exactly as `Limiter::charge` charges every other request. The charge comes first either way, so
//! a refused request (429) never claims its key. After the handler, one more round trip
//! stores the outcome before it is returned, so a retry that follows the answer is a replay.

mod memory;
mod redis_store;

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::http::Method;
use async_trait::async_trait;
use bytes::Bytes;
use sha2::{Digest, Sha256};
use tokio::runtime::Handle;
use tokio_util::task::TaskTracker;
use tracing::Instrument;

pub use memory::{DEFAULT_BUDGET_MB, MemoryStore};
pub use redis_store::RedisStore;

use crate::auth::Caller;
use crate::error::{ApiError, REQUEST_ID};
use crate::ratelimit::{Class, Decision, Limiter, SharedCharge, Verdict};
use crate::reply::Reply;

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

#[derive(Clone)]
pub struct Idempotency {
    store: Arc<dyn IdempotencyStore>,
    ttl: Duration,
    lock_ttl: Duration,
}

impl Idempotency {
    pub fn new(store: Arc<dyn IdempotencyStore>, ttl: Duration, lock_ttl: Duration) -> Self {
        Idempotency {
            store,
            ttl,
            lock_ttl,
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
fn parse_key(value: &[u8]) -> Result<&str, ApiError> {
    let key = std::str::from_utf8(value).ok().filter(|k| {
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
/// unreachable database) asks for exactly that retry, so it is never stored either. Nor
/// are refusals of the caller (401, 403): they belong to the caller, not to the request,
/// and a stored one would be replayed to the next caller with the key.
fn worth_storing(reply: &Reply) -> bool {
    !matches!(reply.status, 401 | 403 | 429 | 500 | 503) && reply.header("retry-after").is_none()
}

/// A creating request, read off the connection: what the layer needs to guard it.
pub struct Creating {
    pub caller: Caller,
    pub method: String,
    pub path: String,
    /// The raw query string (empty when none): part of what the key stands for, as the
    /// file routes' `?layout=` is.
    pub query: String,
    /// The `Idempotency-Key` header as sent (`None`: not keyed).
    pub key: Option<Vec<u8>>,
    /// Whether the body says it is JSON (a handler that wants JSON refuses it otherwise).
    pub json: bool,
    pub body: Bytes,
}

/// The layer's view of the gateway: the key store, the tenant limits, and where creating
/// requests run.
pub struct Layer<'a> {
    pub idempotency: &'a Idempotency,
    pub limiter: &'a Arc<Limiter>,
    /// Creating requests run as tasks here, so shutdown can wait for them.
    pub tasks: &'a TaskTracker,
    /// The gateway's multi-threaded runtime.
    pub runtime: &'a Handle,
}

impl Layer<'_> {
    /// Guards a creating request: the tenant's rate limit for every request, idempotency
    /// for keyed ones (see the module docs), then `work` for a request that is to run.
    ///
    /// The whole of it runs as a task of its own, so a client that hangs up (or times
    /// out) mid request cannot cut it short: the HTTP server drops a request's future when
    /// its connection goes, and dropped between the carrier's answer and our write, a
    /// booking would stay `booking` until the reconciler takes it after the lock TTL, and
    /// its key would stay in flight as long. Run to the end, the outcome is stored and the
    /// client's retry is a replay. Shutdown waits for these tasks. The task keeps the
    /// request's id and span, so its logs and problem documents name the request.
    pub async fn run<F, Fut>(&self, request: Creating, work: F) -> Reply
    where
        F: FnOnce(Creating) -> Fut + Send + 'static,
        Fut: Future<Output = Reply> + Send + 'static,
    {
        let idempotency = self.idempotency.clone();
        let limiter = self.limiter.clone();
        let guarded = async move { guard(&idempotency, &limiter, request, work).await };
        let span = tracing::Span::current();
        let task = match REQUEST_ID.try_with(Clone::clone) {
            Ok(id) => self
                .tasks
                .spawn_on(REQUEST_ID.scope(id, guarded).instrument(span), self.runtime),
            Err(_) => self.tasks.spawn_on(guarded.instrument(span), self.runtime),
        };
        match task.await {
            Ok(reply) => reply,
            Err(e) => {
                let cause = if e.is_panic() {
                    "panicked"
                } else {
                    "was cancelled"
                };
                ApiError::Internal(anyhow::anyhow!("a creating request {cause}")).reply()
            }
        }
    }
}

async fn guard<F, Fut>(idem: &Idempotency, limiter: &Limiter, request: Creating, work: F) -> Reply
where
    F: FnOnce(Creating) -> Fut,
    Fut: Future<Output = Reply>,
{
    let class = Class::of(&Method::POST, &request.path);
    let Some(raw_key) = request.key.as_deref() else {
        let verdict = limiter.charge(&request.caller, class).await;
        if let Some(v) = verdict.as_ref().filter(|v| !v.allowed) {
            return v.refusal();
        }
        let reply = work(request).await;
        return with_limit_fields(reply, verdict.as_ref());
    };
    let claim = match Claim::new(&request, raw_key) {
        Ok(claim) => claim,
        Err(error) => {
            // Refused before any key was claimed; charged all the same, as every /v1
            // request is.
            let verdict = limiter.charge(&request.caller, class).await;
            if let Some(v) = verdict.as_ref().filter(|v| !v.allowed) {
                return v.refusal();
            }
            return with_limit_fields(error.reply(), verdict.as_ref());
        }
    };
    let (verdict, begin) = charge_and_begin(idem, limiter, &request.caller, class, &claim).await;
    let Some(begin) = begin else {
        return verdict.expect("only a charge refuses").refusal();
    };
    let reply = match proceed(begin).await {
        Ok(Some(replayed)) => replayed,
        Ok(None) => {
            let reply = work(request).await;
            finish(idem, &claim, reply).await
        }
        Err(e) => e.reply(),
    };
    with_limit_fields(reply, verdict.as_ref())
}

fn with_limit_fields(reply: Reply, verdict: Option<&Verdict<'_>>) -> Reply {
    match verdict {
        Some(v) => v.fields().apply(reply),
        None => reply,
    }
}

/// A keyed request, ready to claim its key.
struct Claim {
    scope: String,
    fingerprint: String,
    owner: String,
}

impl Claim {
    fn new(request: &Creating, raw_key: &[u8]) -> Result<Claim, ApiError> {
        let key = parse_key(raw_key)?;
        let method = request.method.as_str();
        let path = request.path.as_str();
        // The query is part of the request (the same key with another `?layout=` is
        // another request); without one the fingerprint is what it always was.
        let fingerprint = match request.query.as_str() {
            "" => fingerprint(method, path, &request.body),
            query => fingerprint(method, &format!("{path}?{query}"), &request.body),
        };
        let scope = {
            let mut h = Sha256::new();
            for part in [request.caller.tenant.id.as_str(), method, path, key] {
                h.update(part.as_bytes());
                h.update([0]);
            }
            format!("{KEY_PREFIX}{}", hex::encode(h.finalize()))
        };
        Ok(Claim {
            scope,
            fingerprint,
            owner: uuid::Uuid::new_v4().simple().to_string(),
        })
    }
}

/// Charges the request, then claims its key unless the charge was refused (`begin` is
/// `None` exactly then): in one round trip when the store and the limiter share Redis.
async fn charge_and_begin<'a>(
    idem: &Idempotency,
    limiter: &'a Limiter,
    caller: &Caller,
    class: Class,
    claim: &Claim,
) -> (Option<Verdict<'a>>, Option<Result<Begin, StoreUnavailable>>) {
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
    let verdict = limiter.charge(caller, class).await;
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

/// Acts on what the store said about the key: `None` to run the request, else the answer
/// (a replay or a refusal).
async fn proceed(begin: Result<Begin, StoreUnavailable>) -> Result<Option<Reply>, ApiError> {
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
            Ok(None)
        }
        Begin::InFlight { retry_after } => {
            count("in_flight");
            let secs = retry_after.as_secs_f64().ceil().clamp(1.0, 3600.0) as u64;
            let reply = ApiError::Conflict {
                code: "idempotency_key_in_flight",
                detail: format!("a request with this Idempotency-Key is still being processed; retry in {secs} s"),
                shipment_id: None,
            }
            .reply()
            .with_header("retry-after", secs.to_string());
            Ok(Some(reply))
        }
        Begin::Completed(stored) => {
            count("replayed");
            Ok(Some(replay(stored)))
        }
        Begin::Mismatch => {
            count("mismatch");
            Err(ApiError::IdempotencyMismatch)
        }
    }
}

/// Stores the handler's answer (or releases the key), and returns it.
async fn finish(idem: &Idempotency, claim: &Claim, reply: Reply) -> Reply {
    let (scope, owner) = (claim.scope.as_str(), claim.owner.as_str());
    if worth_storing(&reply) {
        let stored = StoredResponse {
            status: reply.status,
            headers: reply
                .headers
                .iter()
                .filter(|(n, _)| STORED_HEADERS.contains(&n.as_str()))
                .cloned()
                .collect(),
            body: reply.body_without_secret(),
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
    reply
}

fn replay(stored: StoredResponse) -> Reply {
    Reply {
        status: stored.status,
        headers: stored.headers,
        body: stored.body,
        secret_field: None,
    }
    .with_header(REPLAYED_HEADER, "true")
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
        assert!(parse_key(b"abc-123").is_ok());
        assert!(parse_key(b"").is_err());
        assert!(parse_key("k".repeat(256).as_bytes()).is_err());
        assert!(parse_key(b"caf\xc3\xa9").is_err());
    }
}
