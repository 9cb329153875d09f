//! COD remittance reconciliation (issue 17): matching a carrier's payout file to the
//! tenant's delivered COD shipments, and what is still owed.
//!
//! Each line of a file is judged once, when the file is stored: `matched` (a delivered
//! COD shipment, for its amount), `amount_mismatch`, `remitted_not_delivered`,
//! `unknown_awb` or `duplicate_line` (an AWB already on an earlier line, or already paid
//! by an earlier file). A file is identified by its content (SHA-256): the same bytes
//! sent again, uploaded or pulled, answer the remittance stored the first time.
//!
//! What is owed: a delivered COD shipment no line paid for is *outstanding*; it is
//! *overdue* once more whole days than its carrier account's remittance cycle have passed
//! since its first delivered scan (`SHIPGATE_COD__REMITTANCE_DAYS__<ACCOUNT OR CARRIER>`;
//! Delhivery D+7 and Shiprocket D+8 by default). Delhivery publishes no cycle: D+7 is
//! assumed. Shiprocket's support pages give D+8 for its standard plan (Early COD plans
//! pay sooner: set the account's cycle to match).

use std::sync::Arc;

use carriers::taxonomy::Status;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::config::CodConfig;
use crate::error::ApiError;
use crate::registry::Registry;
use crate::service::cod_files::{self, Layout, RemittanceLine};
use crate::store::{
    CodCandidate, CodOutcome as Outcome, DeliveredCod, NewRemittance, Reconciled, Store, Verdict,
};

/// Where a file came from.
pub struct FileOrigin<'a> {
    /// `upload`, or `sftp:<source id>`.
    pub source: &'a str,
    pub file_name: Option<&'a str>,
}

pub struct CodRemittances {
    store: Store,
    registry: Arc<Registry>,
    config: CodConfig,
}

impl CodRemittances {
    pub fn new(store: Store, registry: Arc<Registry>, config: CodConfig) -> CodRemittances {
        CodRemittances {
            store,
            registry,
            config,
        }
    }

    /// Reads and reconciles a file for the tenant; nothing is stored when any line is
    /// unreadable (a 422 with every problem at `/lines/<line>/<field>`).
    pub async fn reconcile(
        &self,
        tenant_id: &str,
        content: &[u8],
        layout: Option<Layout>,
        origin: FileOrigin<'_>,
    ) -> Result<Reconciled, ApiError> {
        let sha256 = hex::encode(Sha256::digest(content));
        // The same content again: the answer of the first time, before reading it again.
        if let Some(existing) = self
            .store
            .cod_remittance_by_hash(tenant_id, &sha256)
            .await?
        {
            return Ok(Reconciled::Existing(existing));
        }
        let file = cod_files::read(content, layout).map_err(ApiError::Validation)?;
        let id = format!("codr_{}", uuid::Uuid::now_v7().simple());
        let stored = self
            .store
            .cod_reconcile(
                &NewRemittance {
                    id: &id,
                    tenant_id,
                    layout: file.layout.name,
                    carrier: file.layout.carrier,
                    source: origin.source,
                    file_name: origin.file_name,
                    content_sha256: &sha256,
                },
                &file.lines,
                judge,
            )
            .await
            .map_err(|e| match e {
                sqlx::Error::Database(db) if db.is_unique_violation() => ApiError::Conflict {
                    code: "remittance_in_progress",
                    detail: "another remittance naming the same shipments is being \
                             reconciled right now; send this one again in a moment"
                        .into(),
                    shipment_id: None,
                },
                other => other.into(),
            })?;
        if let Reconciled::Created(r) = &stored {
            for (outcome, n) in &r.counts {
                metrics::counter!("shipgate_cod_remittance_lines_total", "layout" => file.layout.name, "outcome" => outcome.as_str())
                    .increment(*n as u64);
            }
            metrics::counter!("shipgate_cod_remittances_total", "source" => if origin.source == "upload" { "upload" } else { "sftp" })
                .increment(1);
            tracing::info!(
                remittance_id = %r.id,
                layout = file.layout.name,
                source = origin.source,
                lines = r.lines,
                counts = ?r.counts,
                "COD remittance reconciled"
            );
        }
        Ok(stored)
    }

