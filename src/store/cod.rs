//! COD remittances (issue 17): the carriers' payout files, each line matched to a
//! shipment, and the delivered COD shipments they pay for.
//!
//! A file is reconciled in one write transaction: its lines are matched against the
//! shipments and the money already recorded as received, then stored with the file and
//! its `cod.remittance_reconciled` webhook. The file's content hash is unique per tenant
//! and money received for a shipment is unique (`cod_remitted_once`), so two processes
//! reconciling the same file or the same AWB at once cannot record it twice.

use std::collections::{HashMap, HashSet};

use carriers::schema::{Currency, Money, Payment};
use carriers::taxonomy::Status;
use sqlx::any::AnyRow;
use sqlx::{Any, AssertSqlSafe, Row, Transaction};

use super::batch::{placeholders, shaped, statement};
use super::oms_webhooks::{self as outbox, Announcement};
use super::{Store, now_ms};
use crate::oms_webhooks::events::EventType;
use crate::service::cod_files::RemittanceLine;

/// What a remittance line matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A delivered COD shipment, for its COD amount.
    Matched,
    /// A delivered shipment, for another amount (or in another currency) than its COD
    /// amount; a prepaid shipment's expected amount is 0.
    AmountMismatch,
    /// A shipment of the tenant that is not delivered (in transit, returned, cancelled).
    RemittedNotDelivered,
    /// No shipment of the tenant (with the layout's carrier) has this AWB.
    UnknownAwb,
    /// The AWB is on an earlier line of the file, or an earlier file already paid it.
    DuplicateLine,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::Matched,
        Outcome::AmountMismatch,
        Outcome::RemittedNotDelivered,
        Outcome::UnknownAwb,
        Outcome::DuplicateLine,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Matched => "matched",
            Outcome::AmountMismatch => "amount_mismatch",
            Outcome::RemittedNotDelivered => "remitted_not_delivered",
            Outcome::UnknownAwb => "unknown_awb",
            Outcome::DuplicateLine => "duplicate_line",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// Whether the line records money received for its shipment.
    pub fn pays(self) -> bool {
        matches!(
            self,
            Outcome::Matched | Outcome::AmountMismatch | Outcome::RemittedNotDelivered
        )
    }
}

/// The outcomes that record money received, as SQL.
const PAYING: &str = "('matched', 'amount_mismatch', 'remitted_not_delivered')";

/// A shipment a line's AWB may be.
#[derive(Debug, Clone)]
pub struct CodCandidate {
    pub id: String,
    pub carrier: String,
    pub carrier_account: String,
    pub status: Status,
    /// What the courier was to collect; `None` for a prepaid shipment.
    pub cod_amount: Option<Money>,
}

/// A line's verdict: its outcome, the shipment it names, what was expected.
pub struct Verdict {
    pub outcome: Outcome,
    pub shipment: Option<CodCandidate>,
    pub detail: Option<String>,
}

/// A file to store.
pub struct NewRemittance<'a> {
    pub id: &'a str,
    pub tenant_id: &'a str,
    pub layout: &'a str,
    pub carrier: Option<&'a str>,
    pub source: &'a str,
    pub file_name: Option<&'a str>,
    pub content_sha256: &'a str,
}

/// A stored file with its counts.
#[derive(Debug, Clone)]
pub struct RemittanceRow {
    pub id: String,
    pub tenant_id: String,
    pub layout: String,
    pub carrier: Option<String>,
    pub source: String,
    pub file_name: Option<String>,
    pub content_sha256: String,
    pub lines: i64,
    pub counts: HashMap<Outcome, i64>,
    pub created_at: i64,
}

/// A stored line.
#[derive(Debug, Clone)]
pub struct LineRow {
    pub line_no: i64,
    pub awb: String,
    pub utr: String,
    pub remitted_on: String,
    pub amount: Money,
    pub outcome: Outcome,
    pub shipment_id: Option<String>,
    pub carrier_account: Option<String>,
    pub expected: Option<Money>,
    pub detail: Option<String>,
}

