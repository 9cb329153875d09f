//! Group commit for bookings.
//!
//! Every booking writes its reservation before the carrier call and its confirmation
//! after it. Alone, each is a transaction of its own, and under load those transactions
//! queue for the database's one writer (SQLite) or for a log flush each (PostgreSQL). So
//! requests hand their write to this writer and wait for the answer; the writer takes
//! everything that queued up while the previous batch was being written and writes it in
//! one transaction (`Store::write_bookings`). Under load batches grow by themselves; when
//! idle a booking is written alone, at once, as before.
//!
//! On PostgreSQL two writers take batches at once: while one waits for its commit's log
//! flush, the other writes, and the server can use both cores. Their batches cannot wait
//! for each other in a cycle over the rows they share most (the daily scorecard rows are
//! written in key order, `analytics::store`); should any other pair of rows deadlock, the
//! database refuses one batch and its bookings are written again one at a time, as for
//! any failed batch. SQLite has one writer at a time anyway.
//!
//! A writer is a task started on demand and gone when the queue is empty, so it needs
//! no start-up or shutdown of its own: a request that handed over its write waits for
//! the answer like for any query, and the write completes even if that request is
//! dropped meanwhile (its client went away), as a direct query would not.
//!
//! A batch is one transaction, all or nothing. When it fails because the database is
//! unreachable, every booking in it gets that error, and so do the reservations queued
//! behind it (so a client hears 503 within one acquire timeout, not two); for any other
//! failure each booking is written again alone, so one bad row cannot fail the others.

use std::sync::{Arc, Mutex, PoisonError};

use futures::FutureExt;
use tokio::sync::oneshot;

use crate::store::{Confirmation, NewShipment, ReserveOutcome, ShipmentRecord, Store};

/// Bookings written per transaction at most.
const MAX_BATCH: usize = 256;

/// A failed write, shared by the bookings of a batch that failed together.
pub type WriteError = Arc<sqlx::Error>;

enum Job {
    Reserve(
        Box<NewShipment>,
        oneshot::Sender<Result<ReserveOutcome, WriteError>>,
    ),
    Confirm(
        Box<Confirmation>,
        oneshot::Sender<Result<ShipmentRecord, WriteError>>,
    ),
}

pub struct BookingWriter {
    store: Store,
    queue: Mutex<Queue>,
}

#[derive(Default)]
struct Queue {
    jobs: Vec<Job>,
    /// Writer tasks running; each takes what is queued.
    writers: usize,
}

impl BookingWriter {
    pub fn new(store: Store) -> Arc<BookingWriter> {
        Arc::new(BookingWriter {
            store,
            queue: Mutex::default(),
        })
    }

    /// Claims (tenant, order_ref, package_no) for a new booking.
    pub async fn reserve(self: &Arc<Self>, new: NewShipment) -> Result<ReserveOutcome, WriteError> {
        let (reply, answer) = oneshot::channel();
        self.submit(Job::Reserve(Box::new(new), reply));
        answer.await.unwrap_or_else(|_| Err(stopped()))
    }

    /// Records a confirmed booking and returns the shipment as stored.
    pub async fn confirm(
        self: &Arc<Self>,
        confirmation: Confirmation,
    ) -> Result<ShipmentRecord, WriteError> {
        let (reply, answer) = oneshot::channel();
        self.submit(Job::Confirm(Box::new(confirmation), reply));
        answer.await.unwrap_or_else(|_| Err(stopped()))
    }

    fn submit(self: &Arc<Self>, job: Job) {
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        queue.jobs.push(job);
        if queue.writers < self.store.concurrent_writers() {
            queue.writers += 1;
            tokio::spawn(Arc::clone(self).write_queued());
        }
    }

    async fn write_queued(self: Arc<Self>) {
        loop {
            let jobs: Vec<Job> = {
                let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
                if queue.jobs.is_empty() {
                    queue.writers -= 1;
                    return;
                }
                let n = queue.jobs.len().min(MAX_BATCH);
                queue.jobs.drain(..n).collect()
            };
            let n = jobs.len();
            let started = std::time::Instant::now();
            // A panic here must not take the writer with it: every later booking would
            // wait for it forever. The batch's requests get an error (their replies are
            // dropped) and the writer goes on with the next batch.
            let written = std::panic::AssertUnwindSafe(self.write_batch(jobs))
                .catch_unwind()
                .await;
            if written.is_err() {
                tracing::error!(
                    bookings = n,
                    "the booking writer panicked; that batch was answered with an error"
                );
            }
            metrics::histogram!("shipgate_booking_write_seconds")
                .record(started.elapsed().as_secs_f64());
            metrics::histogram!("shipgate_booking_batch_size").record(n as f64);
        }
    }

