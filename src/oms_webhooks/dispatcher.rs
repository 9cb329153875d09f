//! The background loop that sends the outbox: claim due deliveries with a lease, send
//! each one signed, record the attempt, schedule the next.
//!
//! - **Bounded.** At most `max_in_flight` sends at once in a process and at most
//!   `max_per_endpoint` to one endpoint: endpoints already at their limit are left out of
//!   the claim, so a slow or failing receiver with a thousand messages queued gets a few
//!   at a time and cannot take every slot from the others.
//! - **Retried.** Any answer but 2xx, a timeout or a connection failure schedules the next
//!   attempt after the configured delay (±20 % jitter, so a receiver coming back is not
//!   hit by every retry at the same instant); after the last one the delivery is `dead`
//!   (dead-lettered) and waits for a replay. A 429 or 503 with `Retry-After` is honoured
//!   (capped), and holds back the endpoint's whole backlog, on every gateway. A 410 Gone
//!   disables the endpoint, with the reason, and cancels what was still to be sent to it.
//! - **Recorded in batches.** Outcomes go to one recorder task that writes many attempts
//!   per transaction. Until an outcome is written the delivery stays claimed; if the
//!   process dies first, the claim lapses and the message is sent again (at-least-once).
//! - **Shared.** Several gateways on one PostgreSQL claim with `FOR UPDATE SKIP LOCKED`.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use rand::Rng;
use tokio::sync::{Notify, Semaphore, mpsc};
use tokio::task::JoinHandle;
use tokio_util::task::TaskTracker;

use super::OmsWebhooks;
use super::signing::{Secret, signature_header};
use crate::config::Mode;
use crate::shutdown::CancellationToken;
use crate::store::{AttemptResult, ClaimedDelivery, DeliveryState, EndpointRecord, Store};

/// Deliveries claimed per round at most.
const BATCH: usize = 256;
/// How often the outbox is looked at when nothing woke the dispatcher.
const POLL: Duration = Duration::from_millis(200);
/// How often the backlog gauge is refreshed.
const GAUGE_EVERY: Duration = Duration::from_secs(5);
/// How often finished deliveries past their retention are deleted.
const PURGE_EVERY: Duration = Duration::from_secs(600);
/// Deliveries deleted per transaction, so a purge never holds the database for long.
const PURGE_BATCH: i64 = 5_000;
/// Bytes of a receiver's answer kept with the attempt.
const EXCERPT: usize = 256;
/// How much longer than the timeout a claim lasts.
const LEASE_MARGIN_MS: i64 = 15_000;
/// A claimed delivery not started this long before its claim lapses is left alone.
const START_MARGIN_MS: i64 = 5_000;
/// Outcomes written per transaction at most.
const RECORD_BATCH: usize = 256;

/// One endpoint's work in this process.
///
/// A round claims deliveries for every endpoint with room, often more for one busy
/// endpoint than it may send at once. Those wait here, claimed, and each send that ends
/// takes the next one of its endpoint, instead of being handed back to the table and
/// claimed again (with one busy endpoint that was 16 row updates per delivery, and a
/// 200 ms wait per round). A waiting delivery whose claim would lapse before it could be
/// sent is handed back.
#[derive(Default)]
struct Load {
    sending: usize,
    waiting: VecDeque<(ClaimedDelivery, EndpointRecord)>,
}

/// Deliveries waiting per endpoint at most, in units of `max_per_endpoint`.
const WAITING_ROUNDS: usize = 4;

