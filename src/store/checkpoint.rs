//! SQLite's WAL checkpoints, off the request path.
//!
//! By default SQLite checkpoints inside the commit that grows the WAL past a threshold:
//! that commit copies the WAL back into the database and syncs both files before it
//! returns. Syncing tens of MB of WAL took 25–45 ms on this kind of disk, and the commit
//! held the writers' turn (`Store::write_turn`) meanwhile, so every writer waited: the
//! benchmark's p99 at one connection was that stall (30–45 ms against a p50 of 1.5 ms).
//!
//! Automatic checkpoints are off (`after_connect`) and this task checkpoints instead, in
//! two steps:
//! - often, a passive checkpoint without the turn: it copies the WAL into the database
//!   beside writers and readers, never blocking them, and does the long syncs;
//! - when the WAL has grown large, a second passive checkpoint *with* the turn. A WAL
//!   only starts again from its beginning when a writer finds it entirely copied, and
//!   under a steady write load the first kind never finds it so: writers append while it
//!   syncs. With no writer running, the second copies only what was appended since the
//!   first (a few ms of writes, a short sync), and the next write starts the WAL over.
//!   Writers wait for that short step only, once per [`RESTART_FRAMES`] of WAL.

use std::time::Duration;

use sqlx::Row;

use super::Store;

/// How often the WAL is copied back.
const EVERY: Duration = Duration::from_millis(250);

/// WAL frames (pages) beyond which it is made to start over: 64 MiB of 4 KiB pages. The
/// WAL file stays about this large; lookups through a longer WAL cost more.
pub(super) const RESTART_FRAMES: i64 = 16_384;

/// Checkpoints until the pool is closed, making the WAL start over once it has more than
/// `restart_frames` frames ([`RESTART_FRAMES`]).
pub(super) async fn run(store: Store, restart_frames: i64) {
    let mut tick = tokio::time::interval(EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if store.pool.is_closed() {
            return;
        }
        let frames = match checkpoint(&store, "background").await {
            Ok(frames) => frames,
            Err(sqlx::Error::PoolClosed) => return,
            Err(e) => {
                tracing::warn!(error = %e, "WAL checkpoint failed; trying again shortly");
                continue;
            }
        };
        if frames > restart_frames {
            let _turn = store.write_turn().await;
            if let Err(e) = checkpoint(&store, "restart").await {
                tracing::warn!(error = %e, "WAL checkpoint failed; trying again shortly");
            }
        }
    }
}

/// A passive checkpoint; the WAL's length in frames when it started.
async fn checkpoint(store: &Store, kind: &'static str) -> Result<i64, sqlx::Error> {
    let started = std::time::Instant::now();
    let row = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
        .fetch_one(&store.pool)
        .await?;
    metrics::histogram!("shipgate_sqlite_checkpoint_seconds", "kind" => kind)
        .record(started.elapsed().as_secs_f64());
    // (busy, frames in the WAL, frames copied)
    let frames: i64 = row.try_get(1)?;
    let copied: i64 = row.try_get(2)?;
    if copied < frames {
        // Readers still use the rest; a later round copies it.
        tracing::debug!(frames, copied, kind, "WAL checkpoint left frames for later");
    }
    Ok(frames)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Under a steady stream of commits the WAL still starts over (automatic checkpoints
    // are off, so without the second step it would grow with every commit). Each start
    // over bumps the checkpoint sequence number in the WAL's header (bytes 12..16).
    #[tokio::test]
    async fn the_wal_starts_over_under_steady_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wal.db");
        let url = format!("sqlite://{}", path.display());
        let store = Store::connect_checkpointing(&url, Duration::from_secs(5), 64)
            .await
            .unwrap();
        sqlx::query("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
            .execute(&store.pool)
            .await
            .unwrap();
        let wal = dir.path().join("wal.db-wal");
        let starts = || {
            let header = std::fs::read(&wal).unwrap_or_default();
            header
                .get(12..16)
                .map_or(0, |b| u32::from_be_bytes(b.try_into().unwrap()))
        };
        let body = "x".repeat(3000);
        let started = std::time::Instant::now();
        while starts() < 3 {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the WAL did not start over under steady writes ({} bytes)",
                std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0)
            );
            for _ in 0..50 {
                let _turn = store.write_turn().await;
                sqlx::query("INSERT INTO t (body) VALUES ($1)")
                    .bind(&body)
                    .execute(&store.pool)
                    .await
                    .unwrap();
            }
        }
    }
}
