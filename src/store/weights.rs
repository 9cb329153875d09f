//! Carrier charge imports, charged weights and their discrepancies, weight disputes and
//! freight invoice lines (issue 17, point 5; `service::weights` has the why). A newly
//! flagged discrepancy writes its `weight.discrepancy_flagged` webhook in the same
//! transaction as the import.

use std::collections::HashMap;

use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use super::batch::{placeholders, shaped, statement};
use super::ndr::summary;
use super::oms_webhooks::{self as outbox, Announcement};
use super::records::from_ms;
use super::shipments::{SHIPMENT_COLUMNS, shipment_from_row};
use super::{ShipmentRecord, Store, now_ms};
use crate::oms_webhooks::events::{EventType, WeightDiscrepancyView, weight_payload};

/// A stored import: its outcome as first answered.
#[derive(Debug, Clone)]
pub struct ChargeImportRow {
    pub id: String,
    pub layout: String,
    pub summary_json: String,
    pub created_at: i64,
}

/// A charged weight to write for a shipment.
#[derive(Debug, Clone)]
pub struct WeightChargeWrite {
    pub shipment_id: String,
    pub carrier: String,
    pub awb: String,
    pub declared_g: i64,
    pub charged_g: i64,
    pub tolerance_g: i64,
    pub impact: Option<carriers::schema::Money>,
    pub impact_note: Option<String>,
    /// Over the tolerance.
    pub flagged: bool,
}

/// What became of a charged weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeightWritten {
    /// Stored; `flagged` says it is (now) an open discrepancy.
    Stored { flagged: bool, newly: bool },
    /// The shipment's discrepancy is disputed or decided: the earlier charge stands.
    KeptDecided,
}

/// A freight invoice line to write.
#[derive(Debug, Clone)]
pub struct NewInvoiceLine {
    pub id: String,
    pub shipment_id: Option<String>,
    pub carrier: String,
    pub awb: String,
    pub invoice_date: String,
    pub charged_g: Option<i64>,
    pub billed_zone: Option<String>,
    pub expected_zone: Option<String>,
    pub currency: String,
    pub billed_json: String,
    pub expected_json: Option<String>,
    pub expected_source: Option<String>,
    pub overcharge: Option<i64>,
}

/// A stored freight invoice line.
#[derive(Debug, Clone)]
pub struct InvoiceLineRow {
    pub line: NewInvoiceLine,
    pub import_id: String,
}

/// A dispute as stored.
#[derive(Debug, Clone)]
pub struct WeightDisputeRow {
    pub id: String,
    pub shipment_id: String,
    pub state: String,
    pub raised_via: String,
    pub weight_g: i64,
    pub length_mm: i64,
    pub width_mm: i64,
    pub height_mm: i64,
    pub photo_urls: Vec<String>,
    pub comment: Option<String>,
    pub carrier_ref: Option<String>,
    pub decision_note: Option<String>,
    pub raised_at: i64,
    pub decided_at: Option<i64>,
}

/// A dispute to open.
pub struct NewWeightDispute<'a> {
    pub id: &'a str,
    pub tenant_id: &'a str,
    pub shipment_id: &'a str,
    pub raised_via: &'a str,
    pub weight_g: i64,
    pub dims_mm: [i64; 3],
    pub photo_urls: &'a [String],
    pub comment: Option<&'a str>,
    pub carrier_ref: Option<&'a str>,
}

/// Why a dispute could not be opened or decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisputeRefusal {
    /// The shipment has no open discrepancy (none, within tolerance, or decided).
    NoOpenDiscrepancy,
    /// A dispute is already open.
    AlreadyDisputed,
    /// There is no open dispute to decide.
    NoOpenDispute,
}

const CHARGE_COLUMNS: &str = "shipment_id, tenant_id, import_id, carrier, awb, declared_g, \
    charged_g, difference_g, tolerance_g, impact_amount, impact_currency, impact_note, state, \
    flagged_at, updated_at";

