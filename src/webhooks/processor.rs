//! Turns pushes left in the table into tracking events.
//!
//! Most pushes never reach it: the intake processes a push in the transaction that stores
//! it (`super::intake`). The table holds the rest: pushes the intake had to store raw
//! because processing them failed, unknown-AWB pushes due for a retry, and whatever a
//! predecessor left (raw pushes, claims that lapsed when it died).
//!
//! Works in batches: claim up to [`BATCH`] pushes, read them with their carrier's adapter,
//! plan them (`super::plan`: one query per carrier for every AWB's shipment) and store all
//! the events plus every push's outcome in one transaction; on PostgreSQL two batches at
//! once (`Store::concurrent_writers`). Concurrent batches are safe: each locks its
//! shipments in id order before writing their events, and a shipment's status is folded
//! by event time, whatever order its scans are stored in.
//!
//! When it looks:
//! - when the intake stored raw pushes, the table is worked through oldest first until it
//!   is empty (also at start-up, for what a predecessor left);
//! - every second, whatever the load: pushes whose claim lapsed and unknown-AWB pushes due
//!   for a retry.
//!
//! Nothing is dropped: a push whose AWB matches no shipment (often a scan racing its
//! booking's confirmation, or a shipment booked outside shipgate) is kept as
//! `unknown_awb` and retried with back-off, then kept for inspection; a push that cannot
//! be read is kept as `failed` with the reason; a batch the database refuses is retried
//! push by push, so one bad row cannot hold up the others, and a row that keeps failing is
//! given up on after [`MAX_ATTEMPTS`] claims.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use carriers::schema::PushedUpdate;
use tokio::sync::Notify;

use super::plan::{self, MAX_ATTEMPTS, Pushed, Read};
use crate::registry::Registry;
use crate::shutdown::CancellationToken;
use crate::store::{ClaimedPush, InboxState, Processed, Store, merged_events};

/// Rows claimed per batch.
pub const BATCH: i64 = 512;
/// How long a claim lasts: far longer than a batch takes, short enough that rows claimed
/// by a process that died are picked up again soon.
pub const LEASE_MS: i64 = 10_000;
/// Time a batch may take at most, as far as claims are concerned.
const CLAIM_MARGIN_MS: i64 = 3_000;
const POLL: Duration = Duration::from_secs(1);
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
/// on). `backlog` is set (and `wake` notified) by the intake when it stored pushes raw.
pub async fn run_forever(
    processor: Processor,
    backlog: Arc<AtomicBool>,
    wake: Arc<Notify>,
    stop: CancellationToken,
) {
    loop {
        let worker = tokio::spawn(run(
            processor.clone(),
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
    backlog: Arc<AtomicBool>,
    wake: Arc<Notify>,
    stop: CancellationToken,
) {
    let max_lanes = processor.store.concurrent_writers();
    let mut lanes = tokio::task::JoinSet::new();
    // Where the next claim of a backlog starts (see `Store::inbox_claim`).
    let mut watermark = 0;
    let mut housekeeping_due = Instant::now();
    let mut table_due = Instant::now();
    // Stops between batches: claimed pushes not processed yet keep their claim in the
    // table and are processed by whichever process claims them when it lapses.
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
        while let Some(done) = lanes.try_join_next() {
            finished(Some(done));
        }
        if backlog.load(Ordering::Acquire) {
            // Raw pushes in the table: worked through oldest first until (about) empty.
            // Claims are made one after the other, each from where the last ended (rows
            // left behind, claimed elsewhere or committed late, are found by the pass
            // every second); their batches are processed in lanes.
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
    let read: Vec<Read<'_>> = claimed
        .iter()
        .map(|row| {
            let pushed = Pushed {
                carrier: &row.carrier,
                account: row.account.as_deref(),
                id: Some(row.id),
                state: row.state,
                attempts: row.attempts,
            };
            (pushed, parse(&processor.registry, row))
        })
        .collect();
    let now = chrono::Utc::now().timestamp_millis();
    let plans = plan::plan(store, &read, now).await?;
    let events = merged_events(plans.iter().flat_map(|p| &p.events));
    let outcomes: Vec<(i64, crate::store::PushOutcome)> = claimed
        .iter()
        .zip(&plans)
        .map(|(row, p)| (row.id, p.outcome.clone()))
        .collect();

    let added = match store.inbox_complete(&events, &outcomes).await {
        Ok(added) => added,
        Err(e) if plans.len() > 1 => {
            tracing::warn!(error = %e, rows = plans.len(), "webhook batch refused by the database; retrying its pushes one by one");
            let mut added = 0;
            for (row, plan) in claimed.iter().zip(&plans) {
                added += complete_alone(store, row.id, plan).await;
            }
            added
        }
        Err(e) => {
            release(store, &[claimed[0].id]).await;
            return Err(e);
        }
    };
    metrics::counter!("shipgate_webhook_events_added_total").increment(added as u64);
    metrics::histogram!("shipgate_webhook_batch_seconds").record(started.elapsed().as_secs_f64());
    for (row, plan) in claimed.iter().zip(&plans) {
        plan::count(&row.carrier, plan, row.received_at, now);
    }
    tracing::debug!(
        rows = claimed.len(),
        added,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "carrier pushes processed from the table"
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

/// Completes one push in its own transaction; on failure the row is released for a
/// later attempt (and, failing again, eventually given up on).
async fn complete_alone(store: &Store, id: i64, plan: &Processed) -> usize {
    let events = merged_events(&plan.events);
    match store
        .inbox_complete(&events, &[(id, plan.outcome.clone())])
        .await
    {
        Ok(added) => added,
        Err(e) => {
            tracing::warn!(inbox_id = id, error = %e, "carrier push could not be stored as events; will retry");
            release(store, &[id]).await;
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
