//! The tracking poller's schedule (`tracking_polls`): when each active shipment is to be
//! refreshed from its carrier next, and who is polling it right now.
//!
//! A row is written with the booking's confirmation, in its transaction, so every booked
//! shipment is scheduled even if the process dies right after. Claims follow the inbox's
//! lease pattern (`inbox.rs`): an `UPDATE … RETURNING` of due rows whose lease has lapsed,
//! picked `FOR UPDATE SKIP LOCKED` on PostgreSQL so that several gateway processes take
//! disjoint sets without waiting for each other; SQLite has one writer at a time. The
//! lease (`claimed_until`) outlasts the longest a poll can take and names its holder
//! (`claimed_by`), and finishing a poll writes its next time and drops the lease in one
//! statement that only the holder's lease matches — so a shipment is polled by one
//! process at a time, and a process that dies only delays its shipments by the lease.
//!
//! The events a poll brings are stored through [`Store::add_events`] like every other
//! event (one path, whatever follows events there); this file only keeps the schedule.

use carriers::taxonomy::SubStatus;
use sqlx::Row;

use super::batch::{placeholders, shaped, statement};
use super::shipments::{SHIPMENT_COLUMNS, shipment_from_row};
use super::{Engine, ShipmentRecord, Store, now_ms};

/// A shipment claimed for polling.
#[derive(Debug, Clone)]
pub struct ClaimedPoll {
    pub shipment_id: String,
    /// When it was due (Unix ms): how late the poll is, for the lag metric.
    pub next_poll_at: i64,
    /// Failed polls in a row before this one.
    pub failures: i64,
    /// The lease (Unix ms); past it, another process may claim the shipment.
    pub claimed_until: i64,
}

/// What a poll needs to know about its shipment.
#[derive(Debug, Clone)]
pub struct PollTarget {
    pub shipment: ShipmentRecord,
    /// Newest carrier scan time on the timeline (Unix ms).
    pub last_event_at: Option<i64>,
    /// When the newest carrier event (pushed or pulled, shipgate's own markers excluded)
    /// was received (Unix ms).
    pub last_received_at: Option<i64>,
}

/// How a claimed poll ended, to be written with the lease's release.
#[derive(Debug, Clone)]
pub struct PollFinish {
    /// `None`: never poll again.
    pub next_poll_at: Option<i64>,
    pub failures: i64,
    /// Whether the carrier was called (counts as a poll, sets `last_polled_at`).
    pub polled: bool,
    pub outcome: &'static str,
    pub error: Option<String>,
}

/// A shipment's polling schedule as operators (and tests) see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollState {
    pub shipment_id: String,
    /// The carrier account whose loop polls it.
    pub carrier_account: String,
    pub next_poll_at: Option<i64>,
    pub claimed_until: i64,
    pub claimed_by: Option<String>,
    pub failures: i64,
    pub polls: i64,
    pub last_polled_at: Option<i64>,
    pub last_outcome: Option<String>,
    pub last_error: Option<String>,
}

