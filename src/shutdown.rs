//! Graceful shutdown: on SIGTERM or SIGINT, stop taking work, finish what is in hand,
//! and exit 0 — or give up at a deadline and say what was left.
//!
//! Why a deadline rather than waiting for ever: orchestrators kill a process that does
//! not stop in time (Kubernetes after `terminationGracePeriodSeconds`), and a kill leaves
//! no log. Stopping ourselves just before that lets the last log line name what was
//! abandoned. Everything abandoned is durable by design: an outbox row stays pending, a
//! claimed delivery or tracking poll is sent again once its lease lapses, a stored
//! carrier push is processed by the next process. So the non-zero exit is information
//! for the operator, never data loss.
//!
//! Why cooperative stopping instead of `JoinHandle::abort`: an aborted task stops at any
//! `.await`, e.g. between a webhook send and the write that records it, which turns a
//! delivered message into a duplicate delivery later. Background loops instead watch a
//! [`CancellationToken`] at the points where stopping is safe (before claiming new work)
//! and return once the work they started is finished.

use std::time::Duration;

use tokio::task::JoinHandle;
use tokio::time::Instant;
pub use tokio_util::sync::CancellationToken;

/// The clock of a periodic background loop: a round every `period` (one that overruns
/// delays the next instead of bunching them up), until `stop` — checked between rounds
/// only, so a round in progress always finishes.
pub struct Ticks {
    tick: tokio::time::Interval,
    stop: CancellationToken,
}

impl Ticks {
    pub fn new(period: Duration, stop: CancellationToken) -> Ticks {
        let mut tick = tokio::time::interval(period);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        Ticks { tick, stop }
    }

    /// Waits for the next round; `false` once stopped.
    pub async fn next(&mut self) -> bool {
        tokio::select! {
            biased;
            () = self.stop.cancelled() => false,
            _ = self.tick.tick() => true,
        }
    }
}

/// How shutdown went wrong.
#[derive(Debug, thiserror::Error)]
pub enum ShutdownError {
    /// The server itself failed (the listener broke); nothing was stopped gracefully.
    #[error("the HTTP server failed: {0}")]
    Serve(#[from] std::io::Error),
    /// The deadline passed; the named work was abandoned (and is picked up again later).
    #[error(
        "shutdown deadline of {}s passed; abandoned: {}",
        deadline.as_secs(),
        abandoned.join(", ")
    )]
    DeadlineExceeded {
        deadline: Duration,
        abandoned: Vec<String>,
    },
}

/// Resolves on the first SIGTERM or SIGINT (Ctrl-C).
pub async fn signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    let name = tokio::select! {
        _ = ctrl_c => "SIGINT",
        _ = terminate => "SIGTERM",
    };
    tracing::info!(signal = name, "shutdown requested");
}

/// Background tasks that stop when their token is cancelled, each named for the log.
#[derive(Default)]
pub struct Workers {
    tasks: Vec<(&'static str, JoinHandle<()>)>,
}

impl Workers {
    pub fn add(&mut self, name: &'static str, handle: JoinHandle<()>) {
        self.tasks.push((name, handle));
    }

    pub fn extend(&mut self, name: &'static str, handles: Vec<JoinHandle<()>>) {
        for handle in handles {
            self.add(name, handle);
        }
    }

    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }

    /// Waits for every task until `deadline`; aborts those still running then and returns
    /// their names (one entry per distinct name, with a count).
    pub async fn join_until(self, deadline: Instant) -> Vec<String> {
        let mut abandoned: Vec<(&'static str, usize)> = Vec::new();
        for (name, mut handle) in self.tasks {
            match tokio::time::timeout_at(deadline, &mut handle).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) if e.is_panic() => {
                    tracing::error!(task = name, "background task had panicked");
                }
                Ok(Err(_)) => {}
                Err(_) => {
                    handle.abort();
                    match abandoned.iter_mut().find(|(n, _)| *n == name) {
                        Some((_, count)) => *count += 1,
                        None => abandoned.push((name, 1)),
                    }
                }
            }
        }
        abandoned
            .into_iter()
            .map(|(name, count)| {
                if count == 1 {
                    name.to_string()
                } else {
                    format!("{name} ×{count}")
                }
            })
            .collect()
    }
}