/// How a reconciliation went.
pub enum Reconciled {
    Created(RemittanceRow),
    /// The tenant sent this content before: that remittance, unchanged.
    Existing(RemittanceRow),
}

/// A delivered COD shipment and what was remitted for it.
#[derive(Debug, Clone)]
pub struct DeliveredCod {
    pub shipment_id: String,
    pub order_ref: String,
    pub carrier: String,
    pub carrier_account: String,
    pub awb: Option<String>,
    pub cod_amount: Money,
    /// When the first delivered scan happened (carrier time, Unix ms).
    pub delivered_at: i64,
    /// What remittances paid for it; `None`: not remitted yet.
    pub remitted: Option<i64>,
}

const REMITTANCE_COLUMNS: &str = "id, tenant_id, layout, carrier, source, file_name, \
    content_sha256, lines, matched, amount_mismatch, remitted_not_delivered, unknown_awb, \
    duplicate_line, created_at";

fn remittance(r: &AnyRow) -> Result<RemittanceRow, sqlx::Error> {
    let mut counts = HashMap::new();
    for o in Outcome::ALL {
        counts.insert(o, r.try_get::<i64, _>(o.as_str())?);
    }
    Ok(RemittanceRow {
        id: r.try_get("id")?,
        tenant_id: r.try_get("tenant_id")?,
        layout: r.try_get("layout")?,
        carrier: r.try_get("carrier")?,
        source: r.try_get("source")?,
        file_name: r.try_get("file_name")?,
        content_sha256: r.try_get("content_sha256")?,
        lines: r.try_get("lines")?,
        counts,
        created_at: r.try_get("created_at")?,
    })
}

fn money(amount: i64, currency: &str) -> Money {
    Money {
        amount,
        currency: Currency::parse(currency).unwrap_or_else(Currency::inr),
    }
}

fn cod_of(request_json: &str) -> Option<Money> {
    serde_json::from_str::<serde_json::Value>(request_json)
        .ok()
        .and_then(|v| serde_json::from_value::<Payment>(v.get("payment")?.clone()).ok())
        .and_then(|p| match p {
            Payment::Cod { cod_amount } => Some(cod_amount),
            Payment::Prepaid => None,
        })
}