    /// Writes a batch, falling back to one booking at a time (see the module docs), and
    /// answers every booking in it.
    async fn write_batch(&self, jobs: Vec<Job>) {
        let n = jobs.len();
        match self.write(jobs).await {
            Ok(()) => {}
            Err((e, jobs)) if n > 1 && !crate::error::is_unreachable(&e) => {
                tracing::warn!(error = %e, bookings = n, "booking batch failed; writing each alone");
                for job in jobs {
                    if let Err((e, unwritten)) = self.write(vec![job]).await {
                        let e = Arc::new(e);
                        for job in unwritten {
                            fail(job, Arc::clone(&e));
                        }
                    }
                }
            }
            Err((e, jobs)) => {
                let e = Arc::new(e);
                // When the database is unreachable, reservations that queued while this
                // batch waited for it fail with it: tried again, they would wait a whole
                // acquire timeout more, and the promise is a 503 within one. Nothing of
                // theirs reached a carrier. Confirmations (the carrier has booked) are
                // tried again. They are answered before this batch, so whoever sees this
                // batch's error sees theirs too.
                let queued = if crate::error::is_unreachable(&e) {
                    self.take_queued_reservations()
                } else {
                    Vec::new()
                };
                tracing::error!(
                    error = %e,
                    bookings = n,
                    queued_reservations = queued.len(),
                    "cannot write bookings"
                );
                for job in queued.into_iter().chain(jobs) {
                    fail(job, Arc::clone(&e));
                }
            }
        }
    }

    fn take_queued_reservations(&self) -> Vec<Job> {
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        let (reserves, rest) = std::mem::take(&mut queue.jobs)
            .into_iter()
            .partition(|job| matches!(job, Job::Reserve(..)));
        queue.jobs = rest;
        reserves
    }

    /// Writes `jobs` in one transaction and answers each; on failure hands them back
    /// unanswered.
    async fn write(&self, jobs: Vec<Job>) -> Result<(), (sqlx::Error, Vec<Job>)> {
        let mut reserves: Vec<&NewShipment> = Vec::new();
        let mut confirms: Vec<&Confirmation> = Vec::new();
        for job in &jobs {
            match job {
                Job::Reserve(new, _) => reserves.push(new),
                Job::Confirm(c, _) => confirms.push(c),
            }
        }
        let (reserved, confirmed) = match self.store.write_bookings(&reserves, &confirms).await {
            Ok(written) => written,
            Err(e) => return Err((e, jobs)),
        };
        let (mut reserved, mut confirmed) = (reserved.into_iter(), confirmed.into_iter());
        for job in jobs {
            // Nobody listening any more (the request was dropped) is fine: it is written.
            match job {
                Job::Reserve(_, reply) => {
                    let outcome = reserved.next().expect("one outcome per reservation");
                    let _ = reply.send(Ok(outcome));
                }
                Job::Confirm(c, reply) => {
                    let record = confirmed.next().expect("one record per confirmation");
                    if record.is_none() {
                        tracing::error!(shipment_id = %c.id, "confirmed a booking whose reservation is gone");
                    }
                    let _ = reply.send(record.ok_or_else(|| Arc::new(sqlx::Error::RowNotFound)));
                }
            }
        }
        Ok(())
    }
}

fn fail(job: Job, e: WriteError) {
    match job {
        Job::Reserve(_, reply) => {
            let _ = reply.send(Err(e));
        }
        Job::Confirm(_, reply) => {
            let _ = reply.send(Err(e));
        }
    }
}

/// The writer dropped a booking's reply without answering: it panicked writing it.
fn stopped() -> WriteError {
    Arc::new(sqlx::Error::Protocol(
        "the booking writer failed while writing this booking".into(),
    ))
}
