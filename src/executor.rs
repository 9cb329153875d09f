//! The executor: the only place shipgate talks to carriers.
//!
//! Adapters describe requests as data; this module sends them with one shared reqwest
//! client (one connection pool for all carriers), applies each carrier's timeout, retries
//! only what is safe to retry, masks secrets before anything reaches a log, and records a
//! span and Prometheus metrics per carrier call. Keeping all of this in one place is what
//! makes "no adapter can bypass the timeout or leak a token into the logs" true by
//! construction.
//!
//! The same goes for carriers' API limits: every request takes a slot from its carrier's
//! outbound quota ([`OutboundQuota`]) just before it is sent, so no adapter, retry or
//! multi-call flow can exceed them.
//!
//! Each account also has a bound on its calls in flight ([`MAX_IN_FLIGHT`] unless
//! configured): the rest wait their turn, within their deadline. Every call in flight
//! holds a connection with its buffers (tens of kilobytes), so without the bound a burst
//! of rate shopping at 256 requests opened 768 connections and held about 50 MB, and a
//! carrier was handed every call at once rather than a steady queue.
//!
//! One transport per carrier *account*: each account has its own base URL, credentials,
//! timeout, quota and circuit breaker, because two accounts of one carrier fail and are
//! limited independently. A caller with an overall deadline (rate shopping) wraps the
//! transport in [`Deadlined`]: every request then waits no longer than the carrier's own
//! timeout or the time left, whichever is shorter, so a multi-call adapter cannot overrun
//! the deadline either.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use carriers::wire::{HttpRequest, HttpResponse, Method};
use carriers::{CarrierError, Operation, Transport};
use tracing::Instrument;
use url::Url;

use crate::breaker::Breaker;
use crate::ratelimit::OutboundQuota;

/// Consecutive transport failures that open a carrier's circuit, and how long it stays
/// open, unless the account's configuration says otherwise.
pub const BREAKER_THRESHOLD: u32 = 10;
pub const BREAKER_COOL_DOWN: Duration = Duration::from_secs(15);
/// Calls to one account in flight at once, per process, unless its configuration says
/// otherwise.
pub const MAX_IN_FLIGHT: usize = 64;

/// Header names whose values never reach a log.
const SECRET_HEADERS: &[&str] = &["authorization", "x-api-key", "api-key", "token", "cookie"];
/// Query keys whose values never reach a log.
const SECRET_QUERY_KEYS: &[&str] = &["token", "api_token", "password", "key", "secret"];

#[derive(Clone)]
pub struct Executor {
    client: reqwest::Client,
}

