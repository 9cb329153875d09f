//! The carrier inbox: raw tracking pushes, stored before they are answered and turned
//! into tracking events afterwards (`crate::webhooks`).
//!
//! Rows are claimed with a lease (`claimed_until`): an `UPDATE … RETURNING` of due rows
//! whose lease has lapsed. On PostgreSQL several processes claim at once, so the due
//! rows are picked `FOR UPDATE SKIP LOCKED` (each row goes to one of them, nobody waits);
//! SQLite has one writer at a time. A process that dies leaves its lease to expire and
//! the rows are claimed again. The
//! events a row leads to and the row's new state are written in one transaction, so a row
//! is `processed` exactly when its events are stored.

use std::collections::{BTreeMap, HashMap};

use carriers::schema::{PushedUpdate, TrackingEvent};
use sha2::{Digest, Sha256};
use sqlx::{AssertSqlSafe, Row};

use super::batch::{placeholders, shaped, statement, value_rows};
use super::events::record;
use super::{Engine, Store, now_ms};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InboxState {
    /// Stored, not yet turned into events.
    Pending,
    /// Its events are stored.
    Processed,
    /// No shipment has its AWB (yet): retried with back-off, then kept as is.
    UnknownAwb,
    /// Could not be processed; `error` says why.
    Failed,
    /// Unreadable: answered 400 and kept for inspection only.
    Rejected,
}

impl InboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            InboxState::Pending => "pending",
            InboxState::Processed => "processed",
            InboxState::UnknownAwb => "unknown_awb",
            InboxState::Failed => "failed",
            InboxState::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "pending" => InboxState::Pending,
            "processed" => InboxState::Processed,
            "unknown_awb" => InboxState::UnknownAwb,
            "failed" => InboxState::Failed,
            "rejected" => InboxState::Rejected,
            _ => return None,
        })
    }
}

/// A push to store.
#[derive(Debug, Clone)]
pub struct NewPush {
    pub carrier: String,
    /// The tenant's account whose own push URL it arrived at; `None` for the carrier-wide
    /// URL (platform accounts).
    pub account: Option<String>,
    pub body: Vec<u8>,
    /// The request headers worth keeping (no credentials), for the parser.
    pub headers: Vec<(String, String)>,
    /// `Pending` for a push to process, `Rejected` for an unreadable one.
    pub state: InboxState,
    pub error: Option<String>,
    /// What the receiving handler read from the body, processed before it is stored.
    /// Not stored: the body is the record.
    pub parsed: Option<Vec<PushedUpdate>>,
}

impl NewPush {
    /// The body's hash, and for a push to an account's own URL the account's too: the
    /// same body pushed for two accounts is two pushes, one redelivered is one.
    pub fn body_sha256(&self) -> String {
        let mut hash = Sha256::new();
        if let Some(account) = &self.account {
            hash.update(account.as_bytes());
            hash.update(b"\n");
        }
        hash.update(&self.body);
        hex::encode(hash.finalize())
    }
}

/// What storing a push did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inserted {
    New(i64),
    /// The same body from the same carrier is already stored.
    Duplicate,
}

/// A push claimed for processing.
#[derive(Debug, Clone)]
pub struct ClaimedPush {
    pub id: i64,
    pub carrier: String,
    /// The account whose own URL it arrived at ([`NewPush::account`]).
    pub account: Option<String>,
    pub body: Vec<u8>,
    pub headers: Vec<(String, String)>,
    pub state: InboxState,
    /// Including this one.
    pub attempts: i64,
    pub received_at: i64,
    /// When the claim lapses (Unix ms); past it, another processor may take the row.
    pub claimed_until: i64,
}

/// How processing a claimed push ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushOutcome {
    Processed,
    /// Some AWB matched no shipment; the row is tried again at `retry_at` (Unix ms).
    UnknownAwb {
        retry_at: i64,
        detail: String,
    },
    Failed(String),
}