/// Starts the dispatcher and its recorder (unless delivery is disabled in this process).
///
/// At `stop` the dispatcher claims nothing more, gives back what it claimed but had not
/// started, waits for the sends in progress and returns; the recorder returns once their
/// outcomes are written. A send is never cut short: its receiver may have acted on it.
pub fn start(
    store: Store,
    outbound: Arc<OmsWebhooks>,
    stop: CancellationToken,
) -> Vec<JoinHandle<()>> {
    if !outbound.settings.enabled {
        tracing::info!(
            "outbound webhooks: this process does not deliver (oms_webhooks.enabled = false); \
             messages are still written to the outbox"
        );
        return Vec::new();
    }
    // From start-up, so an alert on its increase has a series to compare with.
    metrics::counter!("shipgate_oms_webhook_dead_lettered_total").increment(0);
    let (results, recorded) = mpsc::channel(4 * RECORD_BATCH);
    vec![
        tokio::spawn(record_forever(store.clone(), recorded)),
        tokio::spawn(run(store, outbound, results, stop)),
    ]
}

struct Shared {
    store: Store,
    outbound: Arc<OmsWebhooks>,
    /// Sends in flight and deliveries waiting for one, per endpoint, in this process.
    in_flight: Mutex<HashMap<String, Load>>,
    /// Woken when a send ends: its slot is free for the next claim.
    finished: Notify,
    results: mpsc::Sender<AttemptResult>,
    /// Sends in progress, waited for at shutdown.
    sends: TaskTracker,
    stop: CancellationToken,
}

async fn run(
    store: Store,
    outbound: Arc<OmsWebhooks>,
    results: mpsc::Sender<AttemptResult>,
    stop: CancellationToken,
) {
    let settings = outbound.settings.clone();
    let slots = Arc::new(Semaphore::new(settings.max_in_flight));
    let shared = Arc::new(Shared {
        store,
        outbound: outbound.clone(),
        in_flight: Mutex::default(),
        finished: Notify::new(),
        results,
        sends: TaskTracker::new(),
        stop: stop.clone(),
    });
    // A claim outlives the longest a claimed delivery can take: its send, plus the wait
    // for the recorder. It is also how long the deliveries of a process that died wait
    // before another one sends them.
    let lease_ms = settings.timeout.as_millis() as i64 + LEASE_MARGIN_MS;
    let mut gauge_due = Instant::now();
    let mut purge_due = Instant::now();
    while !stop.is_cancelled() {
        if Instant::now() >= gauge_due {
            gauge_due = Instant::now() + GAUGE_EVERY;
            if let Ok(n) = shared.store.delivery_backlog().await {
                metrics::gauge!("shipgate_oms_webhook_backlog").set(n as f64);
            }
        }
        if Instant::now() >= purge_due {
            purge_due = Instant::now() + PURGE_EVERY;
            purge(&shared.store, settings.retention).await;
        }
        let free = slots.available_permits();
        if free == 0 {
            // Every slot is sending: claim again as soon as one is free.
            tokio::select! {
                permit = slots.acquire() => drop(permit),
                () = stop.cancelled() => {}
            }
            continue;
        }
        let claimed = {
            let full: Vec<String> = shared
                .in_flight
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .iter()
                .filter(|(_, load)| {
                    load.sending >= settings.max_per_endpoint || !load.waiting.is_empty()
                })
                .map(|(ep, _)| ep.clone())
                .collect();
            match shared
                .store
                .delivery_claim(free.min(BATCH), lease_ms, &full)
                .await
            {
                Ok(claimed) => claimed,
                Err(e) => {
                    tracing::warn!(error = %e, "outbound webhooks: cannot claim deliveries; retrying shortly");
                    Vec::new()
                }
            }
        };
        if claimed.is_empty() {
            tokio::select! {
                _ = outbound.wake.notified() => {}
                _ = shared.finished.notified() => {}
                _ = tokio::time::sleep(POLL) => {}
                () = stop.cancelled() => {}
            }
            continue;
        }
        let more = claimed.len() == free.min(BATCH);
        dispatch(&shared, &slots, claimed).await;
        if !more {
            tokio::select! {
                _ = outbound.wake.notified() => {}
                _ = shared.finished.notified() => {}
                _ = tokio::time::sleep(POLL) => {}
                () = stop.cancelled() => {}
            }
        }
    }
    shared.sends.close();
    let sending = shared.sends.len();
    if sending > 0 {
        tracing::info!(
            sending,
            "outbound webhooks: stopping; waiting for the deliveries in progress"
        );
    }
    shared.sends.wait().await;
    // What waited for a send goes back to the table, for the next process.
    let waiting: Vec<i64> = shared
        .in_flight
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .drain()
        .flat_map(|(_, load)| load.waiting.into_iter().map(|(d, _)| d.id))
        .collect();
    if !waiting.is_empty() {
        let _ = shared.store.delivery_release(&waiting, now_ms()).await;
    }
    // Dropping the last sender ends the recorder once it wrote every outcome.
    tracing::info!("outbound webhooks: dispatcher stopped");
}

