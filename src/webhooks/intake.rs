//! Durable acceptance of pushes, processed as they are stored, with group commit.
//!
//! A push is answered only once it is stored, but one transaction per request would make
//! every push wait for its own commit (SQLite has one writer; PostgreSQL flushes its log
//! per commit). So handlers hand their push to one writer task and wait for its answer;
//! the writer takes everything that queued up while the previous batch was being written
//! and stores it in one transaction. Under load, batches grow by themselves; when idle, a
//! push is written alone, at once.
//!
//! The same transaction processes the batch: the pushes are stored finished, with the
//! events they add, the shipments they move and the webhooks they announce. Storing a push
//! raw and processing it afterwards wrote every push twice and committed twice (a
//! profile on PostgreSQL: the second write and the claims were a quarter of the
//! statement time per push). The carrier waits a little longer for its answer, and in
//! exchange an answered push is processed already. Should processing fail (the database
//! refusing a row, a deadlock), the batch is stored raw instead, as before, and the
//! processor works it through push by push (`super::processor`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use carriers::schema::PushedUpdate;
use tokio::sync::{Notify, mpsc, oneshot};
use tokio::task::JoinSet;

use super::plan::{self, Pushed, Read};
use crate::shutdown::CancellationToken;
use crate::store::{InboxState, Inserted, NewPush, Processed, Store};

/// Pushes stored per transaction at most.
const MAX_BATCH: usize = 512;
/// Pushes waiting for the writer at most; beyond that handlers wait to enqueue, which
/// slows carriers down rather than growing memory.
const QUEUE: usize = 4096;

type Reply = oneshot::Sender<Result<Inserted, String>>;

/// The handlers' side: enqueue a push, wait until it is stored.
#[derive(Clone)]
pub struct Intake {
    queue: mpsc::Sender<(NewPush, Reply)>,
}

/// The writer's side, taken once when the application starts serving.
pub struct IntakeWriter {
    queue: mpsc::Receiver<(NewPush, Reply)>,
}

/// The handlers' side and the writer.
pub fn channel() -> (Intake, IntakeWriter) {
    let (tx, rx) = mpsc::channel(QUEUE);
    (Intake { queue: tx }, IntakeWriter { queue: rx })
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
    /// Writes batches until every [`Intake`] is dropped. A batch stored raw sets `backlog`
    /// and wakes the processor.
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
        let max_lanes = store.concurrent_writers();
        let mut lanes = JoinSet::new();
        let mut batch = Vec::with_capacity(MAX_BATCH);
        loop {
            // With every lane busy, pushes queue up meanwhile and make the next batch.
            while lanes.len() >= max_lanes {
                finished(lanes.join_next().await);
            }
            let received = tokio::select! {
                biased;
                n = self.queue.recv_many(&mut batch, MAX_BATCH) => n,
                () = requests_done.cancelled() => 0,
            };
            if received == 0 {
                break;
            }
            let (pushes, replies): (Vec<NewPush>, Vec<Reply>) = batch.drain(..).unzip();
            lanes.spawn(write(
                store.clone(),
                pushes,
                replies,
                backlog.clone(),
                processor.clone(),
            ));
        }
        while let Some(done) = lanes.join_next().await {
            finished(Some(done));
        }
    }
}

/// A lane that panicked dropped its replies: those handlers answer 503 and the carrier
/// sends the pushes again.
fn finished(done: Option<Result<(), tokio::task::JoinError>>) {
    if let Some(Err(e)) = done
        && e.is_panic()
    {
        tracing::error!("carrier push writer: a batch panicked; its pushes were refused");
    }
}

/// Stores one batch, processed if it can be, raw if not, and answers its handlers.
async fn write(
    store: Store,
    mut pushes: Vec<NewPush>,
    replies: Vec<Reply>,
    backlog: Arc<AtomicBool>,
    processor: Arc<Notify>,
) {
    let started = Instant::now();
    let received_at = chrono::Utc::now().timestamp_millis();
    let read: Vec<Option<Vec<PushedUpdate>>> = pushes.iter_mut().map(|p| p.parsed.take()).collect();
    let result = async {
        let plans = processed(&store, &pushes, read, received_at).await?;
        let (inserted, added) = store.inbox_insert(&pushes, &plans).await?;
        count(&pushes, &inserted, &plans, received_at, added);
        Ok::<_, sqlx::Error>(inserted)
    }
    .await;
    let result = match result {
        Ok(inserted) => Ok(inserted),
        Err(e) => {
            tracing::warn!(error = %e, pushes = pushes.len(), "carrier pushes could not be processed as they were stored; storing them raw for the processor");
            let raw = store.inbox_insert(&pushes, &[]).await;
            if raw.is_ok() {
                for push in pushes.iter().filter(|p| p.state == InboxState::Pending) {
                    metrics::counter!("shipgate_webhook_pushes_stored_raw_total", "carrier" => push.carrier.clone()).increment(1);
                }
                backlog.store(true, Ordering::Release);
                processor.notify_one();
            }
            raw.map(|(inserted, _)| inserted)
        }
    };
    metrics::histogram!("shipgate_webhook_inbox_write_seconds")
        .record(started.elapsed().as_secs_f64());
    metrics::histogram!("shipgate_webhook_inbox_batch_size").record(pushes.len() as f64);
    match result {
        Ok(inserted) => {
            for (reply, outcome) in replies.into_iter().zip(inserted) {
                let _ = reply.send(Ok(outcome));
            }
        }
        Err(e) => {
            tracing::error!(error = %e, pushes = pushes.len(), "cannot store carrier pushes");
            for reply in replies {
                let _ = reply.send(Err(e.to_string()));
            }
        }
    }
}

/// What each push leads to (`None` for those not to process: unreadable ones, kept as
/// rejected).
async fn processed(
    store: &Store,
    pushes: &[NewPush],
    read: Vec<Option<Vec<PushedUpdate>>>,
    now: i64,
) -> Result<Vec<Option<Processed>>, sqlx::Error> {
    let to_plan: Vec<(usize, Read<'_>)> = pushes
        .iter()
        .zip(read)
        .enumerate()
        .filter(|(_, (push, _))| push.state == InboxState::Pending)
        .map(|(i, (push, updates))| {
            let pushed = Pushed {
                carrier: &push.carrier,
                account: push.account.as_deref(),
                id: None,
                state: InboxState::Pending,
                attempts: 1,
            };
            // A pending push was read by its handler; an unread one fails as unreadable.
            let updates = updates.ok_or_else(|| "the push was not read on arrival".to_string());
            (i, (pushed, updates))
        })
        .collect();
    let (at, items): (Vec<usize>, Vec<_>) = to_plan.into_iter().unzip();
    let plans = plan::plan(store, &items, now).await?;
    let mut out = vec![None; pushes.len()];
    for (i, plan) in at.into_iter().zip(plans) {
        out[i] = Some(plan);
    }
    Ok(out)
}

fn count(
    pushes: &[NewPush],
    inserted: &[Inserted],
    plans: &[Option<Processed>],
    received_at: i64,
    added: usize,
) {
    let now = chrono::Utc::now().timestamp_millis();
    metrics::counter!("shipgate_webhook_events_added_total").increment(added as u64);
    for ((push, inserted), plan) in pushes.iter().zip(inserted).zip(plans) {
        if let (Inserted::New(_), Some(plan)) = (inserted, plan) {
            plan::count(&push.carrier, plan, received_at, now);
        }
    }
}