/// What processing a push gave: its outcome and the events it adds, per shipment id.
#[derive(Debug, Clone)]
pub struct Processed {
    pub outcome: PushOutcome,
    pub events: Vec<(String, Vec<TrackingEvent>)>,
}

/// Events of several pushes, merged per shipment id.
pub fn merged_events<'a>(
    events: impl IntoIterator<Item = &'a (String, Vec<TrackingEvent>)>,
) -> BTreeMap<String, Vec<TrackingEvent>> {
    let mut merged: BTreeMap<String, Vec<TrackingEvent>> = BTreeMap::new();
    for (id, list) in events {
        merged
            .entry(id.clone())
            .or_default()
            .extend(list.iter().cloned());
    }
    merged
}

/// An inbox row as operators and tests see it (without the body).
#[derive(Debug, Clone)]
pub struct InboxRow {
    pub id: i64,
    pub carrier: String,
    pub state: InboxState,
    pub attempts: i64,
    pub error: Option<String>,
    pub received_at: i64,
    pub processed_at: Option<i64>,
}

impl Store {
    /// Stores pushes in one transaction; an identical body from the same carrier is
    /// absorbed (`Duplicate`), also within `pushes`. Answers in the order of `pushes`, with
    /// how many events were new.
    ///
    /// A push with its [`Processed`] (same index in `processed`) is stored finished, and
    /// its events with it, in the same transaction: one commit makes it both durable and
    /// processed. The others are stored `pending`, for the processor to claim.
    pub async fn inbox_insert(
        &self,
        pushes: &[NewPush],
        processed: &[Option<Processed>],
    ) -> Result<(Vec<Inserted>, usize), sqlx::Error> {
        let now = now_ms();
        let keys: Vec<(String, String)> = pushes
            .iter()
            .map(|p| (p.carrier.clone(), p.body_sha256()))
            .collect();
        let mut ids: HashMap<(String, String), i64> = HashMap::new();
        let _turn = self.write_turn().await;
        let mut tx = self.writer.begin().await?;
        // In key order: two batches inserting the same bodies (a carrier redelivering
        // quickly) then wait for each other in one order, never in a cycle.
        let mut rows: Vec<(usize, &NewPush)> = pushes.iter().enumerate().collect();
        rows.sort_by(|a, b| keys[a.0].cmp(&keys[b.0]));
        for chunk in shaped(&rows) {
            let sql = statement("insert pushes", chunk.len(), |n| {
                format!(
                    "INSERT INTO carrier_inbox (carrier, body_sha256, body, headers, received_at, \
                     state, error, processed_at, attempts, retry_at, carrier_account) \
                     VALUES {} ON CONFLICT (carrier, body_sha256) DO NOTHING \
                     RETURNING id, carrier, body_sha256",
                    value_rows(n, 11)
                )
            });
            let mut query = sqlx::query(sql);
            for (i, push) in chunk {
                let done = processed.get(*i).and_then(Option::as_ref);
                let (state, error, processed_at, retry_at) = match (push.state, done) {
                    (InboxState::Pending, Some(done)) => match &done.outcome {
                        PushOutcome::Processed => (InboxState::Processed, None, Some(now), 0),
                        PushOutcome::UnknownAwb { retry_at, detail } => (
                            InboxState::UnknownAwb,
                            Some(detail.clone()),
                            None,
                            *retry_at,
                        ),
                        PushOutcome::Failed(e) => {
                            (InboxState::Failed, Some(e.clone()), Some(now), 0)
                        }
                    },
                    (InboxState::Pending, None) => (InboxState::Pending, None, None, 0),
                    (state, _) => (state, push.error.clone(), Some(now), 0),
                };
                query = query
                    .bind(push.carrier.clone())
                    .bind(keys[*i].1.clone())
                    .bind(push.body.clone())
                    .bind(serde_json::to_string(&push.headers).expect("headers serialise"))
                    .bind(now)
                    .bind(state.as_str())
                    .bind(error)
                    .bind(processed_at)
                    .bind(i64::from(done.is_some()))
                    .bind(retry_at)
                    .bind(push.account.clone());
            }
            for row in query.fetch_all(&mut *tx).await? {
                ids.insert(
                    (row.try_get("carrier")?, row.try_get("body_sha256")?),
                    row.try_get("id")?,
                );
            }
        }
        // The first of several identical pushes is the new one; only new ones add events.
        let inserted: Vec<Inserted> = keys
            .into_iter()
            .map(|key| match ids.remove(&key) {
                Some(id) => Inserted::New(id),
                None => Inserted::Duplicate,
            })
            .collect();
        let events = merged_events(
            inserted
                .iter()
                .zip(pushes)
                .enumerate()
                .filter(|(_, (ins, push))| {
                    matches!(ins, Inserted::New(_)) && push.state == InboxState::Pending
                })
                .filter_map(|(i, _)| processed.get(i).and_then(Option::as_ref))
                .flat_map(|done| &done.events),
        );
        let added = record(&mut tx, self.engine, &events, now).await?;
        tx.commit().await?;
        Ok((inserted, added))
    }

