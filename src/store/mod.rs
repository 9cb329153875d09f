//! Persistence: one [`Store`] over SQLite (the embedded default) or PostgreSQL.
//!
//! Both engines run the same runtime queries through sqlx's `Any` driver, so there is one
//! implementation to test and no query can drift between engines; only the schema files
//! differ (`migrations/sqlite`, `migrations/postgres`). Queries use `$N` placeholders,
//! which both engines accept. Times are stored as Unix milliseconds and ids as text,
//! because those are the types both engines (and the `Any` driver) share.

mod address_quality;
mod audit;
pub(crate) mod batch;
mod batches;
mod bookings;
mod carrier_accounts;
mod checkpoint;
mod cod;
mod cod_sftp;
mod console_sessions;
mod documents;
mod dry_runs;
mod events;
mod inbox;
mod manifests;
mod ndr;
mod oms_webhooks;
mod pickups;
mod polls;
mod queries;
mod rate_cards;
mod records;
mod returns;
mod rule_sets;
mod selection_rules;
mod shipments;
mod storefronts;
mod tenants;
mod tracking;
mod weights;
pub use tenants::ApiKeyInfo;

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

pub use address_quality::BandOutcomes;
pub use audit::{Actor, AuditEntry, AuditFilter, AuditRow};
pub use batches::{
    BatchItemRow, BatchRow, ClaimedItem, ITEM_STATES, ItemOutcome, NewBatchItem, PendingItem,
};
pub use bookings::Confirmation;
pub use carrier_accounts::{AccountChange, AccountRow, NewAccount};
pub use cod::{
    CodCandidate, DeliveredCod, LineRow, NewRemittance, Outcome as CodOutcome, Reconciled,
    RemittanceRow, Verdict,
};
pub use cod_sftp::{SeenFile, SftpSourceRow};
pub use console_sessions::ConsoleSession;
pub use documents::{DocumentInfo, UploadInfo};
pub use dry_runs::{DryRunRow, NewDryRun};
pub use events::{BOOKED_CODE, current_status};
pub use inbox::{
    ClaimedPush, InboxRow, InboxState, Inserted, NewPush, Processed, PushOutcome, merged_events,
};
pub use manifests::{ManifestLine, ManifestMessage, ManifestRow, ManifestView, NewManifest};
pub use ndr::{FailedAttempt, NdrActionRow, NdrDecisionRow, NdrState, NewNdrAction};
pub use oms_webhooks::{
    AttemptResult, AttemptRow, ClaimedDelivery, DeliveryRow, DeliveryState, EndpointPatch,
    EndpointRecord, MessageRecord, NewEndpoint, new_message_id,
};
pub use pickups::{
    LocationRegistration, LocationRow, NewLocation, NewPickup, PickupConflict, PickupFilter,
    PickupLocationView, PickupMessage, PickupRow, PickupShipment, PickupState, PickupView,
    WorkingHours,
};
pub use polls::{ClaimedPoll, PollFinish, PollState, PollTarget};
pub use queries::{PageKey, ShipmentFilter, ShipmentPage, StatusCounts, buyer_phone_key};
pub use rate_cards::{NewRateCard, RateCardRow};
pub use records::{
    AddressQuality, BookingState, EventRecord, NewShipment, Role, ShipmentRecord, Tenant,
};
pub use rule_sets::{RuleSets, StoredRuleSet};
pub use shipments::ReserveOutcome;
pub use storefronts::StorefrontRow;
pub use tracking::{Branding, TrackedShipment, new_tracking_token, plausible_token};
pub use weights::{
    ChargeImportRow, DisputeRefusal, InvoiceLineRow, NewInvoiceLine, NewWeightDispute,
    WeightChargeWrite, WeightDisputeRow, WeightWritten,
};

/// How long a query waits for a pooled connection unless configured.
pub const DEFAULT_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// Set on every SQLite connection, the readers' and the writer's.
const SQLITE_SESSION: &str = "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; \
    PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0; PRAGMA temp_store = MEMORY;";

/// Each pooled reader's own page cache, in KiB.
///
/// SQLite's default (2,000 KiB) filled on all four pooled connections under load: 7.6 MB
/// of the gateway's heap while it stored pushes at 256 connections (heaptrack). A reader
/// throws its cache away whenever it starts a transaction after another connection
/// committed, so under writes it mostly holds pages about to be dropped; the database's
/// pages stay in the operating system's page cache, shared and clean, one `pread` away.
/// At 512 KiB the pushes' peak RSS went 67 → 55–58 MB and the fan-out's 68 → 62,
/// throughput within the runs' noise (issue 22, eighth pass).
const SQLITE_READER_CACHE_KIB: i64 = 512;

