//! Turns stored pushes into tracking events, after they were answered.
//!
//! Works in batches: take up to [`BATCH`] pushes, read them with their carrier's adapter,
//! find every AWB's shipment in one query per carrier, and store all the events plus
//! every push's outcome in one transaction — per batch, not per push, is what makes
//! thousands of pushes a second affordable. A short linger lets a batch fill under load.
//! On PostgreSQL up to [`LANES`] batches are written at once (see `run`).
//!
//! Where pushes come from:
//! - the intake of this process hands over what it just stored, already claimed and read
//!   (the common case: no claim and no second read of the row);
//! - when the intake stored pushes in the table instead (this processor was behind), the
//!   table is worked through oldest first until it is empty, and the intake keeps
//!   storing there meanwhile, so a shipment's scans are applied in arrival order;
//! - every second, whatever the load: pushes whose claim lapsed (their process died) and
//!   unknown-AWB pushes due for a retry.
//!
//! Nothing is dropped: a push whose AWB matches no shipment (often a scan racing its
//! booking's confirmation, or a shipment booked outside shipgate) is kept as
//! `unknown_awb` and retried with back-off, then kept for inspection; a push that cannot
//! be read is kept as `failed` with the reason; a batch the database refuses is retried
//! push by push, so one bad row cannot hold up the others, and a row that keeps failing is
//! given up on after [`MAX_ATTEMPTS`] claims.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use carriers::schema::{PushedUpdate, TrackingEvent};
use tokio::sync::{Mutex, Notify, mpsc};

use crate::registry::Registry;
use crate::shutdown::CancellationToken;
use crate::store::{ClaimedPush, Engine, InboxState, PushOutcome, Store};

/// Rows claimed per batch.
pub const BATCH: i64 = 512;
/// How long a claim lasts: far longer than a batch takes, short enough that rows claimed
/// by a process that died are picked up again soon.
pub const LEASE_MS: i64 = 10_000;
/// Time a batch may take at most, as far as claims are concerned.
const CLAIM_MARGIN_MS: i64 = 3_000;
/// Claims of one row at most (processing attempts, unknown-AWB retries included).
pub const MAX_ATTEMPTS: i64 = 8;
/// Back-off before the n-th retry of a push whose AWB is unknown: the first ones catch a
/// scan that raced its booking, the later ones a booking stuck in reconciliation.
const UNKNOWN_AWB_BACKOFF_MS: [i64; 7] = [
    5_000,
    30_000,
    120_000,
    600_000,
    1_800_000,
    3_600_000,
    3 * 3_600_000,
];
const POLL: Duration = Duration::from_secs(1);
/// Handed-over batches processed at once on PostgreSQL.
const LANES: usize = 2;
const LINGER: Duration = Duration::from_millis(10);
const HOUSEKEEPING: Duration = Duration::from_secs(600);
/// Processed pushes are kept a week (redeliveries within it are absorbed by the inbox;
/// later ones are absorbed by event dedupe), failed ones a month.
const KEEP_DONE_MS: i64 = 7 * 24 * 3_600_000;
const KEEP_FAILED_MS: i64 = 30 * 24 * 3_600_000;

/// What processing reads and writes: the inbox and shipments, and the carriers' push
/// parsers.
#[derive(Clone)]
pub struct Processor {
    pub store: Store,
    pub registry: Arc<Registry>,
}