impl Executor {
    pub fn new() -> anyhow::Result<Executor> {
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .pool_idle_timeout(Duration::from_secs(90))
            .user_agent(concat!("shipgate/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Executor { client })
    }

    /// The transport for one carrier account; `quota` paces its requests (`None`:
    /// unpaced), at most `in_flight` are sent at once, `breaker` guards it.
    pub fn transport(
        &self,
        account: Account,
        base_url: Url,
        timeout: Duration,
        quota: Option<OutboundQuota>,
        in_flight: usize,
        breaker: Breaker,
    ) -> CarrierTransport {
        let in_flight = in_flight.max(1);
        let transport = CarrierTransport {
            client: self.client.clone(),
            carrier: account.carrier,
            account: account.id,
            base_url,
            timeout,
            quota: quota.map(Arc::new),
            in_flight: Arc::new(tokio::sync::Semaphore::new(in_flight)),
            in_flight_limit: in_flight,
            breaker: Arc::new(breaker),
        };
        transport.publish_breaker_state();
        transport
    }
}

/// Who a transport talks to: the carrier (adapter) and the account, for labels and logs.
#[derive(Debug, Clone, Copy)]
pub struct Account {
    pub carrier: &'static str,
    pub id: &'static str,
}

/// Runs one adapter operation of `account` inside a span, counting its outcome and
/// latency per carrier and account.
pub async fn observe<T>(
    account: Account,
    op: Operation,
    work: impl Future<Output = Result<T, CarrierError>>,
) -> Result<T, CarrierError> {
    let Account {
        carrier,
        id: account,
    } = account;
    let span = tracing::info_span!("carrier_call", carrier, account, operation = op.as_str());
    let start = Instant::now();
    let result = work.instrument(span.clone()).await;
    let outcome = match &result {
        Ok(_) => "ok",
        Err(e) => e.class(),
    };
    let labels = [
        ("carrier", carrier.to_string()),
        ("account", account.to_string()),
        ("operation", op.as_str().to_string()),
        ("outcome", outcome.to_string()),
    ];
    metrics::counter!("shipgate_carrier_operations_total", &labels).increment(1);
    metrics::histogram!("shipgate_carrier_operation_duration_seconds", &labels)
        .record(start.elapsed().as_secs_f64());
    span.in_scope(|| match &result {
        Ok(_) => tracing::debug!(
            elapsed_ms = start.elapsed().as_millis() as u64,
            "carrier call ok"
        ),
        Err(e) => tracing::warn!(
            elapsed_ms = start.elapsed().as_millis() as u64,
            class = e.class(),
            may_have_happened = e.may_have_happened(),
            error = %e,
            "carrier call failed"
        ),
    });
    result
}

/// The executor's face towards one carrier account.
#[derive(Clone)]
pub struct CarrierTransport {
    client: reqwest::Client,
    carrier: &'static str,
    account: &'static str,
    base_url: Url,
    timeout: Duration,
    /// Shared by every clone: one quota per carrier per process.
    quota: Option<Arc<OutboundQuota>>,
    /// Permits for calls in flight, shared by every clone as the quota is.
    in_flight: Arc<tokio::sync::Semaphore>,
    in_flight_limit: usize,
    breaker: Arc<Breaker>,
}

impl CarrierTransport {
    /// Who this transport talks to, for [`observe`].
    pub fn account(&self) -> Account {
        Account {
            carrier: self.carrier,
            id: self.account,
        }
    }

    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    pub fn breaker(&self) -> &Breaker {
        &self.breaker
    }

    /// This transport with an overall deadline on every request it sends.
    pub fn with_deadline(&self, deadline: tokio::time::Instant) -> Deadlined<'_> {
        Deadlined {
            transport: self,
            deadline,
        }
    }

    fn publish_breaker_state(&self) {
        metrics::gauge!(
            "shipgate_carrier_breaker_state",
            "carrier" => self.carrier,
            "account" => self.account,
        )
        .set(self.breaker.state().gauge());
    }

    /// Outbound requests per second this transport may send, if paced.
    pub fn quota_per_second(&self) -> Option<f64> {
        self.quota.as_ref().map(|q| q.per_second())
    }

    /// How much of its quota the last minute used, if paced.
    pub fn quota_usage(&self) -> Option<crate::ratelimit::QuotaUsage> {
        self.quota.as_ref().map(|q| q.usage())
    }

    fn url(&self, request: &HttpRequest) -> Result<Url, CarrierError> {
        let mut url =
            if request.path.starts_with("http://") || request.path.starts_with("https://") {
                Url::parse(&request.path)
            } else {
                let base = self.base_url.as_str().trim_end_matches('/');
                let path = request.path.trim_start_matches('/');
                Url::parse(&format!("{base}/{path}"))
            }
            .map_err(|e| CarrierError::NotSent(format!("invalid URL for {}: {e}", request.path)))?;
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(request.query.iter());
        }
        Ok(url)
    }

    async fn send_once(
        &self,
        op: Operation,
        request: &HttpRequest,
        url: &Url,
        deadline: Option<tokio::time::Instant>,
    ) -> Result<HttpResponse, CarrierError> {
        // A turn among the calls in flight first, then the quota's slot: a slot is taken
        // just before its request goes out. Each attempt waits for both, retries
        // included; a refusal here is `NotSent`, so it is always safe to retry.
        let _turn = self.turn(deadline).await?;
        if let Some(quota) = &self.quota {
            match deadline {
                Some(deadline) => tokio::time::timeout_at(deadline, quota.acquire())
                    .await
                    .map_err(|_| {
                        CarrierError::NotSent(format!(
                            "the deadline passed while waiting for a free slot of {}'s quota",
                            self.account
                        ))
                    })??,
                None => quota.acquire().await?,
            }
        }
        let timeout = self.effective_timeout(deadline)?;
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self.client.request(method, url.clone()).timeout(timeout);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        if let Some(ct) = request.content_type {
            builder = builder.header(reqwest::header::CONTENT_TYPE, ct);
        }
        if let Some(body) = &request.body {
            builder = builder.body(body.clone());
        }
        tracing::debug!(
            method = request.method.as_str(),
            url = %masked_url(url, request),
            headers = ?masked_headers(request),
            body_bytes = request.body.as_ref().map_or(0, Vec::len),
            "carrier request"
        );
        let start = Instant::now();
        let result = async {
            let response = builder.send().await?;
            let status = response.status().as_u16();
            let headers = response
                .headers()
                .iter()
                .filter_map(|(n, v)| Some((n.as_str().to_string(), v.to_str().ok()?.to_string())))
                .collect();
            let body = response.bytes().await?.to_vec();
            Ok::<_, reqwest::Error>(HttpResponse {
                status,
                headers,
                body,
            })
        }
        .await;
        let status_label = match &result {
            Ok(r) => r.status.to_string(),
            Err(e) if e.is_timeout() => "timeout".into(),
            Err(e) if e.is_connect() => "connect_error".into(),
            Err(_) => "io_error".into(),
        };
        metrics::histogram!(
            "shipgate_carrier_http_request_duration_seconds",
            "carrier" => self.carrier,
            "account" => self.account,
            "operation" => op.as_str(),
            "status" => status_label.clone(),
        )
        .record(start.elapsed().as_secs_f64());
        tracing::debug!(status = %status_label, elapsed_ms = start.elapsed().as_millis() as u64, "carrier response");
        result.map_err(|e| classify(e, timeout, request))
    }

