//! Durable acceptance of pushes with group commit.
//!
//! A push is answered only once it is stored, but one transaction per request would make
//! every push wait for its own commit (SQLite has one writer; PostgreSQL flushes its log
//! per commit). So handlers hand their push to one writer task and wait for its answer;
//! the writer takes everything that queued up while the previous batch was committing
//! and stores it in one transaction. Under load, batches grow by themselves; when idle, a
//! push is written alone, at once.
//!
//! Stored pushes go straight to this process's processor, in memory and already claimed
//! for it in the same insert, so the processor need not claim and re-read each row. When
//! the processor is too far behind to take more, pushes are stored unclaimed instead and
//! it finds them in the table later (as it finds those of a process that died).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::{Notify, mpsc, oneshot};

use super::processor::LEASE_MS;
use crate::shutdown::CancellationToken;
use crate::store::{ClaimedPush, InboxState, Inserted, NewPush, Store};

/// Pushes stored per transaction at most.
const MAX_BATCH: usize = 512;
/// Pushes waiting for the writer at most; beyond that handlers wait to enqueue, which
/// slows carriers down rather than growing memory.
const QUEUE: usize = 4096;
/// Stored pushes waiting in memory for the processor at most: two batches, so that a
/// handed-over push is processed well within its claim.
const HANDOFF: usize = 2 * super::processor::BATCH as usize;

type Reply = oneshot::Sender<Result<Inserted, String>>;

/// The handlers' side: enqueue a push, wait until it is stored.
#[derive(Clone)]
pub struct Intake {
    queue: mpsc::Sender<(NewPush, Reply)>,
}

/// The writer's side, taken once when the application starts serving.
pub struct IntakeWriter {
    queue: mpsc::Receiver<(NewPush, Reply)>,
    handoff: mpsc::Sender<ClaimedPush>,
}

/// The handlers' side, the writer, and the processor's end of the hand-off.
pub fn channel() -> (Intake, IntakeWriter, mpsc::Receiver<ClaimedPush>) {
    let (tx, rx) = mpsc::channel(QUEUE);
    let (handoff, handed) = mpsc::channel(HANDOFF);
    (
        Intake { queue: tx },
        IntakeWriter { queue: rx, handoff },
        handed,
    )
}

impl Intake {
    /// Stores `push`; `Err` when it could not be stored (the database failed, or the
    /// writer is gone because the process is stopping).
    pub async fn store(&self, push: NewPush) -> Result<Inserted, String> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send((push, reply))
            .await
            .map_err(|_| "the inbox writer has stopped".to_string())?;
        answer
            .await
            .map_err(|_| "the inbox writer has stopped".to_string())?
    }
}

impl IntakeWriter {
    /// Writes batches until every [`Intake`] is dropped, handing what it stored to the
    /// processor, or, while the processor is behind (`backlog`), leaving it in the table
    /// for the processor to work through in order.
    ///
    /// Also returns once `requests_done` is cancelled and the queue is empty: at shutdown
    /// that token is cancelled after the last request was answered, so no push waits.
    pub async fn run(
        mut self,
        store: Store,
        backlog: Arc<AtomicBool>,
        processor: Arc<Notify>,
        requests_done: CancellationToken,
    ) {
        let mut batch = Vec::with_capacity(MAX_BATCH);
        loop {
            let received = tokio::select! {
                biased;
                n = self.queue.recv_many(&mut batch, MAX_BATCH) => n,
                () = requests_done.cancelled() => 0,
            };
            if received == 0 {
                return;
            }
            let (pushes, replies): (Vec<NewPush>, Vec<Reply>) = batch.drain(..).unzip();
            // This task is the only sender, so room seen now is room after the insert.
            // Once pushes went to the table, newer ones follow them there until the
            // processor caught up, or they would overtake the older ones.
            let hand_off =
                !backlog.load(Ordering::Acquire) && self.handoff.capacity() >= pushes.len();
            if !hand_off {
                backlog.store(true, Ordering::Release);
            }
            // No later than the claim the insert records.
            let claimed_until = chrono::Utc::now().timestamp_millis() + LEASE_MS;
            let started = std::time::Instant::now();
            let result = store
                .inbox_insert(&pushes, hand_off.then_some(LEASE_MS))
                .await;
            metrics::histogram!("shipgate_webhook_inbox_write_seconds")
                .record(started.elapsed().as_secs_f64());
            metrics::histogram!("shipgate_webhook_inbox_batch_size").record(pushes.len() as f64);
            let outcomes = match result {
                Ok(outcomes) => outcomes,
                Err(e) => {
                    tracing::error!(error = %e, pushes = pushes.len(), "cannot store carrier pushes");
                    for reply in replies {
                        let _ = reply.send(Err(e.to_string()));
                    }
                    continue;
                }
            };
            let received_at = chrono::Utc::now().timestamp_millis();
            for ((push, reply), outcome) in pushes.into_iter().zip(replies).zip(outcomes) {
                let _ = reply.send(Ok(outcome));
                if let (true, Inserted::New(id), InboxState::Pending) =
                    (hand_off, outcome, push.state)
                {
                    let claimed = ClaimedPush {
                        id,
                        carrier: push.carrier,
                        account: push.account,
                        body: push.body,
                        headers: push.headers,
                        state: InboxState::Pending,
                        attempts: 1,
                        received_at,
                        claimed_until,
                        parsed: push.parsed,
                    };
                    // Only fails if the processor is gone; the claim then expires.
                    let _ = self.handoff.try_send(claimed);
                }
            }
            if !hand_off {
                processor.notify_one();
            }
        }
    }
}