/// Runs until `stop`, restarting the worker if it ever panics (a parser bug must not
/// stop tracking; the rows it was on are claimed again after their lease, then given up
/// on). `handed` brings the pushes this process just stored; `backlog` is set by the
/// intake when it stored pushes without handing them over.
pub async fn run_forever(
    processor: Processor,
    handed: mpsc::Receiver<ClaimedPush>,
    backlog: Arc<AtomicBool>,
    wake: Arc<Notify>,
    stop: CancellationToken,
) {
    let handed = Arc::new(Mutex::new(handed));
    loop {
        let worker = tokio::spawn(run(
            processor.clone(),
            handed.clone(),
            backlog.clone(),
            wake.clone(),
            stop.clone(),
        ));
        match worker.await {
            Err(e) if e.is_panic() => {
                tracing::error!("webhook processor panicked; restarting it");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            _ => return,
        }
    }
}

async fn run(
    processor: Processor,
    handed: Arc<Mutex<mpsc::Receiver<ClaimedPush>>>,
    backlog: Arc<AtomicBool>,
    wake: Arc<Notify>,
    stop: CancellationToken,
) {
    let mut handed = handed.lock().await;
    let mut next: Vec<ClaimedPush> = Vec::new();
    // Batches handed over by the intake are processed in up to `max_lanes` transactions
    // at once on PostgreSQL: one transaction keeps one server process (one core) busy at
    // most, and waits for its commit's log flush meanwhile. Concurrent batches are safe:
    // each locks its shipments in id order before writing their events, and a shipment's
    // status is folded by event time, whatever order its scans are stored in. SQLite has
    // one writer, so one lane.
    let max_lanes = match processor.store.engine() {
        Engine::Postgres => LANES,
        Engine::Sqlite => 1,
    };
    let mut lanes = tokio::task::JoinSet::new();
    // Where the next claim of a backlog starts (see `Store::inbox_claim`).
    let mut watermark = 0;
    let mut housekeeping_due = Instant::now();
    let mut table_due = Instant::now();
    // Stops between batches: pushes handed over but not processed yet keep their claim in
    // the table and are processed by whichever process claims them when it lapses.
    while !stop.is_cancelled() {
        if Instant::now() >= table_due {
            // Every second, whatever the load: pushes whose claim lapsed (their process
            // died) and unknown-AWB retries that are due.
            table_due = Instant::now() + POLL;
            claim_and_process(&processor, InboxState::Pending, 0).await;
            claim_and_process(&processor, InboxState::UnknownAwb, 0).await;
            if let Ok(n) = processor.store.inbox_backlog().await {
                metrics::gauge!("shipgate_webhook_inbox_backlog").set(n as f64);
            }
        }
        if Instant::now() >= housekeeping_due {
            housekeeping_due = Instant::now() + HOUSEKEEPING;
            housekeeping(&processor.store).await;
        }
        drain(&mut handed, &mut next);
        if !next.is_empty() && next.len() < BATCH as usize / 4 {
            // Under load a moment's wait fills the batch, and one transaction for many
            // pushes costs little more than one for a few; idle, it costs a push LINGER
            // of processing delay (its answer went out already).
            tokio::time::sleep(LINGER).await;
            drain(&mut handed, &mut next);
        }
        if !next.is_empty() {
            // Handed-over pushes first: they are older than any backlog in the table.
            in_lane(&mut lanes, max_lanes, &processor, std::mem::take(&mut next)).await;
            continue;
        }
        while let Some(done) = lanes.try_join_next() {
            finished(Some(done));
        }
        if backlog.load(Ordering::Acquire) {
            // The intake stores pushes in the table only while this is set, so the
            // table is worked through oldest first; once it is (about) empty, pushes are
            // handed over again. Claims are made one after the other, each from where the
            // last ended (rows left behind, claimed elsewhere or committed late, are
            // found by the pass every second); their batches are processed in lanes.
            let claimed = claim(&processor, InboxState::Pending, watermark).await;
            if claimed.len() < BATCH as usize {
                backlog.store(false, Ordering::Release);
            }
            if let Some(last) = claimed.last() {
                watermark = watermark.max(last.id);
            }
            if !claimed.is_empty() {
                in_lane(&mut lanes, max_lanes, &processor, claimed).await;
            }
            continue;
        }
        tokio::select! {
            Some(push) = handed.recv() => next.push(push),
            _ = wake.notified() => {}
            _ = tokio::time::sleep(POLL) => {}
            () = stop.cancelled() => {}
        }
    }
    while let Some(done) = lanes.join_next().await {
        finished(Some(done));
    }
}

/// Processes `batch` in a lane of its own, once one of `max_lanes` is free.
async fn in_lane(
    lanes: &mut tokio::task::JoinSet<()>,
    max_lanes: usize,
    processor: &Processor,
    batch: Vec<ClaimedPush>,
) {
    while lanes.len() >= max_lanes {
        finished(lanes.join_next().await);
    }
    let processor = processor.clone();
    lanes.spawn(async move {
        if let Err(e) = process(&processor, batch).await {
            tracing::warn!(error = %e, "webhook processor: batch failed; retrying shortly");
            tokio::time::sleep(POLL).await;
        }
    });
}

/// Reports a lane's batch that panicked (its rows are claimed again after their lease).
fn finished(done: Option<Result<(), tokio::task::JoinError>>) {
    if let Some(Err(e)) = done
        && e.is_panic()
    {
        tracing::error!(
            "webhook processor: a batch panicked; its pushes are retried after their claim lapses"
        );
    }
}

/// Claims one batch of `kind` from the table (pending rows after `after_id`).
async fn claim(processor: &Processor, kind: InboxState, after_id: i64) -> Vec<ClaimedPush> {
    match processor
        .store
        .inbox_claim(kind, BATCH, LEASE_MS, MAX_ATTEMPTS, after_id)
        .await
    {
        Ok(claimed) => claimed,
        Err(e) => {
            tracing::warn!(error = %e, "webhook processor: cannot claim pushes; retrying shortly");
            tokio::time::sleep(POLL).await;
            Vec::new()
        }
    }
}

/// Claims one batch of `kind` from the table and processes it; returns how many rows it
/// claimed.
async fn claim_and_process(processor: &Processor, kind: InboxState, after_id: i64) -> usize {
    let claimed = claim(processor, kind, after_id).await;
    let n = claimed.len();
    if n > 0
        && let Err(e) = process(processor, claimed).await
    {
        tracing::warn!(error = %e, "webhook processor: batch failed; retrying shortly");
        tokio::time::sleep(POLL).await;
    }
    n
}

fn drain(handed: &mut mpsc::Receiver<ClaimedPush>, next: &mut Vec<ClaimedPush>) {
    while next.len() < BATCH as usize {
        match handed.try_recv() {
            Ok(push) => next.push(push),
            Err(_) => break,
        }
    }
}

async fn housekeeping(store: &Store) {
    match store.inbox_give_up(MAX_ATTEMPTS).await {
        Ok(0) => {}
        Ok(n) => {
            metrics::counter!("shipgate_webhook_pushes_given_up_total").increment(n);
            tracing::error!(
                rows = n,
                "carrier pushes could not be processed after {MAX_ATTEMPTS} attempts; kept as failed"
            );
        }
        Err(e) => tracing::warn!(error = %e, "webhook processor: give-up sweep failed"),
    }
    let now = chrono::Utc::now().timestamp_millis();
    match store
        .inbox_purge(now - KEEP_DONE_MS, now - KEEP_FAILED_MS, MAX_ATTEMPTS)
        .await
    {
        Ok(n) if n > 0 => tracing::info!(rows = n, "old carrier pushes purged from the inbox"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "webhook processor: purge failed"),
    }
}

/// What one claimed push leads to.
struct Plan {
    id: i64,
    outcome: PushOutcome,
    /// Events per shipment id.
    events: Vec<(String, Vec<TrackingEvent>)>,
}

/// Processes a batch of claimed pushes.
async fn process(processor: &Processor, mut claimed: Vec<ClaimedPush>) -> Result<(), sqlx::Error> {
    let store = &processor.store;
    // A push whose claim (nearly) lapsed while it waited may be taken by another
    // processor now; it is left to the table, rather than processed twice.
    let deadline = chrono::Utc::now().timestamp_millis() + CLAIM_MARGIN_MS;
    claimed.retain(|c| c.claimed_until > deadline);
    if claimed.is_empty() {
        return Ok(());
    }
    let started = Instant::now();
    // Pushes handed over by this process's intake come already read.
    let parsed: Vec<(&ClaimedPush, Result<Vec<PushedUpdate>, String>)> = claimed
        .iter_mut()
        .map(|row| {
            let updates = match row.parsed.take() {
                Some(updates) => Ok(updates),
                None => parse(&processor.registry, row),
            };
            (&*row, updates)
        })
        .collect();

    // A push reaches the shipments of its scope only: its carrier, and the account whose
    // own URL it came to (or the platform accounts, for the carrier-wide URL).
    let mut awbs: BTreeMap<Scope<'_>, BTreeSet<String>> = BTreeMap::new();
    for (row, updates) in &parsed {
        for update in updates.iter().flatten() {
            awbs.entry(scope(row))
                .or_default()
                .insert(update.awb.clone());
        }
    }
    let mut shipments: HashMap<(Scope<'_>, String), Vec<String>> = HashMap::new();
    for (&(carrier, account), awbs) in &awbs {
        let awbs: Vec<String> = awbs.iter().cloned().collect();
        for (awb, id) in store.shipments_by_awb(carrier, account, &awbs).await? {
            shipments
                .entry(((carrier, account), awb))
                .or_default()
                .push(id);
        }
    }

    let now = chrono::Utc::now().timestamp_millis();
    let plans: Vec<Plan> = parsed
        .into_iter()
        .map(|(row, updates)| plan(row, updates, &shipments, now))
        .collect();
    let mut events: BTreeMap<String, Vec<TrackingEvent>> = BTreeMap::new();
    for plan in &plans {
        for (shipment, list) in &plan.events {
            events
                .entry(shipment.clone())
                .or_default()
                .extend(list.iter().cloned());
        }
    }
    let outcomes: Vec<(i64, PushOutcome)> =
        plans.iter().map(|p| (p.id, p.outcome.clone())).collect();

    let added = match store.inbox_complete(&events, &outcomes).await {
        Ok(added) => added,
        Err(e) if plans.len() > 1 => {
            tracing::warn!(error = %e, rows = plans.len(), "webhook batch refused by the database; retrying its pushes one by one");
            let mut added = 0;
            for plan in &plans {
                added += complete_alone(store, plan).await;
            }
            added
        }
        Err(e) => {
            release(store, &[plans[0].id]).await;
            return Err(e);
        }
    };
    metrics::counter!("shipgate_webhook_events_added_total").increment(added as u64);
    metrics::histogram!("shipgate_webhook_batch_seconds").record(started.elapsed().as_secs_f64());
    for (row, plan) in claimed.iter().zip(&plans) {
        let outcome = match plan.outcome {
            PushOutcome::Processed => "processed",
            PushOutcome::UnknownAwb { .. } => "unknown_awb",
            PushOutcome::Failed(_) => "failed",
        };
        metrics::counter!("shipgate_webhook_pushes_processed_total", "carrier" => row.carrier.clone(), "outcome" => outcome).increment(1);
        if plan.outcome == PushOutcome::Processed {
            metrics::histogram!("shipgate_webhook_processing_lag_seconds")
                .record((now - row.received_at).max(0) as f64 / 1000.0);
        }
    }
    tracing::debug!(
        rows = claimed.len(),
        added,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "carrier pushes processed"
    );
    Ok(())
}

fn parse(registry: &Registry, row: &ClaimedPush) -> Result<Vec<PushedUpdate>, String> {
    let carrier = registry
        .carrier(&row.carrier)
        .ok_or_else(|| format!("carrier `{}` is not enabled on this gateway", row.carrier))?;
    carrier
        .adapter
        .parse_webhook(&row.headers, &row.body)
        .map_err(|e| e.to_string())
}

/// Which shipments a push may reach: (carrier, the tenant account it came for).
type Scope<'a> = (&'a str, Option<&'a str>);

fn scope(row: &ClaimedPush) -> Scope<'_> {
    (row.carrier.as_str(), row.account.as_deref())
}

fn plan(
    row: &ClaimedPush,
    updates: Result<Vec<PushedUpdate>, String>,
    shipments: &HashMap<(Scope<'_>, String), Vec<String>>,
    now: i64,
) -> Plan {
    let updates = match updates {
        Ok(updates) => updates,
        Err(error) => {
            tracing::warn!(carrier = %row.carrier, inbox_id = row.id, %error, "stored carrier push cannot be read");
            return Plan {
                id: row.id,
                outcome: PushOutcome::Failed(error),
                events: Vec::new(),
            };
        }
    };
    let mut events = Vec::new();
    let mut unknown = Vec::new();
    for update in updates {
        match shipments.get(&(scope(row), update.awb.clone())) {
            Some(ids) => {
                if ids.len() > 1 {
                    tracing::warn!(carrier = %row.carrier, awb = %update.awb, shipments = ?ids, "several shipments share one AWB; the push updates each");
                }
                for id in ids {
                    events.push((id.clone(), update.events.clone()));
                }
            }
            None => unknown.push(update.awb),
        }
    }
    if unknown.is_empty() {
        return Plan {
            id: row.id,
            outcome: PushOutcome::Processed,
            events,
        };
    }
    // Counted once per push, when first found unknown, not at every retry.
    if row.state == InboxState::Pending {
        metrics::counter!("shipgate_webhook_unknown_awb_total", "carrier" => row.carrier.clone())
            .increment(1);
        tracing::warn!(carrier = %row.carrier, inbox_id = row.id, awbs = ?unknown, "carrier push for an AWB no shipment has; kept and retried");
    }
    let last = row.attempts >= MAX_ATTEMPTS;
    let backoff = UNKNOWN_AWB_BACKOFF_MS
        .get((row.attempts.max(1) - 1) as usize)
        .copied()
        .unwrap_or(*UNKNOWN_AWB_BACKOFF_MS.last().expect("not empty"));
    let detail = format!(
        "no shipment has AWB {}{}",
        unknown.join(", "),
        if last { " (no more retries)" } else { "" }
    );
    Plan {
        id: row.id,
        // Known AWBs of the same push are stored now; a retry stores them again, which
        // event dedupe makes harmless.
        outcome: PushOutcome::UnknownAwb {
            retry_at: now + backoff,
            detail,
        },
        events,
    }
}

/// Completes one push in its own transaction; on failure the row is released for a
/// later attempt (and, failing again, eventually given up on).
async fn complete_alone(store: &Store, plan: &Plan) -> usize {
    let events: BTreeMap<String, Vec<TrackingEvent>> = plan.events.iter().fold(
        BTreeMap::new(),
        |mut map: BTreeMap<String, Vec<TrackingEvent>>, (id, list)| {
            map.entry(id.clone())
                .or_default()
                .extend(list.iter().cloned());
            map
        },
    );
    match store
        .inbox_complete(&events, &[(plan.id, plan.outcome.clone())])
        .await
    {
        Ok(added) => added,
        Err(e) => {
            tracing::warn!(inbox_id = plan.id, error = %e, "carrier push could not be stored as events; will retry");
            release(store, &[plan.id]).await;
            0
        }
    }
}

async fn release(store: &Store, ids: &[i64]) {
    let retry_at = chrono::Utc::now().timestamp_millis() + 2_000;
    if let Err(e) = store.inbox_release(ids, retry_at).await {
        tracing::warn!(error = %e, "cannot release claimed carrier pushes; their lease will expire");
    }
}