    /// A permit to have one more call in flight, waited for until `deadline`, or for the
    /// carrier's own timeout without one (a call never waits longer for its turn than
    /// it would for its answer).
    async fn turn(
        &self,
        deadline: Option<tokio::time::Instant>,
    ) -> Result<tokio::sync::SemaphorePermit<'_>, CarrierError> {
        if let Ok(permit) = self.in_flight.try_acquire() {
            return Ok(permit);
        }
        metrics::counter!("shipgate_carrier_calls_queued_total", "carrier" => self.carrier, "account" => self.account)
            .increment(1);
        let until = deadline.unwrap_or_else(|| tokio::time::Instant::now() + self.timeout);
        match tokio::time::timeout_at(until, self.in_flight.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            // The semaphore is never closed.
            Ok(Err(_)) | Err(_) => Err(CarrierError::NotSent(format!(
                "{} already had {} calls in flight, and none finished in time for this one",
                self.account, self.in_flight_limit
            ))),
        }
    }

    /// The carrier's own timeout, or the time left before `deadline` when that is
    /// shorter. No time left: nothing is sent.
    fn effective_timeout(
        &self,
        deadline: Option<tokio::time::Instant>,
    ) -> Result<Duration, CarrierError> {
        let Some(deadline) = deadline else {
            return Ok(self.timeout);
        };
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        if left.is_zero() {
            return Err(CarrierError::NotSent(
                "the caller's deadline passed before this request could be sent".into(),
            ));
        }
        Ok(left.min(self.timeout))
    }

    /// Sends one request, within `deadline` when given.
    pub async fn send_within(
        &self,
        op: Operation,
        request: HttpRequest,
        deadline: Option<tokio::time::Instant>,
    ) -> Result<HttpResponse, CarrierError> {
        let url = self.url(&request)?;
        if let Err(refused) = self.breaker.admit() {
            metrics::counter!("shipgate_carrier_circuit_refusals_total", "carrier" => self.carrier, "account" => self.account)
                .increment(1);
            let retry_after_secs = refused.retry_in.as_secs_f64().ceil().max(1.0) as u64;
            return Err(CarrierError::Paused {
                reason: format!(
                    "{} has been failing, so calls are paused (circuit open); retry in {retry_after_secs} s",
                    self.account,
                ),
                retry_after_secs,
            });
        }
        // Until a verdict is recorded, dropping this future (the client went away) must
        // not leave a probe in flight forever.
        let mut verdict = Verdict {
            transport: self,
            pending: true,
        };
        self.publish_breaker_state();
        let result = match self.send_once(op, &request, &url, deadline).await {
            // A refused connection means nothing arrived; one quick retry rides out a
            // restarting carrier endpoint. Only for calls that are safe to repeat anyway.
            Err(CarrierError::Connect(_)) if op.is_idempotent() => {
                tokio::time::sleep(Duration::from_millis(100)).await;
                self.send_once(op, &request, &url, deadline).await
            }
            other => other,
        };
        let cut_by_deadline = deadline.is_some_and(|d| d <= tokio::time::Instant::now());
        match &result {
            Ok(response) => verdict.record(response.status >= 500),
            // Nothing went out (quota, deadline): no news about the carrier.
            Err(CarrierError::NotSent(_) | CarrierError::Paused { .. }) => verdict.abandon(),
            // The caller stopped waiting before the carrier's own timeout ran out.
            Err(CarrierError::Timeout { .. }) if cut_by_deadline => verdict.abandon(),
            Err(_) => verdict.record(true),
        }
        result
    }
}