impl Store {
    /// The tenant's remittance of this content, if it sent it before.
    pub async fn cod_remittance_by_hash(
        &self,
        tenant_id: &str,
        sha256: &str,
    ) -> Result<Option<RemittanceRow>, sqlx::Error> {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {REMITTANCE_COLUMNS} FROM cod_remittances \
             WHERE tenant_id = $1 AND content_sha256 = $2"
        )))
        .bind(tenant_id)
        .bind(sha256)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(remittance)
        .transpose()
    }

    /// Matches `lines` (each judged by `judge`: the line, the shipment its AWB names, and
    /// whether money was recorded for that shipment before) and stores the file with them.
    pub async fn cod_reconcile(
        &self,
        new: &NewRemittance<'_>,
        lines: &[RemittanceLine],
        judge: fn(&RemittanceLine, Option<&CodCandidate>, bool) -> Verdict,
    ) -> Result<Reconciled, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let awbs: Vec<&str> = lines
            .iter()
            .map(|l| l.awb.as_str())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let candidates = candidates(&mut tx, new.tenant_id, &awbs).await?;
        let ids: Vec<&str> = candidates.iter().map(|c| c.1.id.as_str()).collect();
        let paid = paid(&mut tx, &ids).await?;
        let mut seen = HashSet::new();
        let mut verdicts = Vec::with_capacity(lines.len());
        for line in lines {
            let verdict = if !seen.insert(line.awb.clone()) {
                Verdict {
                    outcome: Outcome::DuplicateLine,
                    shipment: None,
                    detail: Some("the AWB is on an earlier line of this file".into()),
                }
            } else {
                let candidate = candidates
                    .iter()
                    .find(|(awb, c)| {
                        *awb == line.awb
                            && line.carrier.as_deref().is_none_or(|want| want == c.carrier)
                    })
                    .map(|(_, c)| c);
                let already = candidate.is_some_and(|c| paid.contains(&c.id));
                judge(line, candidate, already)
            };
            verdicts.push(verdict);
        }
        let mut counts: HashMap<Outcome, i64> = HashMap::new();
        for v in &verdicts {
            *counts.entry(v.outcome).or_default() += 1;
        }
        let now = now_ms();
        let inserted = sqlx::query(
            "INSERT INTO cod_remittances (id, tenant_id, layout, carrier, source, file_name, \
             content_sha256, lines, matched, amount_mismatch, remitted_not_delivered, \
             unknown_awb, duplicate_line, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
             ON CONFLICT (tenant_id, content_sha256) DO NOTHING",
        )
        .bind(new.id)
        .bind(new.tenant_id)
        .bind(new.layout)
        .bind(new.carrier)
        .bind(new.source)
        .bind(new.file_name)
        .bind(new.content_sha256)
        .bind(lines.len() as i64)
        .bind(counts.get(&Outcome::Matched).copied().unwrap_or(0))
        .bind(counts.get(&Outcome::AmountMismatch).copied().unwrap_or(0))
        .bind(
            counts
                .get(&Outcome::RemittedNotDelivered)
                .copied()
                .unwrap_or(0),
        )
        .bind(counts.get(&Outcome::UnknownAwb).copied().unwrap_or(0))
        .bind(counts.get(&Outcome::DuplicateLine).copied().unwrap_or(0))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 0 {
            tx.rollback().await?;
            let existing = self
                .cod_remittance_by_hash(new.tenant_id, new.content_sha256)
                .await?
                .ok_or(sqlx::Error::RowNotFound)?;
            return Ok(Reconciled::Existing(existing));
        }
        let rows: Vec<(&RemittanceLine, &Verdict)> = lines.iter().zip(&verdicts).collect();
        for chunk in shaped(&rows) {
            let sql = statement("cod remittance lines", chunk.len(), |n| {
                format!(
                    "INSERT INTO cod_remittance_lines (remittance_id, line_no, tenant_id, awb, \
                     utr, remitted_on, amount, currency, outcome, shipment_id, carrier_account, \
                     expected_amount, detail) VALUES {}",
                    super::batch::value_rows(n, 13)
                )
            });
            let mut query = sqlx::query(sql);
            for (line, verdict) in chunk {
                let shipment = verdict.shipment.as_ref();
                query = query
                    .bind(new.id)
                    .bind(line.line_no)
                    .bind(new.tenant_id)
                    .bind(line.awb.clone())
                    .bind(line.utr.clone())
                    .bind(line.remitted_on.to_string())
                    .bind(line.amount.amount)
                    .bind(line.amount.currency.as_str().to_string())
                    .bind(verdict.outcome.as_str())
                    .bind(shipment.map(|s| s.id.clone()))
                    .bind(shipment.map(|s| s.carrier_account.clone()))
                    .bind(shipment.map(|s| s.cod_amount.as_ref().map_or(0, |m| m.amount)))
                    .bind(verdict.detail.clone());
            }
            query.execute(&mut *tx).await?;
        }
        let stored = sqlx::query(AssertSqlSafe(format!(
            "SELECT {REMITTANCE_COLUMNS} FROM cod_remittances WHERE id = $1"
        )))
        .bind(new.id)
        .fetch_one(&mut *tx)
        .await;
        let stored = remittance(&stored?)?;
        announce(&mut tx, &stored, now).await?;
        tx.commit().await?;
        Ok(Reconciled::Created(stored))
    }

    /// A tenant's remittances, newest first, after `after` (an id), at most `limit`.
    pub async fn cod_remittances(
        &self,
        tenant_id: &str,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<RemittanceRow>, sqlx::Error> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {REMITTANCE_COLUMNS} FROM cod_remittances WHERE tenant_id = $1 \
             AND ($2 IS NULL OR id < $2) ORDER BY id DESC LIMIT $3"
        )))
        .bind(tenant_id)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(remittance).collect()
    }

    pub async fn cod_remittance(
        &self,
        tenant_id: &str,
        id: &str,
    ) -> Result<Option<RemittanceRow>, sqlx::Error> {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {REMITTANCE_COLUMNS} FROM cod_remittances WHERE tenant_id = $1 AND id = $2"
        )))
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(remittance)
        .transpose()
    }

    /// A remittance's lines in file order, with `outcome` only if given, after line
    /// `after`, at most `limit`.
    pub async fn cod_remittance_lines(
        &self,
        remittance_id: &str,
        outcome: Option<Outcome>,
        after: Option<i64>,
        limit: i64,
    ) -> Result<Vec<LineRow>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT line_no, awb, utr, remitted_on, amount, currency, outcome, shipment_id, \
             carrier_account, expected_amount, detail FROM cod_remittance_lines \
             WHERE remittance_id = $1 AND ($2 IS NULL OR outcome = $2) \
             AND ($3 IS NULL OR line_no > $3) ORDER BY line_no LIMIT $4",
        )
        .bind(remittance_id)
        .bind(outcome.map(Outcome::as_str))
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let currency: String = r.try_get("currency")?;
                let outcome: String = r.try_get("outcome")?;
                let expected: Option<i64> = r.try_get("expected_amount")?;
                Ok(LineRow {
                    line_no: r.try_get("line_no")?,
                    awb: r.try_get("awb")?,
                    utr: r.try_get("utr")?,
                    remitted_on: r.try_get("remitted_on")?,
                    amount: money(r.try_get("amount")?, &currency),
                    outcome: Outcome::parse(&outcome).ok_or_else(|| sqlx::Error::ColumnDecode {
                        index: "outcome".into(),
                        source: outcome.clone().into(),
                    })?,
                    shipment_id: r.try_get("shipment_id")?,
                    carrier_account: r.try_get("carrier_account")?,
                    expected: expected.map(|a| money(a, &currency)),
                    detail: r.try_get("detail")?,
                })
            })
            .collect()
    }

    /// The tenant's delivered COD shipments whose first delivered scan is in
    /// `[from, to)` (Unix ms), oldest delivery first, after `after` (delivered at, id);
    /// only those not remitted yet when `outstanding`. At most `limit`.
    pub async fn cod_delivered(
        &self,
        tenant_id: &str,
        (from, to): (i64, i64),
        outstanding: bool,
        after: Option<(i64, &str)>,
        limit: i64,
    ) -> Result<Vec<DeliveredCod>, sqlx::Error> {
        // The COD amount lives in the booking request; the LIKE narrows the rows read,
        // the JSON decides. (PostgreSQL sums BIGINT as NUMERIC: cast back.)
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT * FROM (SELECT s.id, s.order_ref, s.carrier, s.carrier_account, s.awb, \
             s.request_json, \
             (SELECT MIN(e.event_time) FROM tracking_events e WHERE e.shipment_id = s.id \
              AND e.status = 'delivered') AS delivered_at, \
             (SELECT CAST(SUM(l.amount) AS BIGINT) FROM cod_remittance_lines l \
              WHERE l.shipment_id = s.id AND l.outcome IN {PAYING}) AS remitted \
             FROM shipments s WHERE s.tenant_id = $1 AND s.status = 'delivered' \
             AND s.request_json LIKE '%\"mode\":\"cod\"%') d \
             WHERE d.delivered_at >= $2 AND d.delivered_at < $3 \
             AND ($4 = 0 OR d.remitted IS NULL) \
             AND ($5 IS NULL OR d.delivered_at > $5 OR (d.delivered_at = $5 AND d.id > $6)) \
             ORDER BY d.delivered_at, d.id LIMIT $7"
        )))
        .bind(tenant_id)
        .bind(from)
        .bind(to)
        .bind(i32::from(outstanding))
        .bind(after.map(|a| a.0))
        .bind(after.map(|a| a.1.to_string()).unwrap_or_default())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let request: String = r.try_get("request_json")?;
            let Some(cod_amount) = cod_of(&request) else {
                continue;
            };
            let carrier: String = r.try_get("carrier")?;
            let account: Option<String> = r.try_get("carrier_account")?;
            out.push(DeliveredCod {
                shipment_id: r.try_get("id")?,
                order_ref: r.try_get("order_ref")?,
                carrier_account: account.unwrap_or_else(|| carrier.clone()),
                carrier,
                awb: r.try_get("awb")?,
                cod_amount,
                delivered_at: r.try_get("delivered_at")?,
                remitted: r.try_get("remitted")?,
            });
        }
        Ok(out)
    }
}