    /// The remittance cycle of a carrier account, in days after delivery: a tenant
    /// account's own option (`cod_remittance_days`), else the configuration's for the
    /// account, else for its carrier, else 7.
    pub fn cycle_days(&self, tenant_id: &str, account: &str, carrier: &str) -> i64 {
        let own = self
            .registry
            .booked_with(tenant_id, account)
            .and_then(|a| a.owner.as_ref()?.cod_remittance_days);
        own.or_else(|| self.config.remittance_days.get(account).copied())
            .or_else(|| self.config.remittance_days.get(carrier).copied())
            .map_or(7, i64::from)
    }

    /// How far a delivered COD shipment is from being paid, at `now`.
    pub fn standing(&self, tenant_id: &str, d: &DeliveredCod, now: DateTime<Utc>) -> Standing {
        let delivered_at = DateTime::from_timestamp_millis(d.delivered_at).unwrap_or_default();
        let cycle = self.cycle_days(tenant_id, &d.carrier_account, &d.carrier);
        let due_at = delivered_at + chrono::Duration::days(cycle);
        Standing {
            delivered_at,
            age_days: (now - delivered_at).num_days().max(0),
            cycle_days: cycle,
            due_at,
            overdue: d.remitted.is_none() && now > due_at,
        }
    }
}

/// A delivered COD shipment's age against its remittance cycle.
pub struct Standing {
    pub delivered_at: DateTime<Utc>,
    /// Whole days since delivery.
    pub age_days: i64,
    pub cycle_days: i64,
    /// When its remittance was due (delivered + cycle).
    pub due_at: DateTime<Utc>,
    /// Not remitted, and past due.
    pub overdue: bool,
}

/// A line's outcome, given the shipment its AWB names (if any) and whether money was
/// recorded for that shipment before.
fn judge(line: &RemittanceLine, shipment: Option<&CodCandidate>, already_paid: bool) -> Verdict {
    let verdict = |outcome, detail: Option<String>| Verdict {
        outcome,
        shipment: shipment.cloned(),
        detail,
    };
    let Some(s) = shipment else {
        return verdict(
            Outcome::UnknownAwb,
            Some(match &line.carrier {
                Some(c) => format!("no {c} shipment of this tenant has AWB {}", line.awb),
                None => format!("no shipment of this tenant has AWB {}", line.awb),
            }),
        );
    };
    if already_paid {
        return verdict(
            Outcome::DuplicateLine,
            Some("an earlier remittance already paid this shipment".into()),
        );
    }
    if s.status != Status::Delivered {
        return verdict(
            Outcome::RemittedNotDelivered,
            Some(format!("the shipment is `{}`, not delivered", s.status)),
        );
    }
    match &s.cod_amount {
        Some(expected) if *expected == line.amount => verdict(Outcome::Matched, None),
        Some(expected) => verdict(
            Outcome::AmountMismatch,
            Some(format!(
                "expected {} {}, remitted {} {}",
                expected.amount,
                expected.currency.as_str(),
                line.amount.amount,
                line.amount.currency.as_str()
            )),
        ),
        None => verdict(
            Outcome::AmountMismatch,
            Some("a prepaid shipment: nothing was to be collected".into()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use carriers::schema::{Currency, Money};

    fn line(amount: i64) -> RemittanceLine {
        RemittanceLine {
            line_no: 2,
            awb: "A1".into(),
            utr: "U".into(),
            remitted_on: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            amount: Money {
                amount,
                currency: Currency::inr(),
            },
            carrier: Some("delhivery".into()),
        }
    }

    fn shipment(status: Status, cod: Option<i64>) -> CodCandidate {
        CodCandidate {
            id: "shp_1".into(),
            carrier: "delhivery".into(),
            carrier_account: "delhivery".into(),
            status,
            cod_amount: cod.map(|amount| Money {
                amount,
                currency: Currency::inr(),
            }),
        }
    }

    #[test]
    fn each_outcome() {
        let delivered = shipment(Status::Delivered, Some(100));
        assert_eq!(
            judge(&line(100), Some(&delivered), false).outcome,
            Outcome::Matched
        );
        assert_eq!(
            judge(&line(90), Some(&delivered), false).outcome,
            Outcome::AmountMismatch
        );
        assert_eq!(
            judge(&line(100), Some(&delivered), true).outcome,
            Outcome::DuplicateLine
        );
        assert_eq!(
            judge(
                &line(100),
                Some(&shipment(Status::InTransit, Some(100))),
                false
            )
            .outcome,
            Outcome::RemittedNotDelivered
        );
        assert_eq!(
            judge(&line(100), Some(&shipment(Status::Delivered, None)), false).outcome,
            Outcome::AmountMismatch
        );
        assert_eq!(judge(&line(100), None, false).outcome, Outcome::UnknownAwb);
    }
}