/// The writer's page cache, in KiB. Unlike a reader's it stays valid from one transaction
/// to the next: the connection that committed last finds the WAL as it left it.
const SQLITE_WRITER_CACHE_KIB: i64 = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    /// Where [`Store::begin_write`] transactions and the writes under
    /// [`Store::write_turn`] run. On SQLite one connection of its
    /// own: written through whichever pooled connection was free, every write transaction
    /// found the WAL changed by another connection since its last one and started from an
    /// empty page cache, reading the indexes' pages again; and each of the four
    /// connections prepared every write statement (heaptrack: 5.3 MB of statements). On
    /// PostgreSQL the same pool.
    writer: AnyPool,
    engine: Engine,
    /// SQLite admits one writer at a time and makes the others retry after sleeps of up
    /// to 100 ms (its busy handler). The high-rate writers (the webhook inbox) queue
    /// here instead, in process and without sleeping; unused on PostgreSQL.
    sqlite_writer: std::sync::Arc<tokio::sync::Mutex<()>>,
}

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Store {
    /// Connects to `sqlite://path` (created if missing, WAL journal) or `postgres://…`,
    /// waiting up to [`DEFAULT_ACQUIRE_TIMEOUT`] for a pooled connection.
    pub async fn connect(url: &str) -> anyhow::Result<Store> {
        Self::connect_with(url, DEFAULT_ACQUIRE_TIMEOUT).await
    }

    /// As [`Store::connect`]; a query waits at most `acquire_timeout` for a connection.
    /// While the database is down every query fails after this long (answered 503), so
    /// it bounds how long a client waits to hear that.
    pub async fn connect_with(url: &str, acquire_timeout: Duration) -> anyhow::Result<Store> {
        Self::connect_checkpointing(url, acquire_timeout, checkpoint::RESTART_FRAMES).await
    }

    /// As [`Store::connect_with`]; on SQLite the WAL starts over past `restart_frames`.
    async fn connect_checkpointing(
        url: &str,
        acquire_timeout: Duration,
        restart_frames: i64,
    ) -> anyhow::Result<Store> {
        sqlx::any::install_default_drivers();
        let (engine, url) = if let Some(path) = url.strip_prefix("sqlite://") {
            let path = path.split('?').next().unwrap_or(path);
            (Engine::Sqlite, format!("sqlite://{path}?mode=rwc"))
        } else if url.starts_with("sqlite:") {
            (Engine::Sqlite, url.to_string())
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Engine::Postgres, url.to_string())
        } else {
            anyhow::bail!(
                "SHIPGATE_DATABASE_URL must start with sqlite:// or postgres:// (got `{}`)",
                redact(url)
            );
        };
        let options = AnyConnectOptions::from_str(&url)
            .with_context(|| format!("invalid database URL `{}`", redact(&url)))?;
        let pool = pool_options(engine, acquire_timeout, SQLITE_READER_CACHE_KIB)
            // SQLite allows one writer at a time; more connections only add lock waits.
            .max_connections(match engine {
                Engine::Sqlite => 4,
                Engine::Postgres => 16,
            })
            .connect_with(options.clone())
            .await
            .with_context(|| format!("cannot connect to the database at `{}`", redact(&url)))?;
        if engine == Engine::Sqlite {
            // WAL lets readers proceed while a write commits; it is a property of the file.
            pool.execute("PRAGMA journal_mode = WAL;").await?;
        }
        let writer = match engine {
            Engine::Sqlite => pool_options(engine, acquire_timeout, SQLITE_WRITER_CACHE_KIB)
                .max_connections(1)
                .connect_with(options)
                .await
                .with_context(|| format!("cannot connect to the database at `{}`", redact(&url)))?,
            Engine::Postgres => pool.clone(),
        };
        let store = Store {
            pool,
            writer,
            engine,
            sqlite_writer: Default::default(),
        };
        if engine == Engine::Sqlite {
            tokio::spawn(checkpoint::run(store.clone(), restart_frames));
        }
        Ok(store)
    }

    /// The pool, for the modules that keep their own tables (`analytics`).
    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Batched write transactions worth running at once (the group-commit writers of
    /// bookings and carrier pushes). On PostgreSQL two: one transaction keeps one server
    /// process (one core) busy at most, and while it waits for its commit's log flush, or
    /// for a row the other holds, the next is written. SQLite has one writer.
    pub fn concurrent_writers(&self) -> usize {
        match self.engine {
            Engine::Postgres => 2,
            Engine::Sqlite => 1,
        }
    }

    /// A transaction that reads, then writes what it read decided.
    ///
    /// On SQLite it begins `IMMEDIATE`, taking the write lock up front (waiting for it
    /// under the busy timeout): a plain deferred transaction that read first cannot take
    /// the lock once another connection committed after its read, and fails at once with
    /// "database is locked" (SQLITE_BUSY_SNAPSHOT), which no busy timeout retries. On
    /// PostgreSQL it is a plain transaction; its reads lock their rows (`FOR UPDATE`).
    pub(crate) async fn begin_write(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.engine {
            Engine::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await,
            Engine::Postgres => self.writer.begin().await,
        }
    }

    /// Held around a high-rate write transaction: on SQLite, the turn to write. What is
    /// written under it goes through `self.writer`, never `self.pool`.
    pub(crate) async fn write_turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match self.engine {
            Engine::Sqlite => Some(self.sqlite_writer.lock().await),
            Engine::Postgres => None,
        }
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.engine {
            Engine::Sqlite => &SQLITE_MIGRATOR,
            Engine::Postgres => &POSTGRES_MIGRATOR,
        };
        migrator
            .run(&self.pool)
            .await
            .context("running database migrations")?;
        Ok(())
    }

    /// Cheap round trip for `/readyz`.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }
}