/// The tenant's shipments with these AWBs, by AWB.
async fn candidates(
    tx: &mut Transaction<'_, Any>,
    tenant_id: &str,
    awbs: &[&str],
) -> Result<Vec<(String, CodCandidate)>, sqlx::Error> {
    let mut out = Vec::new();
    for chunk in shaped(awbs) {
        let sql = statement("cod candidates", chunk.len(), |n| {
            format!(
                "SELECT id, carrier, carrier_account, awb, status, request_json FROM shipments \
                 WHERE tenant_id = $1 AND awb IN ({}) ORDER BY created_at",
                placeholders(2, n)
            )
        });
        let mut query = sqlx::query(sql).bind(tenant_id);
        for awb in chunk {
            query = query.bind(awb.to_string());
        }
        for r in query.fetch_all(&mut **tx).await? {
            let status: String = r.try_get("status")?;
            let carrier: String = r.try_get("carrier")?;
            let account: Option<String> = r.try_get("carrier_account")?;
            let request: String = r.try_get("request_json")?;
            out.push((
                r.try_get("awb")?,
                CodCandidate {
                    id: r.try_get("id")?,
                    carrier_account: account.unwrap_or_else(|| carrier.clone()),
                    carrier,
                    status: status.parse().unwrap_or(Status::Unknown),
                    cod_amount: cod_of(&request),
                },
            ));
        }
    }
    Ok(out)
}