const DISPUTE_COLUMNS: &str = "id, shipment_id, state, raised_via, weight_g, length_mm, \
    width_mm, height_mm, photo_urls_json, comment, carrier_ref, decision_note, raised_at, \
    decided_at";

const LINE_COLUMNS: &str = "id, import_id, shipment_id, carrier, awb, invoice_date, charged_g, \
    billed_zone, expected_zone, currency, billed_json, expected_json, expected_source, overcharge";

fn charge_view(r: &AnyRow) -> Result<WeightDiscrepancyView, sqlx::Error> {
    let amount: Option<i64> = r.try_get("impact_amount")?;
    let currency: Option<String> = r.try_get("impact_currency")?;
    Ok(WeightDiscrepancyView {
        shipment_id: r.try_get("shipment_id")?,
        carrier: r.try_get("carrier")?,
        awb: r.try_get("awb")?,
        declared_g: r.try_get("declared_g")?,
        charged_g: r.try_get("charged_g")?,
        difference_g: r.try_get("difference_g")?,
        tolerance_g: r.try_get("tolerance_g")?,
        impact: match (
            amount,
            currency.and_then(|c| carriers::schema::Currency::parse(&c)),
        ) {
            (Some(amount), Some(currency)) => Some(carriers::schema::Money { amount, currency }),
            _ => None,
        },
        impact_note: r.try_get("impact_note")?,
        state: r.try_get("state")?,
        import_id: r.try_get("import_id")?,
        flagged_at: r.try_get::<Option<i64>, _>("flagged_at")?.map(from_ms),
        updated_at: from_ms(r.try_get("updated_at")?),
    })
}

fn dispute_row(r: &AnyRow) -> Result<WeightDisputeRow, sqlx::Error> {
    let urls: String = r.try_get("photo_urls_json")?;
    Ok(WeightDisputeRow {
        id: r.try_get("id")?,
        shipment_id: r.try_get("shipment_id")?,
        state: r.try_get("state")?,
        raised_via: r.try_get("raised_via")?,
        weight_g: r.try_get("weight_g")?,
        length_mm: r.try_get("length_mm")?,
        width_mm: r.try_get("width_mm")?,
        height_mm: r.try_get("height_mm")?,
        photo_urls: serde_json::from_str(&urls).unwrap_or_default(),
        comment: r.try_get("comment")?,
        carrier_ref: r.try_get("carrier_ref")?,
        decision_note: r.try_get("decision_note")?,
        raised_at: r.try_get("raised_at")?,
        decided_at: r.try_get("decided_at")?,
    })
}

fn line_row(r: &AnyRow) -> Result<InvoiceLineRow, sqlx::Error> {
    Ok(InvoiceLineRow {
        import_id: r.try_get("import_id")?,
        line: NewInvoiceLine {
            id: r.try_get("id")?,
            shipment_id: r.try_get("shipment_id")?,
            carrier: r.try_get("carrier")?,
            awb: r.try_get("awb")?,
            invoice_date: r.try_get("invoice_date")?,
            charged_g: r.try_get("charged_g")?,
            billed_zone: r.try_get("billed_zone")?,
            expected_zone: r.try_get("expected_zone")?,
            currency: r.try_get("currency")?,
            billed_json: r.try_get("billed_json")?,
            expected_json: r.try_get("expected_json")?,
            expected_source: r.try_get("expected_source")?,
            overcharge: r.try_get("overcharge")?,
        },
    })
}