/// The breaker verdict of one admitted call, recorded exactly once.
struct Verdict<'a> {
    transport: &'a CarrierTransport,
    pending: bool,
}

impl Verdict<'_> {
    fn record(&mut self, failed: bool) {
        self.pending = false;
        let t = self.transport;
        if t.breaker.record(failed) {
            metrics::counter!("shipgate_carrier_circuit_opened_total", "carrier" => t.carrier, "account" => t.account)
                .increment(1);
            tracing::warn!(
                carrier = t.carrier,
                account = t.account,
                cool_down_ms = t.breaker.cool_down().as_millis() as u64,
                "circuit opened after {} consecutive failures; failing fast",
                t.breaker.threshold()
            );
        }
        t.publish_breaker_state();
    }

    fn abandon(&mut self) {
        self.pending = false;
        if self.transport.breaker.abandon() {
            tracing::info!(
                account = self.transport.account,
                "circuit probe ended without an answer; open for another cool-down"
            );
        }
        self.transport.publish_breaker_state();
    }
}

impl Drop for Verdict<'_> {
    fn drop(&mut self) {
        if self.pending {
            self.abandon();
        }
    }
}

/// A carrier transport whose every request ends by `deadline` (see the module docs).
pub struct Deadlined<'a> {
    transport: &'a CarrierTransport,
    deadline: tokio::time::Instant,
}

#[async_trait]
impl Transport for Deadlined<'_> {
    async fn send(
        &self,
        op: Operation,
        request: HttpRequest,
    ) -> Result<HttpResponse, CarrierError> {
        self.transport
            .send_within(op, request, Some(self.deadline))
            .await
    }
}

/// A failure to get an answer as a carrier error, its text masked of the request's
/// secrets (an error can quote the URL).
fn classify(e: reqwest::Error, timeout: Duration, request: &HttpRequest) -> CarrierError {
    let root_cause = |e: &reqwest::Error| request.masked(&root_cause(e));
    if e.is_connect() {
        CarrierError::Connect(root_cause(&e))
    } else if e.is_timeout() {
        CarrierError::Timeout {
            timeout_ms: timeout.as_millis() as u64,
        }
    } else if e.is_builder() {
        CarrierError::NotSent(root_cause(&e))
    } else {
        // The request went out and the connection failed before a full answer came
        // back: the carrier may have acted on it.
        CarrierError::Upstream {
            status: 0,
            detail: format!("connection failed after sending: {}", root_cause(&e)),
        }
    }
}

#[async_trait]
impl Transport for CarrierTransport {
    async fn send(
        &self,
        op: Operation,
        request: HttpRequest,
    ) -> Result<HttpResponse, CarrierError> {
        self.send_within(op, request, None).await
    }
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// Headers for a log line: the request's marked secrets masked, and the headers that
/// always hold one masked whole (for a secret an adapter forgot to mark).
fn masked_headers(request: &HttpRequest) -> Vec<(String, String)> {
    request
        .headers
        .iter()
        .map(|(n, v)| {
            if SECRET_HEADERS.contains(&n.to_ascii_lowercase().as_str()) {
                (n.clone(), "****".into())
            } else {
                (n.clone(), request.masked(v))
            }
        })
        .collect()
}

/// The URL for a log line, masked like [`masked_headers`].
fn masked_url(url: &Url, request: &HttpRequest) -> String {
    let mut masked = url.clone();
    if url.query().is_some() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                if SECRET_QUERY_KEYS.contains(&k.to_ascii_lowercase().as_str()) {
                    (k.into_owned(), "****".into())
                } else {
                    (k.into_owned(), v.into_owned())
                }
            })
            .collect();
        masked.query_pairs_mut().clear().extend_pairs(pairs);
    }
    if masked.password().is_some() {
        let _ = masked.set_password(Some("****"));
    }
    request.masked(masked.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked() {
        let request = HttpRequest::get("/p")
            .header("authorization", "Token abc")
            .secret_header("DHL-API-Key", "dhl-key-1")
            .secret_query("sig", "q/secret");
        let h = masked_headers(&request);
        let value = |name: &str| h.iter().find(|(n, _)| n == name).unwrap().1.clone();
        assert_eq!(value("authorization"), "****");
        assert_eq!(value("accept"), "application/json");
        assert_eq!(value("dhl-api-key"), "****");
        let u = Url::parse("https://x.test/p?waybill=1&token=abc&sig=q%2Fsecret").unwrap();
        let m = masked_url(&u, &request);
        assert!(m.contains("waybill=1") && !m.contains("abc"), "{m}");
        assert!(!m.contains("secret"), "{m}");
    }
}