/// Which of these shipments money was recorded for already.
async fn paid(tx: &mut Transaction<'_, Any>, ids: &[&str]) -> Result<HashSet<String>, sqlx::Error> {
    let mut out = HashSet::new();
    for chunk in shaped(ids) {
        let sql = statement("cod paid", chunk.len(), |n| {
            format!(
                "SELECT shipment_id FROM cod_remittance_lines WHERE shipment_id IN ({}) \
                 AND outcome IN {PAYING}",
                placeholders(1, n)
            )
        });
        let mut query = sqlx::query(sql);
        for id in chunk {
            query = query.bind(id.to_string());
        }
        for r in query.fetch_all(&mut **tx).await? {
            out.insert(r.try_get("shipment_id")?);
        }
    }
    Ok(out)
}

/// Writes the `cod.remittance_reconciled` message of a new remittance to the outbox.
async fn announce(
    tx: &mut Transaction<'_, Any>,
    stored: &RemittanceRow,
    now: i64,
) -> Result<(), sqlx::Error> {
    let event_type = EventType::CodRemittanceReconciled;
    let subscriptions = outbox::subscriptions(tx, &[stored.tenant_id.as_str()]).await?;
    if !subscriptions.wants(&stored.tenant_id, event_type) {
        return Ok(());
    }
    let payload = crate::oms_webhooks::events::cod_payload(
        super::records::from_ms(now),
        &crate::oms_webhooks::events::CodRemittanceSummary::of(stored),
    );
    let message = Announcement {
        tenant_id: stored.tenant_id.clone(),
        // Not about one shipment.
        shipment_id: String::new(),
        event_type,
        payload,
    };
    outbox::enqueue(tx, &subscriptions, &[message], now).await?;
    Ok(())
}