    /// Claims up to `limit` due rows for `lease_ms`: `Pending` rows oldest first, or
    /// `UnknownAwb` rows whose back-off has passed, soonest due first; either tried fewer
    /// than `max_attempts` times. Each kind has its own partial index, so that a pile of
    /// pushes for AWBs shipgate will never know cannot slow down claiming new pushes.
    ///
    /// `Pending` rows are taken from `after_id` on. Working through a backlog, each claim
    /// starts where the previous one ended: on PostgreSQL the pending index keeps an entry
    /// for every row processed since the last vacuum, and a claim from the lowest id walked
    /// past all of them (59 ms a claim in a profile, more as the backlog drained).
    pub async fn inbox_claim(
        &self,
        kind: InboxState,
        limit: i64,
        lease_ms: i64,
        max_attempts: i64,
        after_id: i64,
    ) -> Result<Vec<ClaimedPush>, sqlx::Error> {
        let (filter, order) = match kind {
            InboxState::UnknownAwb => ("state = 'unknown_awb' AND retry_at <= $2", "retry_at"),
            _ => ("state = 'pending' AND id > $5", "id"),
        };
        let sql = match self.engine {
            // The queue idiom: rows another process holds are skipped, not waited for,
            // and the rows to update are settled once (an `IN (subquery)` may be
            // re-evaluated per row under a generic plan, or re-checked per row when
            // other processes update the table).
            Engine::Postgres => format!(
                "WITH due AS (SELECT id FROM carrier_inbox WHERE {filter} AND claimed_until <= $2 \
                 AND attempts < $3 ORDER BY {order} LIMIT $4 FOR UPDATE SKIP LOCKED) \
                 UPDATE carrier_inbox SET claimed_until = $1, attempts = carrier_inbox.attempts + 1 \
                 FROM due WHERE carrier_inbox.id = due.id \
                 RETURNING carrier_inbox.id, carrier, body, headers, state, carrier_inbox.attempts, \
                 received_at, carrier_account"
            ),
            // One writer at a time: nothing to skip or re-check.
            Engine::Sqlite => format!(
                "UPDATE carrier_inbox SET claimed_until = $1, attempts = attempts + 1 \
                 WHERE id IN (SELECT id FROM carrier_inbox WHERE {filter} AND claimed_until <= $2 \
                 AND attempts < $3 ORDER BY {order} LIMIT $4) \
                 RETURNING id, carrier, body, headers, state, attempts, received_at, \
                 carrier_account"
            ),
        };
        let _turn = self.write_turn().await;
        let now = now_ms();
        let mut query = sqlx::query(AssertSqlSafe(sql))
            .bind(now + lease_ms)
            .bind(now)
            .bind(max_attempts)
            .bind(limit);
        if kind != InboxState::UnknownAwb {
            query = query.bind(after_id);
        }
        let rows = query.fetch_all(&self.writer).await?;
        let mut claimed = rows
            .iter()
            .map(|r| {
                let headers: String = r.try_get("headers")?;
                let state: String = r.try_get("state")?;
                Ok(ClaimedPush {
                    id: r.try_get("id")?,
                    carrier: r.try_get("carrier")?,
                    account: r.try_get("carrier_account")?,
                    body: r.try_get("body")?,
                    headers: serde_json::from_str(&headers).unwrap_or_default(),
                    state: InboxState::parse(&state).unwrap_or(InboxState::Pending),
                    attempts: r.try_get("attempts")?,
                    received_at: r.try_get("received_at")?,
                    claimed_until: now + lease_ms,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        // RETURNING does not promise an order; pushes are applied in arrival order.
        claimed.sort_by_key(|c| c.id);
        Ok(claimed)
    }

    /// The shipments (of any tenant) with these AWBs at `carrier`, as (awb, shipment id).
    ///
    /// A push to a tenant account's own URL (`account`) reaches only that account's
    /// shipments; one to the carrier-wide URL only those booked with platform accounts
    /// (tenant account ids start with `ca_`, which platform account ids may not).
    pub async fn shipments_by_awb(
        &self,
        carrier: &str,
        account: Option<&str>,
        awbs: &[String],
    ) -> Result<Vec<(String, String)>, sqlx::Error> {
        let mut found = Vec::new();
        for chunk in shaped(awbs) {
            let scoped = account.is_some();
            let sql = statement(
                if scoped {
                    "shipments by account awb"
                } else {
                    "shipments by platform awb"
                },
                chunk.len(),
                |n| {
                    let scope = if scoped {
                        "carrier_account = $2"
                    } else {
                        "substr(COALESCE(carrier_account, carrier), 1, 3) <> $2"
                    };
                    format!(
                        "SELECT awb, id FROM shipments WHERE carrier = $1 AND {scope} \
                         AND awb IN ({})",
                        placeholders(3, n)
                    )
                },
            );
            let mut query = sqlx::query(sql).bind(carrier.to_string()).bind(
                account
                    .unwrap_or(crate::registry::TENANT_ACCOUNT_PREFIX)
                    .to_string(),
            );
            for awb in chunk {
                query = query.bind(awb.clone());
            }
            for row in query.fetch_all(&self.pool).await? {
                found.push((row.try_get("awb")?, row.try_get("id")?));
            }
        }
        Ok(found)
    }

    /// Stores the events of a batch of claimed pushes and the pushes' outcomes in one
    /// transaction. `events` is keyed by shipment id; shipments are locked in id order, so
    /// concurrent batches cannot deadlock. Returns how many events were new.
    pub async fn inbox_complete(
        &self,
        events: &BTreeMap<String, Vec<TrackingEvent>>,
        outcomes: &[(i64, PushOutcome)],
    ) -> Result<usize, sqlx::Error> {
        let _turn = self.write_turn().await;
        let now = now_ms();
        let mut tx = self.writer.begin().await?;
        let added = record(&mut tx, self.engine, events, now).await?;
        let processed: Vec<i64> = outcomes
            .iter()
            .filter(|(_, o)| *o == PushOutcome::Processed)
            .map(|(id, _)| *id)
            .collect();
        for chunk in shaped(&processed) {
            let sql = statement("pushes processed", chunk.len(), |n| {
                format!(
                    "UPDATE carrier_inbox SET state = 'processed', processed_at = $1, error = NULL, \
                     claimed_until = 0 WHERE id IN ({})",
                    placeholders(2, n)
                )
            });
            let mut query = sqlx::query(sql).bind(now);
            for id in chunk {
                query = query.bind(*id);
            }
            query.execute(&mut *tx).await?;
        }
        for (id, outcome) in outcomes {
            match outcome {
                PushOutcome::Processed => {}
                PushOutcome::UnknownAwb { retry_at, detail } => {
                    sqlx::query(
                        "UPDATE carrier_inbox SET state = 'unknown_awb', retry_at = $1, \
                         claimed_until = 0, error = $2 WHERE id = $3",
                    )
                    .bind(*retry_at)
                    .bind(detail.clone())
                    .bind(*id)
                    .execute(&mut *tx)
                    .await?;
                }
                PushOutcome::Failed(error) => {
                    sqlx::query(
                        "UPDATE carrier_inbox SET state = 'failed', processed_at = $1, error = $2, \
                         claimed_until = 0 WHERE id = $3",
                    )
                    .bind(now)
                    .bind(error.clone())
                    .bind(*id)
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(added)
    }

    /// Gives claimed rows back, to be tried again from `retry_at` (after a failure that
    /// says nothing about the rows themselves, such as a lost database connection).
    pub async fn inbox_release(&self, ids: &[i64], retry_at: i64) -> Result<(), sqlx::Error> {
        for chunk in shaped(ids) {
            let sql = statement("release pushes", chunk.len(), |n| {
                format!(
                    "UPDATE carrier_inbox SET claimed_until = $1 WHERE id IN ({})",
                    placeholders(2, n)
                )
            });
            let mut query = sqlx::query(sql).bind(retry_at);
            for id in chunk {
                query = query.bind(*id);
            }
            query.execute(&self.pool).await?;
        }
        Ok(())
    }

    /// Marks pending rows that were claimed `max_attempts` times without finishing (their
    /// processing keeps failing) as failed, so they stop being claimed and show up.
    pub async fn inbox_give_up(&self, max_attempts: i64) -> Result<u64, sqlx::Error> {
        let now = now_ms();
        let done = sqlx::query(
            "UPDATE carrier_inbox SET state = 'failed', processed_at = $1, \
             error = COALESCE(error, 'gave up: processing did not finish after repeated attempts') \
             WHERE state = 'pending' AND attempts >= $2 AND claimed_until <= $1",
        )
        .bind(now)
        .bind(max_attempts)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    /// Deletes finished rows received before the given times (Unix ms): `processed` and
    /// `rejected` ones before `done_before`; `failed` ones, and unknown-AWB ones out of
    /// retries, before `failed_before`.
    pub async fn inbox_purge(
        &self,
        done_before: i64,
        failed_before: i64,
        max_attempts: i64,
    ) -> Result<u64, sqlx::Error> {
        let done = sqlx::query(
            "DELETE FROM carrier_inbox WHERE \
             (received_at < $1 AND state IN ('processed', 'rejected')) OR \
             (received_at < $2 AND (state = 'failed' OR (state = 'unknown_awb' AND attempts >= $3)))",
        )
        .bind(done_before)
        .bind(failed_before)
        .bind(max_attempts)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    /// Pushes stored and not processed yet (the partial index counts them cheaply;
    /// unknown-AWB retries are not included).
    pub async fn inbox_backlog(&self) -> Result<i64, sqlx::Error> {
        sqlx::query("SELECT COUNT(*) AS n FROM carrier_inbox WHERE state = 'pending'")
            .fetch_one(&self.pool)
            .await?
            .try_get("n")
    }

    /// Inbox rows, newest first, optionally of one carrier and state.
    pub async fn inbox_rows(
        &self,
        carrier: Option<&str>,
        state: Option<InboxState>,
        limit: i64,
    ) -> Result<Vec<InboxRow>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT id, carrier, state, attempts, error, received_at, processed_at \
             FROM carrier_inbox WHERE ($1 IS NULL OR carrier = $1) AND ($2 IS NULL OR state = $2) \
             ORDER BY id DESC LIMIT $3",
        )
        .bind(carrier.map(str::to_string))
        .bind(state.map(InboxState::as_str))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let state: String = r.try_get("state")?;
                Ok(InboxRow {
                    id: r.try_get("id")?,
                    carrier: r.try_get("carrier")?,
                    state: InboxState::parse(&state).ok_or_else(|| sqlx::Error::ColumnDecode {
                        index: "state".into(),
                        source: state.into(),
                    })?,
                    attempts: r.try_get("attempts")?,
                    error: r.try_get("error")?,
                    received_at: r.try_get("received_at")?,
                    processed_at: r.try_get("processed_at")?,
                })
            })
            .collect()
    }
}