impl Store {
    /// Claims up to `limit` of carrier account `account`'s due shipments, soonest due first, for
    /// `lease_ms`, in the name of `owner` (a process's id).
    pub async fn polls_claim(
        &self,
        account: &str,
        limit: i64,
        lease_ms: i64,
        owner: &str,
    ) -> Result<Vec<ClaimedPoll>, sqlx::Error> {
        let sql = match self.engine {
            // Rows another process is claiming are skipped, not waited for; one that it
            // has just claimed fails the lease check when re-read after its lock.
            Engine::Postgres => {
                "WITH due AS (SELECT shipment_id FROM tracking_polls WHERE carrier_account = $1 \
                 AND next_poll_at <= $2 AND claimed_until < $2 ORDER BY next_poll_at LIMIT $3 \
                 FOR UPDATE SKIP LOCKED) \
                 UPDATE tracking_polls SET claimed_until = $4, claimed_by = $5 FROM due \
                 WHERE tracking_polls.shipment_id = due.shipment_id \
                 RETURNING tracking_polls.shipment_id, next_poll_at, failures"
            }
            Engine::Sqlite => {
                "UPDATE tracking_polls SET claimed_until = $4, claimed_by = $5 \
                 WHERE shipment_id IN (SELECT shipment_id FROM tracking_polls WHERE carrier_account = $1 \
                 AND next_poll_at <= $2 AND claimed_until < $2 ORDER BY next_poll_at LIMIT $3) \
                 RETURNING shipment_id, next_poll_at, failures"
            }
        };
        let _turn = self.write_turn().await;
        let now = now_ms();
        let claimed_until = now + lease_ms;
        let rows = sqlx::query(sql)
            .bind(account)
            .bind(now)
            .bind(limit)
            .bind(claimed_until)
            .bind(owner)
            .fetch_all(&self.writer)
            .await?;
        let mut claimed = rows
            .iter()
            .map(|r| {
                Ok(ClaimedPoll {
                    shipment_id: r.try_get("shipment_id")?,
                    next_poll_at: r.try_get::<Option<i64>, _>("next_poll_at")?.unwrap_or(now),
                    failures: r.try_get("failures")?,
                    claimed_until,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        claimed.sort_by_key(|c| c.next_poll_at);
        Ok(claimed)
    }

    /// The shipments behind claimed polls, with what the schedule needs to know; a
    /// shipment that no longer exists is left out.
    pub async fn poll_targets(&self, ids: &[String]) -> Result<Vec<PollTarget>, sqlx::Error> {
        let mut targets = Vec::with_capacity(ids.len());
        for chunk in shaped(ids) {
            let sql = statement("poll targets", chunk.len(), |n| {
                format!(
                    "SELECT {SHIPMENT_COLUMNS}, last_event_at, \
                     (SELECT MAX(t.received_at) FROM tracking_events t WHERE t.shipment_id = shipments.id \
                      AND t.carrier_code NOT LIKE 'shipgate:%') AS last_received_at \
                     FROM shipments WHERE id IN ({})",
                    placeholders(1, n)
                )
            });
            let mut query = sqlx::query(sql);
            for id in chunk {
                query = query.bind(id.clone());
            }
            for row in query.fetch_all(&self.pool).await? {
                targets.push(PollTarget {
                    shipment: shipment_from_row(&row)?,
                    last_event_at: row.try_get("last_event_at")?,
                    last_received_at: row.try_get("last_received_at")?,
                });
            }
        }
        Ok(targets)
    }

    /// A shipment's sub-status and newest carrier scan time, as a poll left them.
    pub async fn poll_standing(
        &self,
        shipment_id: &str,
    ) -> Result<Option<(SubStatus, Option<i64>)>, sqlx::Error> {
        let row = sqlx::query("SELECT sub_status, last_event_at FROM shipments WHERE id = $1")
            .bind(shipment_id)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let sub: String = row.try_get("sub_status")?;
        let sub = sub.parse().map_err(|_| sqlx::Error::ColumnDecode {
            index: "sub_status".into(),
            source: format!("unknown sub-status `{sub}`").into(),
        })?;
        Ok(Some((sub, row.try_get("last_event_at")?)))
    }

    /// Writes how a claimed poll ended and releases its lease, in one statement that
    /// matches only while `owner` still holds the lease it was given. Returns false when
    /// it did not (the lease lapsed and another process took the shipment): that process's
    /// outcome stands.
    pub async fn polls_finish(
        &self,
        shipment_id: &str,
        owner: &str,
        claimed_until: i64,
        finish: &PollFinish,
    ) -> Result<bool, sqlx::Error> {
        let _turn = self.write_turn().await;
        let done = sqlx::query(
            "UPDATE tracking_polls SET next_poll_at = $1, failures = $2, claimed_until = 0, \
             claimed_by = NULL, polls = polls + $3, \
             last_polled_at = CASE WHEN $3 = 1 THEN $4 ELSE last_polled_at END, \
             last_outcome = $5, last_error = $6 \
             WHERE shipment_id = $7 AND claimed_by = $8 AND claimed_until = $9",
        )
        .bind(finish.next_poll_at)
        .bind(finish.failures)
        .bind(i64::from(finish.polled))
        .bind(now_ms())
        .bind(finish.outcome)
        .bind(finish.error.as_deref())
        .bind(shipment_id)
        .bind(owner)
        .bind(claimed_until)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Carrier account `account`'s shipments due and not claimed at `now`, and the oldest
    /// due time.
    pub async fn polls_due(
        &self,
        account: &str,
        now: i64,
    ) -> Result<(i64, Option<i64>), sqlx::Error> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS due, MIN(next_poll_at) AS oldest FROM tracking_polls \
             WHERE carrier_account = $1 AND next_poll_at <= $2 AND claimed_until < $2",
        )
        .bind(account)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok((row.try_get("due")?, row.try_get("oldest")?))
    }

    /// A shipment's polling schedule, if it has one.
    pub async fn poll_state(&self, shipment_id: &str) -> Result<Option<PollState>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT shipment_id, carrier_account, next_poll_at, claimed_until, claimed_by, failures, \
             polls, last_polled_at, last_outcome, last_error FROM tracking_polls \
             WHERE shipment_id = $1",
        )
        .bind(shipment_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(PollState {
                shipment_id: r.try_get("shipment_id")?,
                carrier_account: r.try_get("carrier_account")?,
                next_poll_at: r.try_get("next_poll_at")?,
                claimed_until: r.try_get("claimed_until")?,
                claimed_by: r.try_get("claimed_by")?,
                failures: r.try_get("failures")?,
                polls: r.try_get("polls")?,
                last_polled_at: r.try_get("last_polled_at")?,
                last_outcome: r.try_get("last_outcome")?,
                last_error: r.try_get("last_error")?,
            })
        })
        .transpose()
    }

    /// Moves a shipment's next poll to `at` (`None`: never), for operators and tests.
    pub async fn poll_at(&self, shipment_id: &str, at: Option<i64>) -> Result<bool, sqlx::Error> {
        let _turn = self.write_turn().await;
        let done =
            sqlx::query("UPDATE tracking_polls SET next_poll_at = $1 WHERE shipment_id = $2")
                .bind(at)
                .bind(shipment_id)
                .execute(&self.writer)
                .await?;
        Ok(done.rows_affected() == 1)
    }
}