impl Store {
    /// The import of this very file, if the tenant imported it before.
    pub async fn charge_import_by_file(
        &self,
        tenant_id: &str,
        sha256: &str,
    ) -> Result<Option<ChargeImportRow>, sqlx::Error> {
        sqlx::query(
            "SELECT id, layout, summary_json, created_at FROM carrier_charge_imports \
             WHERE tenant_id = $1 AND file_sha256 = $2",
        )
        .bind(tenant_id)
        .bind(sha256)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| {
            Ok(ChargeImportRow {
                id: r.try_get("id")?,
                layout: r.try_get("layout")?,
                summary_json: r.try_get("summary_json")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .transpose()
    }

    /// The tenant's shipments with these AWBs (any carrier).
    pub async fn shipments_by_awbs(
        &self,
        tenant_id: &str,
        awbs: &[String],
    ) -> Result<Vec<ShipmentRecord>, sqlx::Error> {
        let mut found = Vec::new();
        for chunk in shaped(awbs) {
            let sql = statement("shipments by awbs", chunk.len(), |n| {
                format!(
                    "SELECT {SHIPMENT_COLUMNS} FROM shipments WHERE tenant_id = $1 AND awb IN ({})",
                    placeholders(2, n)
                )
            });
            let mut query = sqlx::query(sql).bind(tenant_id.to_string());
            for awb in chunk {
                query = query.bind(awb.clone());
            }
            for r in query.fetch_all(&self.pool).await? {
                found.push(shipment_from_row(&r)?);
            }
        }
        Ok(found)
    }

    /// Invoice lines the tenant already has, as (carrier, awb, invoice date).
    pub async fn invoice_lines_known(
        &self,
        tenant_id: &str,
        awbs: &[String],
    ) -> Result<Vec<(String, String, String)>, sqlx::Error> {
        let mut found = Vec::new();
        for chunk in shaped(awbs) {
            let sql = statement("invoice lines by awbs", chunk.len(), |n| {
                format!(
                    "SELECT carrier, awb, invoice_date FROM freight_invoice_lines \
                     WHERE tenant_id = $1 AND awb IN ({})",
                    placeholders(2, n)
                )
            });
            let mut query = sqlx::query(sql).bind(tenant_id.to_string());
            for awb in chunk {
                query = query.bind(awb.clone());
            }
            for r in query.fetch_all(&self.pool).await? {
                found.push((
                    r.try_get("carrier")?,
                    r.try_get("awb")?,
                    r.try_get("invoice_date")?,
                ));
            }
        }
        Ok(found)
    }

    /// Writes an import in one transaction: the import, its charged weights and invoice
    /// lines, and the webhooks of newly flagged discrepancies. `Err(existing)` (nothing
    /// written) when the same file was imported meanwhile.
    #[allow(clippy::too_many_arguments)]
    pub async fn charge_import_write(
        &self,
        tenant_id: &str,
        id: &str,
        layout: &str,
        sha256: &str,
        weights: &[WeightChargeWrite],
        lines: &[NewInvoiceLine],
        summarise: impl FnOnce(&[WeightWritten], &[bool]) -> String,
    ) -> Result<Result<String, ChargeImportRow>, sqlx::Error> {
        let _turn = self.write_turn().await;
        let now = now_ms();
        let mut tx = self.writer.begin().await?;
        // Claim the file first: a concurrent import of it waits here, then finds it.
        let claimed = sqlx::query(
            "INSERT INTO carrier_charge_imports (id, tenant_id, layout, file_sha256, summary_json, created_at) \
             VALUES ($1, $2, $3, $4, '{}', $5) ON CONFLICT (tenant_id, file_sha256) DO NOTHING",
        )
        .bind(id)
        .bind(tenant_id)
        .bind(layout)
        .bind(sha256)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed == 0 {
            tx.rollback().await?;
            let existing = self.charge_import_by_file(tenant_id, sha256).await?;
            return existing.map(Err).ok_or(sqlx::Error::RowNotFound);
        }
        let mut states: HashMap<String, Option<String>> = HashMap::new();
        for chunk in shaped(weights) {
            let sql = statement("weight charge states", chunk.len(), |n| {
                format!(
                    "SELECT shipment_id, state FROM weight_charges WHERE shipment_id IN ({})",
                    placeholders(1, n)
                )
            });
            let mut query = sqlx::query(sql);
            for w in chunk {
                query = query.bind(w.shipment_id.clone());
            }
            for r in query.fetch_all(&mut *tx).await? {
                states.insert(r.try_get("shipment_id")?, r.try_get("state")?);
            }
        }
        let mut written = Vec::with_capacity(weights.len());
        let mut flagged = Vec::new();
        for w in weights {
            let before = states.get(&w.shipment_id);
            if before.is_some_and(|s| s.as_deref().is_some_and(|s| s != "open")) {
                written.push(WeightWritten::KeptDecided);
                continue;
            }
            let was_open = before.is_some_and(|s| s.as_deref() == Some("open"));
            let state = w.flagged.then_some("open");
            let r = sqlx::query(AssertSqlSafe(format!(
                "INSERT INTO weight_charges ({CHARGE_COLUMNS}) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
                 ON CONFLICT (shipment_id) DO UPDATE SET import_id = excluded.import_id, \
                 declared_g = excluded.declared_g, charged_g = excluded.charged_g, \
                 difference_g = excluded.difference_g, tolerance_g = excluded.tolerance_g, \
                 impact_amount = excluded.impact_amount, impact_currency = excluded.impact_currency, \
                 impact_note = excluded.impact_note, state = excluded.state, \
                 flagged_at = CASE WHEN weight_charges.state = 'open' AND excluded.state = 'open' \
                 THEN weight_charges.flagged_at ELSE excluded.flagged_at END, \
                 updated_at = excluded.updated_at RETURNING {CHARGE_COLUMNS}"
            )))
            .bind(&w.shipment_id)
            .bind(tenant_id)
            .bind(id)
            .bind(&w.carrier)
            .bind(&w.awb)
            .bind(w.declared_g)
            .bind(w.charged_g)
            .bind(w.charged_g - w.declared_g)
            .bind(w.tolerance_g)
            .bind(w.impact.as_ref().map(|m| m.amount))
            .bind(w.impact.as_ref().map(|m| m.currency.as_str().to_string()))
            .bind(w.impact_note.as_deref())
            .bind(state)
            .bind(w.flagged.then_some(now))
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let newly = w.flagged && !was_open;
            if newly {
                flagged.push(charge_view(&r)?);
            }
            written.push(WeightWritten::Stored {
                flagged: w.flagged,
                newly,
            });
        }
        let mut inserted = Vec::with_capacity(lines.len());
        for l in lines {
            let n = sqlx::query(AssertSqlSafe(format!(
                "INSERT INTO freight_invoice_lines ({LINE_COLUMNS}, tenant_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
                 ON CONFLICT (tenant_id, carrier, awb, invoice_date) DO NOTHING"
            )))
            .bind(&l.id)
            .bind(id)
            .bind(l.shipment_id.as_deref())
            .bind(&l.carrier)
            .bind(&l.awb)
            .bind(&l.invoice_date)
            .bind(l.charged_g)
            .bind(l.billed_zone.as_deref())
            .bind(l.expected_zone.as_deref())
            .bind(&l.currency)
            .bind(&l.billed_json)
            .bind(l.expected_json.as_deref())
            .bind(l.expected_source.as_deref())
            .bind(l.overcharge)
            .bind(tenant_id)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            inserted.push(n == 1);
        }
        let summary_json = summarise(&written, &inserted);
        sqlx::query("UPDATE carrier_charge_imports SET summary_json = $1 WHERE id = $2")
            .bind(&summary_json)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        // The webhooks of what this import flagged.
        let subscriptions = outbox::subscriptions(&mut tx, &[tenant_id]).await?;
        if subscriptions.wants(tenant_id, EventType::WeightDiscrepancyFlagged) {
            let mut out = Vec::new();
            for d in &flagged {
                let Some(shipment) = summary(&mut tx, &d.shipment_id).await? else {
                    continue;
                };
                out.push(Announcement {
                    tenant_id: tenant_id.to_string(),
                    shipment_id: d.shipment_id.clone(),
                    event_type: EventType::WeightDiscrepancyFlagged,
                    payload: weight_payload(from_ms(now), &shipment, d),
                });
            }
            outbox::enqueue(&mut tx, &subscriptions, &out, now).await?;
        }
        tx.commit().await?;
        Ok(Ok(summary_json))
    }

    /// The charged weights of these shipments (those that have one).
    pub async fn weight_charges(
        &self,
        shipment_ids: &[String],
    ) -> Result<Vec<WeightDiscrepancyView>, sqlx::Error> {
        let mut found = Vec::new();
        for chunk in shaped(shipment_ids) {
            let sql = statement("weight charges of shipments", chunk.len(), |n| {
                format!(
                    "SELECT {CHARGE_COLUMNS} FROM weight_charges WHERE shipment_id IN ({})",
                    placeholders(1, n)
                )
            });
            let mut query = sqlx::query(sql);
            for id in chunk {
                query = query.bind(id.clone());
            }
            for r in query.fetch_all(&self.pool).await? {
                found.push(charge_view(&r)?);
            }
        }
        Ok(found)
    }

    /// A page of the tenant's discrepancies (flagged charges), newest flagged first;
    /// `state` narrows to one state. `after`: (flagged_at, shipment id) of the last row.
    pub async fn weight_discrepancies(
        &self,
        tenant_id: &str,
        state: Option<&str>,
        after: Option<(i64, &str)>,
        limit: u32,
    ) -> Result<(Vec<WeightDiscrepancyView>, bool), sqlx::Error> {
        let mut sql = format!(
            "SELECT {CHARGE_COLUMNS} FROM weight_charges WHERE tenant_id = $1 AND state IS NOT NULL"
        );
        let mut n = 1;
        if state.is_some() {
            n += 1;
            sql.push_str(&format!(" AND state = ${n}"));
        }
        if after.is_some() {
            sql.push_str(&format!(
                " AND (flagged_at, shipment_id) < (${}, ${})",
                n + 1,
                n + 2
            ));
            n += 2;
        }
        sql.push_str(&format!(
            " ORDER BY flagged_at DESC, shipment_id DESC LIMIT ${}",
            n + 1
        ));
        let mut query = sqlx::query(AssertSqlSafe(sql)).bind(tenant_id.to_string());
        if let Some(state) = state {
            query = query.bind(state.to_string());
        }
        if let Some((at, id)) = after {
            query = query.bind(at).bind(id.to_string());
        }
        let rows = query
            .bind(i64::from(limit) + 1)
            .fetch_all(&self.pool)
            .await?;
        let mut found = rows
            .iter()
            .map(charge_view)
            .collect::<Result<Vec<_>, _>>()?;
        let more = found.len() > limit as usize;
        found.truncate(limit as usize);
        Ok((found, more))
    }

    /// Opens a dispute on the shipment's open discrepancy, which becomes `disputed`.
    pub async fn weight_dispute_open(
        &self,
        new: &NewWeightDispute<'_>,
    ) -> Result<Result<WeightDisputeRow, DisputeRefusal>, sqlx::Error> {
        let _turn = self.write_turn().await;
        let now = now_ms();
        let mut tx = self.writer.begin().await?;
        let state: Option<Option<String>> =
            sqlx::query("SELECT state FROM weight_charges WHERE shipment_id = $1")
                .bind(new.shipment_id)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.try_get("state"))
                .transpose()?;
        match state.flatten().as_deref() {
            Some("open") => {}
            Some("disputed") => return Ok(Err(DisputeRefusal::AlreadyDisputed)),
            _ => return Ok(Err(DisputeRefusal::NoOpenDiscrepancy)),
        }
        let inserted = sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO weight_disputes (id, tenant_id, shipment_id, state, raised_via, weight_g, \
             length_mm, width_mm, height_mm, photo_urls_json, comment, carrier_ref, raised_at) \
             VALUES ($1, $2, $3, 'disputed', $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             RETURNING {DISPUTE_COLUMNS}"
        )))
        .bind(new.id)
        .bind(new.tenant_id)
        .bind(new.shipment_id)
        .bind(new.raised_via)
        .bind(new.weight_g)
        .bind(new.dims_mm[0])
        .bind(new.dims_mm[1])
        .bind(new.dims_mm[2])
        .bind(serde_json::to_string(new.photo_urls).expect("strings serialise"))
        .bind(new.comment)
        .bind(new.carrier_ref)
        .bind(now)
        .fetch_one(&mut *tx)
        .await;
        let row = match inserted {
            Ok(r) => dispute_row(&r)?,
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Ok(Err(DisputeRefusal::AlreadyDisputed));
            }
            Err(e) => return Err(e),
        };
        sqlx::query(
            "UPDATE weight_charges SET state = 'disputed', updated_at = $1 WHERE shipment_id = $2",
        )
        .bind(now)
        .bind(new.shipment_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Ok(row))
    }

    /// Records the carrier's decision on the shipment's open dispute (`accepted` or
    /// `rejected`); its discrepancy takes the same state.
    pub async fn weight_dispute_decide(
        &self,
        shipment_id: &str,
        outcome: &str,
        note: Option<&str>,
    ) -> Result<Result<WeightDisputeRow, DisputeRefusal>, sqlx::Error> {
        let _turn = self.write_turn().await;
        let now = now_ms();
        let mut tx = self.writer.begin().await?;
        let decided = sqlx::query(AssertSqlSafe(format!(
            "UPDATE weight_disputes SET state = $1, decision_note = $2, decided_at = $3 \
             WHERE shipment_id = $4 AND state = 'disputed' RETURNING {DISPUTE_COLUMNS}"
        )))
        .bind(outcome)
        .bind(note)
        .bind(now)
        .bind(shipment_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(r) = decided else {
            return Ok(Err(DisputeRefusal::NoOpenDispute));
        };
        sqlx::query("UPDATE weight_charges SET state = $1, updated_at = $2 WHERE shipment_id = $3")
            .bind(outcome)
            .bind(now)
            .bind(shipment_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Ok(dispute_row(&r)?))
    }

    /// A shipment's disputes, oldest first.
    pub async fn weight_disputes(
        &self,
        shipment_id: &str,
    ) -> Result<Vec<WeightDisputeRow>, sqlx::Error> {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {DISPUTE_COLUMNS} FROM weight_disputes WHERE shipment_id = $1 ORDER BY raised_at, id"
        )))
        .bind(shipment_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(dispute_row)
        .collect()
    }

    /// The tenant's invoice lines dated `from` to `to` (YYYY-MM-DD, both included), by
    /// carrier, date and AWB.
    pub async fn invoice_lines(
        &self,
        tenant_id: &str,
        from: &str,
        to: &str,
        carrier: Option<&str>,
    ) -> Result<Vec<InvoiceLineRow>, sqlx::Error> {
        let mut sql = format!(
            "SELECT {LINE_COLUMNS} FROM freight_invoice_lines WHERE tenant_id = $1 \
             AND invoice_date >= $2 AND invoice_date <= $3"
        );
        if carrier.is_some() {
            sql.push_str(" AND carrier = $4");
        }
        sql.push_str(" ORDER BY carrier, invoice_date, awb");
        let mut query = sqlx::query(AssertSqlSafe(sql))
            .bind(tenant_id.to_string())
            .bind(from.to_string())
            .bind(to.to_string());
        if let Some(c) = carrier {
            query = query.bind(c.to_string());
        }
        query
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(line_row)
            .collect()
    }
}