/// Starts a send for each claimed delivery its endpoint has room for; the rest wait for
/// one of its sends to end ([`Load`]), or, beyond that, go back.
async fn dispatch(shared: &Arc<Shared>, slots: &Arc<Semaphore>, claimed: Vec<ClaimedDelivery>) {
    let ids: Vec<String> = claimed
        .iter()
        .map(|c| c.endpoint_id.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let endpoints = match shared.store.endpoints_by_id(&ids).await {
        Ok(found) => found,
        Err(e) => {
            tracing::warn!(error = %e, "outbound webhooks: cannot read endpoints; their deliveries wait");
            let back: Vec<i64> = claimed.iter().map(|c| c.id).collect();
            let _ = shared.store.delivery_release(&back, now_ms() + 2_000).await;
            return;
        }
    };
    let max = shared.outbound.settings.max_per_endpoint;
    let mut give_back = Vec::new();
    for delivery in claimed {
        if shared.stop.is_cancelled() {
            // Shutting down: start nothing new; another round (or process) sends it.
            give_back.push(delivery.id);
            continue;
        }
        let Some(endpoint) = endpoints.get(&delivery.endpoint_id).cloned() else {
            // Deleted meanwhile: its deliveries went with it.
            continue;
        };
        {
            let mut in_flight = shared
                .in_flight
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let load = in_flight.entry(endpoint.id.clone()).or_default();
            if load.sending >= max {
                if load.waiting.len() < max * WAITING_ROUNDS {
                    load.waiting.push_back((delivery, endpoint));
                } else {
                    give_back.push(delivery.id);
                }
                continue;
            }
            load.sending += 1;
        }
        let Ok(permit) = slots.clone().acquire_owned().await else {
            return;
        };
        let sends = shared.sends.clone();
        let shared = shared.clone();
        sends.spawn(async move {
            let mut next = Some((delivery, endpoint));
            while let Some((delivery, endpoint)) = next.take() {
                let mut answered = true;
                if let Some(result) = attempt(&shared, &endpoint, &delivery).await {
                    answered = result.outcome == "succeeded";
                    let _ = shared.results.send(result).await;
                }
                next = next_of(&shared, &endpoint.id, answered).await;
            }
            drop(permit);
            shared.finished.notify_one();
        });
    }
    if !give_back.is_empty() {
        let _ = shared.store.delivery_release(&give_back, now_ms()).await;
    }
}

/// The next delivery waiting for `endpoint_id`'s sender that just finished, or `None`
/// (the sender stops; so it does when the dispatcher is stopping). Waiting deliveries
/// whose claim would lapse before they could be sent are handed back on the way; after
/// an attempt that did not succeed (`answered` false) all of them are, so that a
/// receiver's Retry-After, a 410 or a failure holds them back as it holds the table's.
async fn next_of(
    shared: &Shared,
    endpoint_id: &str,
    answered: bool,
) -> Option<(ClaimedDelivery, EndpointRecord)> {
    let now = now_ms();
    let mut stale = Vec::new();
    let next = {
        let mut in_flight = shared
            .in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let load = in_flight.get_mut(endpoint_id)?;
        let mut next = None;
        let go_on = answered && !shared.stop.is_cancelled();
        while let Some((delivery, endpoint)) = load.waiting.pop_front() {
            if go_on && startable(shared, &delivery, now) {
                next = Some((delivery, endpoint));
                break;
            }
            stale.push(delivery.id);
        }
        if next.is_none() {
            load.sending = load.sending.saturating_sub(1);
            if load.sending == 0 && load.waiting.is_empty() {
                in_flight.remove(endpoint_id);
            }
        }
        next
    };
    if !stale.is_empty() {
        let _ = shared.store.delivery_release(&stale, now_ms()).await;
    }
    next
}

/// Whether a send started at `now` would end, timeout and margin included, before the
/// delivery's claim lapses (after that another dispatcher may have it).
fn startable(shared: &Shared, delivery: &ClaimedDelivery, now: i64) -> bool {
    delivery.claimed_until - now
        >= shared.outbound.settings.timeout.as_millis() as i64 + START_MARGIN_MS
}

/// How one attempt went, before it is turned into the delivery's next state.
struct Answer {
    status: Option<u16>,
    /// `succeeded`, `failed`, `timeout`, `throttled`, `gone`, `refused`.
    outcome: &'static str,
    error: Option<String>,
    excerpt: Option<String>,
    retry_after_ms: Option<i64>,
}

/// Sends one delivery and decides what follows; `None` when it was not attempted (its
/// claim lapsed while it waited: another dispatcher may have it now).
async fn attempt(
    shared: &Shared,
    endpoint: &EndpointRecord,
    delivery: &ClaimedDelivery,
) -> Option<AttemptResult> {
    let settings = &shared.outbound.settings;
    let started_at = now_ms();
    if !startable(shared, delivery, started_at) {
        return None;
    }
    let attempt_no = delivery.attempts + 1;
    let answer = if !endpoint.enabled {
        Answer {
            status: None,
            outcome: "cancelled",
            error: Some(format!(
                "not sent: endpoint disabled ({})",
                endpoint.disabled_reason.as_deref().unwrap_or("disabled")
            )),
            excerpt: None,
            retry_after_ms: None,
        }
    } else {
        send(shared, endpoint, delivery, started_at).await
    };
    let finished_at = now_ms();
    let duration_ms = finished_at - started_at;
    metrics::counter!("shipgate_oms_webhook_attempts_total", "outcome" => answer.outcome)
        .increment(1);
    metrics::histogram!("shipgate_oms_webhook_attempt_seconds", "outcome" => answer.outcome)
        .record(duration_ms as f64 / 1000.0);

    let (state, next_attempt_at) = match answer.outcome {
        "succeeded" => (DeliveryState::Succeeded, finished_at),
        "gone" | "cancelled" => (DeliveryState::Cancelled, finished_at),
        _ => match settings.schedule_ms.get(attempt_no as usize) {
            None => (DeliveryState::Dead, finished_at),
            Some(delay) => {
                let jittered = jitter(*delay);
                let asked = answer
                    .retry_after_ms
                    .map(|ms| ms.min(settings.max_retry_after_ms))
                    .unwrap_or(0);
                (DeliveryState::Pending, finished_at + jittered.max(asked))
            }
        },
    };
    match (answer.outcome, state) {
        ("gone", _) => {
            let reason = format!(
                "the receiver answered 410 Gone at {}",
                chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            );
            tracing::warn!(endpoint_id = %endpoint.id, url = %endpoint.url, "outbound webhooks: endpoint disabled: {reason}");
            metrics::counter!("shipgate_oms_webhook_endpoints_disabled_total").increment(1);
            if let Err(e) = shared.store.endpoint_disable(&endpoint.id, &reason).await {
                tracing::warn!(endpoint_id = %endpoint.id, error = %e, "outbound webhooks: cannot disable endpoint");
            }
        }
        (_, DeliveryState::Dead) => {
            metrics::counter!("shipgate_oms_webhook_dead_lettered_total").increment(1);
            tracing::warn!(endpoint_id = %endpoint.id, message_id = %delivery.message_id, attempts = attempt_no, last_error = ?answer.error, status = ?answer.status, "outbound webhooks: message dead-lettered after its last attempt; replay it once the receiver is fixed");
        }
        ("succeeded", _) => {
            tracing::debug!(endpoint_id = %endpoint.id, message_id = %delivery.message_id, attempt = attempt_no, "outbound webhook delivered")
        }
        (outcome, _) => {
            if outcome == "throttled" {
                // The receiver asked everyone to wait: hold back its whole backlog.
                if let Err(e) = shared
                    .store
                    .endpoint_postpone(&endpoint.id, next_attempt_at)
                    .await
                {
                    tracing::warn!(endpoint_id = %endpoint.id, error = %e, "outbound webhooks: cannot postpone endpoint");
                }
            }
            tracing::info!(endpoint_id = %endpoint.id, message_id = %delivery.message_id, attempt = attempt_no, outcome, status = ?answer.status, error = ?answer.error, retry_in_ms = next_attempt_at - finished_at, "outbound webhook attempt failed; will retry");
        }
    }
    let counted = match state {
        DeliveryState::Succeeded => "succeeded",
        DeliveryState::Dead => "dead",
        DeliveryState::Cancelled => "cancelled",
        DeliveryState::Pending => "retrying",
    };
    metrics::counter!("shipgate_oms_webhook_deliveries_total", "outcome" => counted).increment(1);
    Some(AttemptResult {
        delivery_id: delivery.id,
        state,
        next_attempt_at,
        attempted_at: started_at,
        status_code: answer.status,
        duration_ms,
        outcome: answer.outcome,
        error: answer.error,
        response_excerpt: answer.excerpt,
    })
}

async fn send(
    shared: &Shared,
    endpoint: &EndpointRecord,
    delivery: &ClaimedDelivery,
    now: i64,
) -> Answer {
    let refused = |error: String| Answer {
        status: None,
        outcome: "refused",
        error: Some(error),
        excerpt: None,
        retry_after_ms: None,
    };
    let url = match url::Url::parse(&endpoint.url) {
        Ok(url) => url,
        Err(e) => return refused(format!("stored URL unreadable: {e}")),
    };
    // Names are checked by the client's resolver at connect time; an address written
    // as such never reaches a resolver, so it is checked here.
    if shared.outbound.mode == Mode::Live {
        let literal = match url.host() {
            Some(url::Host::Ipv4(ip)) => Some(std::net::IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => Some(std::net::IpAddr::V6(ip)),
            _ => None,
        };
        if let Some(why) = literal.and_then(super::ssrf::forbidden) {
            return refused(format!("not sent: {why} address (live mode)"));
        }
    }
    let mut secrets = Vec::new();
    match Secret::parse(&endpoint.secret) {
        Some(s) => secrets.push(s),
        None => return refused("the endpoint's secret is unreadable; rotate it".into()),
    }
    if let Some(previous) = endpoint.previous_secret_at(now).and_then(Secret::parse) {
        secrets.push(previous);
    }
    let timestamp = now / 1000;
    let body = delivery.payload.as_bytes();
    let signature = signature_header(
        &secrets.iter().collect::<Vec<_>>(),
        &delivery.message_id,
        timestamp,
        body,
    );
    let sent = shared
        .outbound
        .client
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", &delivery.message_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(delivery.payload.clone())
        .send()
        .await;
    let mut response = match sent {
        Ok(r) => r,
        Err(e) => {
            let outcome = if e.is_timeout() { "timeout" } else { "failed" };
            return Answer {
                status: None,
                outcome,
                error: Some(describe(&e)),
                excerpt: None,
                retry_after_ms: None,
            };
        }
    };
    let status = response.status().as_u16();
    let retry_after_ms = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| retry_after(v, chrono::Utc::now()));
    let excerpt = read_excerpt(&mut response).await;
    let (outcome, error) = match status {
        200..=299 => ("succeeded", None),
        410 => (
            "gone",
            Some("410 Gone: the receiver says this endpoint is no more".into()),
        ),
        429 | 503 if retry_after_ms.is_some() => {
            ("throttled", Some(format!("HTTP {status} with Retry-After")))
        }
        300..=399 => (
            "failed",
            Some(format!(
                "HTTP {status}: redirects are not followed; register the final URL"
            )),
        ),
        _ => ("failed", Some(format!("HTTP {status}"))),
    };
    Answer {
        status: Some(status),
        outcome,
        error,
        excerpt,
        retry_after_ms,
    }
}

/// Deletes what finished longer ago than `retention`, a batch at a time.
async fn purge(store: &Store, retention: Duration) {
    let before = now_ms() - retention.as_millis() as i64;
    let mut total = 0;
    loop {
        match store.outbox_purge(before, PURGE_BATCH).await {
            Ok(n) => {
                total += n;
                if n < PURGE_BATCH as u64 {
                    break;
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "outbound webhooks: purge failed");
                break;
            }
        }
    }
    if total > 0 {
        tracing::info!(
            deliveries = total,
            "outbound webhooks: finished deliveries past retention deleted"
        );
    }
}

/// The first bytes of an answer, for the attempt log; a large or endless body is not
/// read further.
async fn read_excerpt(response: &mut reqwest::Response) -> Option<String> {
    let mut bytes = Vec::new();
    while bytes.len() < EXCERPT {
        match response.chunk().await {
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
            _ => break,
        }
    }
    if bytes.is_empty() {
        return None;
    }
    bytes.truncate(EXCERPT);
    let text = String::from_utf8_lossy(&bytes);
    Some(text.trim_end_matches('\u{FFFD}').to_string())
}

/// The error chain of a failed send, without the URL (already known) repeated.
fn describe(e: &reqwest::Error) -> String {
    let mut text = if e.is_timeout() {
        "timed out".to_string()
    } else if e.is_connect() {
        "could not connect".to_string()
    } else {
        "request failed".to_string()
    };
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// `Retry-After` in milliseconds from `now`: delay-seconds or an HTTP date.
pub fn retry_after(value: &str, now: chrono::DateTime<chrono::Utc>) -> Option<i64> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some((secs.min(i64::MAX as u64 / 1000) as i64) * 1000);
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    Some((at.timestamp_millis() - now.timestamp_millis()).max(0))
}

/// `delay` ±20 %.
fn jitter(delay: i64) -> i64 {
    if delay <= 0 {
        return 0;
    }
    let factor: f64 = rand::rng().random_range(0.8..=1.2);
    (delay as f64 * factor) as i64
}

/// Writes attempt outcomes in batches until the senders are gone. A batch the database
/// refuses is tried again (the deliveries stay claimed meanwhile; should their claims
/// lapse first, they are sent again: at-least-once).
async fn record_forever(store: Store, mut results: mpsc::Receiver<AttemptResult>) {
    let mut batch = Vec::with_capacity(RECORD_BATCH);
    while results.recv_many(&mut batch, RECORD_BATCH).await > 0 {
        let mut failures = 0u32;
        loop {
            match store.delivery_complete(&batch).await {
                Ok(()) => break,
                Err(e) => {
                    failures += 1;
                    tracing::warn!(error = %e, attempts = batch.len(), failures, "outbound webhooks: cannot record attempts; retrying");
                    tokio::time::sleep(Duration::from_millis(500 * u64::from(failures.min(10))))
                        .await;
                }
            }
        }
        batch.clear();
    }
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = chrono::Utc
            .with_ymd_and_hms(2015, 10, 21, 7, 28, 0)
            .unwrap();
        assert_eq!(retry_after("120", now), Some(120_000));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
            Some(30_000)
        );
        assert_eq!(retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now), Some(0));
        assert_eq!(retry_after("soon", now), None);
    }

    #[test]
    fn jitter_stays_within_a_fifth() {
        for _ in 0..1000 {
            let j = jitter(10_000);
            assert!((8_000..=12_000).contains(&j), "{j}");
        }
        assert_eq!(jitter(0), 0);
    }
}