/// A pool's settings but its size; on SQLite each connection's session, with a page cache
/// of `cache_kib`.
fn pool_options(engine: Engine, acquire_timeout: Duration, cache_kib: i64) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .acquire_timeout(acquire_timeout)
        // A pooled SQLite connection is an open file: it cannot go stale, and pinging it
        // before each use costs a hop to its worker thread (a tenth of a booking's CPU).
        // A PostgreSQL connection can die with its server, so it is checked: without the
        // check, the first query on each pooled connection after a restart fails (tried
        // in issue 22; the gain under load was not measurable).
        .test_before_acquire(engine == Engine::Postgres)
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if engine == Engine::Sqlite {
                    conn.execute(SQLITE_SESSION).await?;
                    let cache = format!("PRAGMA cache_size = -{cache_kib};");
                    sqlx::raw_sql(sqlx::AssertSqlSafe(cache))
                        .execute(&mut *conn)
                        .await?;
                }
                Ok(())
            })
        })
}

/// Hides the password in a database URL for messages and logs.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("****"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Every pooled connection gets the session settings, not only the first one opened;
    // the readers keep a small page cache and the writer a larger one.
    #[tokio::test]
    async fn every_sqlite_connection_gets_its_session_and_cache() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("cache.db").display());
        let store = Store::connect(&url).await.unwrap();
        let mut held = Vec::new();
        for _ in 0..4 {
            held.push((store.pool.acquire().await.unwrap(), SQLITE_READER_CACHE_KIB));
        }
        held.push((
            store.writer.acquire().await.unwrap(),
            SQLITE_WRITER_CACHE_KIB,
        ));
        for (conn, cache_kib) in &mut held {
            let (kib,): (i64,) = sqlx::query_as("PRAGMA cache_size")
                .fetch_one(&mut **conn)
                .await
                .unwrap();
            assert_eq!(kib, -*cache_kib, "a connection has the wrong page cache");
            let (fk,): (i64,) = sqlx::query_as("PRAGMA foreign_keys")
                .fetch_one(&mut **conn)
                .await
                .unwrap();
            assert_eq!(fk, 1, "a connection does not check foreign keys");
        }
    }

    // The point of the writer's own connection: a write transaction finds the page cache
    // its last one left, which a pooled reader never does once another connection wrote.
    #[tokio::test]
    async fn sqlite_writes_run_on_the_one_writer_connection() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("writer.db").display());
        let store = Store::connect(&url).await.unwrap();
        assert_eq!(store.writer.options().get_max_connections(), 1);
        let mut tx = store.begin_write().await.unwrap();
        let (kib,): (i64,) = sqlx::query_as("PRAGMA cache_size")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        assert_eq!(kib, -SQLITE_WRITER_CACHE_KIB, "a write ran on a reader");
        // While it is held, the next write waits for it rather than opening another.
        let waiting = tokio::time::timeout(Duration::from_millis(100), store.begin_write()).await;
        assert!(waiting.is_err(), "a second write connection was opened");
        tx.rollback().await.unwrap();
        store.begin_write().await.unwrap().rollback().await.unwrap();
    }
}
