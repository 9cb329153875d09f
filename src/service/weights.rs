//! Weight discrepancies and freight invoices (issue 17, point 5).
//!
//! Carriers re-weigh parcels at their hubs and bill the heavier of the measured dead and
//! volumetric weight. A seller who never looks loses money on every such line. An import
//! (`POST /v1/carrier-charges`, a carrier file read by `charge_files`) compares each
//! charged weight with the declared chargeable weight — per parcel the larger of dead and
//! volumetric weight by the carrier's divisor (`weights.volumetric_divisors`), summed —
//! and flags a charge more than the tolerance over it (`weights.tolerance_g` or
//! `weights.tolerance_percent` of the declared weight, whichever is larger). The money a
//! flag costs is priced at the carrier account's rate card: the card's total for the
//! charged weight less its total for the declared weight, on the same route and payment.
//! Without a card nothing prices it, and the discrepancy says so.
//!
//! A flagged discrepancy can be disputed with evidence. Neither Delhivery nor Shiprocket
//! publishes a weight-dispute API (Shiprocket's is a panel, "Weight Reconciliation";
//! Delhivery's is its billing team), so their disputes are tracked in shipgate: `open` →
//! `disputed` → `accepted` | `rejected`, the carrier's decision recorded through the API.
//! A carrier whose adapter implements `WeightDisputes` gets the dispute raised through it.
//!
//! When the file is a freight invoice, each line's charges are compared with what
//! shipgate expected: the quote an `auto` booking chose (its breakdown is kept in the
//! shipment's selection record), else the carrier account's rate card priced on the
//! declared parcels. That gives finance one list of overcharges.
//!
//! Re-importing a file changes nothing: its SHA-256 is kept, and the first import's
//! outcome is answered again.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use carriers::families::WeightDispute;
use carriers::ratecard::{self, Location, RateCard};
use carriers::schema::{ChargeKind as QuoteKind, Currency, FieldError, Money, Parcel};
use carriers::taxonomy::Status;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::charge_files::{self, ChargeKind, ChargeLine, Layout};
use super::rate_cards::RateCards;
use crate::config::WeightsConfig;
use crate::error::{ApiError, refused};
use crate::registry::Registry;
use crate::selection::booking::{AttemptOutcome, SelectionRecord};
use crate::store::{
    DisputeRefusal, NewInvoiceLine, NewWeightDispute, ShipmentRecord, Store, WeightChargeWrite,
    WeightDisputeRow, WeightWritten,
};

pub struct Weights {
    store: Store,
    rate_cards: Arc<RateCards>,
    registry: Arc<Registry>,
    config: WeightsConfig,
}

/// What an import did, line by line; answered again for a re-import of the same file.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ImportSummary {
    /// `cci_…`.
    pub id: String,
    pub layout: String,
    /// Rows read.
    pub lines: usize,
    /// Charged weights over the tolerance, flagged now.
    pub flagged: usize,
    pub within_tolerance: usize,
    /// Shipments whose discrepancy is disputed or decided: their earlier charge stands.
    pub kept_decided: usize,
    /// AWBs no shipment of this tenant with that carrier has.
    pub unknown_awbs: usize,
    /// Freight invoice lines stored (0 for a weights-only file).
    pub invoice_lines: usize,
    /// Invoice lines the tenant had already (same carrier, AWB and date): not stored again.
    pub duplicate_invoice_lines: usize,
    /// Stored invoice lines billed over what shipgate expected.
    pub overcharged_lines: usize,
    pub rows: Vec<RowOutcome>,
}

/// One row of an import.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RowOutcome {
    pub line: u64,
    pub carrier: String,
    pub awb: String,
    pub shipment_id: Option<String>,
    /// `flagged`, `within_tolerance`, `kept_decided` or `unknown_awb`.
    pub weight: String,
    pub declared_g: Option<i64>,
    pub charged_g: i64,
    pub difference_g: Option<i64>,
    /// The flag's cost at the rate card; null when unflagged or unpriced.
    pub impact: Option<Money>,
    /// `stored`, `duplicate`; null for a weights-only file.
    pub invoice: Option<String>,
    /// Billed total less expected total, when over it.
    pub overcharge: Option<Money>,
}

/// Evidence for a weight dispute: the parcel as packed, measured and photographed.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DisputeInput {
    /// The weight on the seller's scale, 1 to 1000000 g.
    #[schema(value_type = i64, example = 480)]
    pub weight_g: Option<serde_json::Value>,
    #[schema(value_type = i64, example = 200)]
    pub length_mm: Option<serde_json::Value>,
    #[schema(value_type = i64, example = 150)]
    pub width_mm: Option<serde_json::Value>,
    #[schema(value_type = i64, example = 100)]
    pub height_mm: Option<serde_json::Value>,
    /// 1 to 10 `https://` links to photos of the parcel on the scale and its sides.
    #[schema(value_type = Vec<String>)]
    pub photo_urls: Option<serde_json::Value>,
    /// Up to 500 characters.
    pub comment: Option<String>,
}

/// The carrier's decision on a dispute.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DecisionInput {
    /// `accepted` (the declared weight stands) or `rejected` (the charged weight stands).
    pub outcome: Option<String>,
    /// What the carrier said; up to 500 characters.
    pub note: Option<String>,
}

/// A weight dispute.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DisputeView {
    /// `wdp_…`.
    pub id: String,
    pub shipment_id: String,
    /// `disputed`, `accepted` or `rejected`.
    pub state: String,
    /// `carrier` (raised through its API) or `shipgate` (tracked here: the carrier has no
    /// dispute API; raise it in its panel and record its decision).
    pub raised_via: String,
    pub weight_g: i64,
    pub length_mm: i64,
    pub width_mm: i64,
    pub height_mm: i64,
    pub photo_urls: Vec<String>,
    pub comment: Option<String>,
    pub carrier_ref: Option<String>,
    pub decision_note: Option<String>,
    pub raised_at: chrono::DateTime<chrono::Utc>,
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<WeightDisputeRow> for DisputeView {
    fn from(d: WeightDisputeRow) -> Self {
        let at = |ms: i64| chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default();
        DisputeView {
            id: d.id,
            shipment_id: d.shipment_id,
            state: d.state,
            raised_via: d.raised_via,
            weight_g: d.weight_g,
            length_mm: d.length_mm,
            width_mm: d.width_mm,
            height_mm: d.height_mm,
            photo_urls: d.photo_urls,
            comment: d.comment,
            carrier_ref: d.carrier_ref,
            decision_note: d.decision_note,
            raised_at: at(d.raised_at),
            decided_at: d.decided_at.map(at),
        }
    }
}

/// Expected or billed amounts per charge kind; `None`: not known.
pub type Amounts = BTreeMap<ChargeKind, Option<i64>>;

/// Per parcel the larger of dead and volumetric weight (mm³ / divisor = grams), summed.
pub fn declared_chargeable_g(parcels: &[Parcel], divisor: u32) -> i64 {
    let divisor = u64::from(divisor.max(1));
    parcels
        .iter()
        .map(|p| {
            let volumetric = p.volume_mm3().map_or(0, |v| v.div_ceil(divisor));
            u64::from(p.weight_g).max(volumetric)
        })
        .sum::<u64>()
        .try_into()
        .unwrap_or(i64::MAX)
}

fn locate(pin: &str) -> Option<Location> {
    ratecard::india().lookup(pin)
}

impl Weights {
    pub fn new(
        store: Store,
        rate_cards: Arc<RateCards>,
        registry: Arc<Registry>,
        config: WeightsConfig,
    ) -> Weights {
        Weights {
            store,
            rate_cards,
            registry,
            config,
        }
    }

    /// Imports a carrier file. `Ok((summary, true))` when this very file was imported
    /// before (nothing changed).
    pub async fn import(
        &self,
        tenant_id: &str,
        body: &[u8],
        layout: Option<Layout>,
    ) -> Result<(ImportSummary, bool), ApiError> {
        let sha = hex::encode(Sha256::digest(body));
        if let Some(existing) = self.store.charge_import_by_file(tenant_id, &sha).await? {
            return Ok((replayed(&existing.summary_json)?, true));
        }
        let text = std::str::from_utf8(body).map_err(|e| {
            refused(
                "/csv",
                "not_utf8",
                format!("the file is not UTF-8 text (byte {})", e.valid_up_to()),
            )
        })?;
        let known: Vec<&str> = carriers::registry().iter().map(|s| s.id).collect();
        let file = charge_files::parse(text, layout, &known).map_err(ApiError::Validation)?;

        let awbs: Vec<String> = file.lines.iter().map(|l| l.awb.clone()).collect();
        let shipments: HashMap<(String, String), ShipmentRecord> = self
            .store
            .shipments_by_awbs(tenant_id, &awbs)
            .await?
            .into_iter()
            .filter_map(|s| Some(((s.carrier.clone(), s.awb.clone()?), s)))
            .collect();
        let known_lines: std::collections::HashSet<(String, String, String)> = self
            .store
            .invoice_lines_known(tenant_id, &awbs)
            .await?
            .into_iter()
            .collect();
        let cards = self.rate_cards.active(tenant_id).await?;

        let id = format!("cci_{}", uuid::Uuid::now_v7().simple());
        let mut rows = Vec::with_capacity(file.lines.len());
        let mut weights = Vec::new();
        // Index into `weights` of each row that wrote one.
        let mut weight_of_row = Vec::new();
        let mut lines = Vec::new();
        let mut line_of_row = Vec::new();
        for l in &file.lines {
            let shipment = shipments.get(&(l.carrier.clone(), l.awb.clone()));
            let card = shipment.and_then(|s| {
                cards
                    .iter()
                    .find(|c| c.carrier_account == s.carrier_account)
                    .map(|c| (c.carrier_account.as_str(), c.card.as_ref()))
            });
            let mut row = RowOutcome {
                line: l.line,
                carrier: l.carrier.clone(),
                awb: l.awb.clone(),
                shipment_id: shipment.map(|s| s.id.clone()),
                weight: "unknown_awb".into(),
                declared_g: None,
                charged_g: i64::from(l.charged_g),
                difference_g: None,
                impact: None,
                invoice: None,
                overcharge: None,
            };
            match shipment {
                Some(s) => {
                    let w = self.weigh(s, l, card);
                    row.declared_g = Some(w.declared_g);
                    row.difference_g = Some(w.charged_g - w.declared_g);
                    row.impact = w.impact.clone().filter(|_| w.flagged);
                    weight_of_row.push(Some(weights.len()));
                    weights.push(w);
                }
                None => weight_of_row.push(None),
            }
            match &l.billed {
                Some(billed) => {
                    let date = billed.invoice_date.format("%Y-%m-%d").to_string();
                    if known_lines.contains(&(l.carrier.clone(), l.awb.clone(), date.clone())) {
                        row.invoice = Some("duplicate".into());
                        line_of_row.push(None);
                    } else {
                        let line = self.invoice_line(shipment, l, &date, card).await?;
                        row.overcharge = line.overcharge.filter(|o| *o > 0).map(Money::inr);
                        line_of_row.push(Some(lines.len()));
                        lines.push(line);
                    }
                }
                None => line_of_row.push(None),
            }
            rows.push(row);
        }

        let layout_name = file.layout.as_str();
        let summarise = |written: &[WeightWritten], inserted: &[bool]| {
            let mut summary = ImportSummary {
                id: id.clone(),
                layout: layout_name.into(),
                lines: rows.len(),
                flagged: 0,
                within_tolerance: 0,
                kept_decided: 0,
                unknown_awbs: 0,
                invoice_lines: 0,
                duplicate_invoice_lines: 0,
                overcharged_lines: 0,
                rows: rows.clone(),
            };
            for (i, row) in summary.rows.iter_mut().enumerate() {
                match weight_of_row[i].map(|w| written[w]) {
                    None => summary.unknown_awbs += 1,
                    Some(WeightWritten::KeptDecided) => {
                        row.weight = "kept_decided".into();
                        row.impact = None;
                        summary.kept_decided += 1;
                    }
                    Some(WeightWritten::Stored { flagged: true, .. }) => {
                        row.weight = "flagged".into();
                        summary.flagged += 1;
                    }
                    Some(WeightWritten::Stored { flagged: false, .. }) => {
                        row.weight = "within_tolerance".into();
                        summary.within_tolerance += 1;
                    }
                }
                match line_of_row[i].map(|l| inserted[l]) {
                    Some(true) => {
                        row.invoice = Some("stored".into());
                        summary.invoice_lines += 1;
                        if row.overcharge.is_some() {
                            summary.overcharged_lines += 1;
                        }
                    }
                    Some(false) => {
                        row.invoice = Some("duplicate".into());
                        row.overcharge = None;
                        summary.duplicate_invoice_lines += 1;
                    }
                    None if row.invoice.is_some() => summary.duplicate_invoice_lines += 1,
                    None => {}
                }
            }
            serde_json::to_string(&summary).expect("a summary serialises")
        };
        let written = self
            .store
            .charge_import_write(
                tenant_id,
                &id,
                layout_name,
                &sha,
                &weights,
                &lines,
                summarise,
            )
            .await?;
        let summary_json = match written {
            Ok(json) => json,
            Err(existing) => return Ok((replayed(&existing.summary_json)?, true)),
        };
        let summary = replayed(&summary_json)?;
        metrics::counter!("shipgate_carrier_charge_imports_total", "layout" => layout_name)
            .increment(1);
        for row in &summary.rows {
            let weight = match row.weight.as_str() {
                "flagged" => "flagged",
                "within_tolerance" => "within_tolerance",
                "kept_decided" => "kept_decided",
                _ => "unknown_awb",
            };
            metrics::counter!("shipgate_weight_charges_total", "carrier" => row.carrier.clone(), "outcome" => weight)
                .increment(1);
            if row.overcharge.is_some() && row.invoice.as_deref() == Some("stored") {
                metrics::counter!("shipgate_invoice_overcharges_total", "carrier" => row.carrier.clone())
                    .increment(1);
            }
        }
        tracing::info!(import_id = %summary.id, layout = layout_name, lines = summary.lines, flagged = summary.flagged, "carrier charges imported");
        Ok((summary, false))
    }

    /// The charged weight of one row against its shipment.
    fn weigh(
        &self,
        s: &ShipmentRecord,
        l: &ChargeLine,
        card: Option<(&str, Result<&RateCard, &String>)>,
    ) -> WeightChargeWrite {
        let declared_g = declared_chargeable_g(&s.request.parcels, self.config.divisor(&s.carrier));
        let charged_g = i64::from(l.charged_g);
        let tolerance_g = i64::from(self.config.tolerance_g)
            .max(declared_g * i64::from(self.config.tolerance_percent) / 100);
        let flagged = charged_g - declared_g > tolerance_g;
        let (impact, impact_note) = match self.impact(s, declared_g, charged_g, card) {
            Ok(m) => (Some(m), None),
            Err(note) => (None, Some(note)),
        };
        WeightChargeWrite {
            shipment_id: s.id.clone(),
            carrier: s.carrier.clone(),
            awb: l.awb.clone(),
            declared_g,
            charged_g,
            tolerance_g,
            impact,
            impact_note,
            flagged,
        }
    }

    /// The card's total for the charged weight less its total for the declared one.
    fn impact(
        &self,
        s: &ShipmentRecord,
        declared_g: i64,
        charged_g: i64,
        card: Option<(&str, Result<&RateCard, &String>)>,
    ) -> Result<Money, String> {
        let Some((account, card)) = card else {
            return Err(format!(
                "no rate card for carrier account `{}`: upload one to price discrepancies",
                s.carrier_account
            ));
        };
        let card = card.map_err(|e| format!("the rate card of `{account}` does not read: {e}"))?;
        let (from, to) = locations(s)
            .ok_or_else(|| "the rate card cannot zone the shipment's PIN codes".to_string())?;
        let at = |grams: i64| {
            let parcel = Parcel {
                weight_g: u32::try_from(grams).unwrap_or(u32::MAX),
                length_mm: None,
                width_mm: None,
                height_mm: None,
                declared_value: None,
                description: None,
            };
            ratecard::price(card, &from, &to, &[parcel], s.request.payment.cod_amount())
                .map(|p| p.total)
                .map_err(|e| format!("the rate card of `{account}` cannot price it: {e}"))
        };
        Ok(Money {
            amount: at(charged_g)? - at(declared_g)?,
            currency: card.currency.clone(),
        })
    }

    /// An invoice row as stored: billed, expected and the overcharge.
    async fn invoice_line(
        &self,
        shipment: Option<&ShipmentRecord>,
        l: &ChargeLine,
        date: &str,
        card: Option<(&str, Result<&RateCard, &String>)>,
    ) -> Result<NewInvoiceLine, ApiError> {
        let billed = l.billed.as_ref().expect("an invoice row");
        let billed_amounts: BTreeMap<&str, i64> = billed
            .amounts
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .collect();
        let expected = match shipment {
            Some(s) => self.expected(s, card).await?,
            None => None,
        };
        let expected_zone = shipment
            .and_then(locations)
            .map(|(from, to)| ratecard::zone::decide(&from, &to).zone.as_str().to_string());
        let overcharge = expected.as_ref().and_then(|(_, amounts)| {
            let billed_total = *billed.amounts.get(&ChargeKind::Total)?;
            let expected_total = (*amounts.get(&ChargeKind::Total)?)?;
            Some((billed_total - expected_total).max(0))
        });
        Ok(NewInvoiceLine {
            id: format!("fil_{}", uuid::Uuid::now_v7().simple()),
            shipment_id: shipment.map(|s| s.id.clone()),
            carrier: l.carrier.clone(),
            awb: l.awb.clone(),
            invoice_date: date.to_string(),
            charged_g: Some(i64::from(l.charged_g)),
            billed_zone: billed.zone.clone(),
            expected_zone,
            currency: Currency::inr().as_str().to_string(),
            billed_json: serde_json::to_string(&billed_amounts).expect("amounts serialise"),
            expected_json: expected.as_ref().map(|(_, amounts)| {
                let named: BTreeMap<&str, Option<i64>> =
                    amounts.iter().map(|(k, v)| (k.as_str(), *v)).collect();
                serde_json::to_string(&named).expect("amounts serialise")
            }),
            expected_source: expected.map(|(source, _)| source.to_string()),
            overcharge,
        })
    }

    /// What shipgate expected the carrier to bill: the quote an `auto` booking chose,
    /// else the account's rate card on the declared parcels. RTO charges are not priced
    /// by either, so a returned shipment's RTO line and total are unknown.
    async fn expected(
        &self,
        s: &ShipmentRecord,
        card: Option<(&str, Result<&RateCard, &String>)>,
    ) -> Result<Option<(&'static str, Amounts)>, ApiError> {
        let returned = s.status == Status::Rto;
        let mut amounts: Amounts = ChargeKind::ALL.into_iter().map(|k| (k, Some(0))).collect();
        let quoted = self
            .store
            .selection(&s.id)
            .await?
            .and_then(|json| serde_json::from_str::<SelectionRecord>(&json).ok())
            .and_then(|record| {
                record
                    .attempts
                    .into_iter()
                    .rev()
                    .find(|a| a.outcome == AttemptOutcome::Booked && !a.breakdown.is_empty())
            });
        let source = if let Some(quote) = quoted {
            for charge in &quote.breakdown {
                let kind = match charge.kind {
                    QuoteKind::Freight => ChargeKind::Freight,
                    QuoteKind::FuelSurcharge => ChargeKind::FuelSurcharge,
                    QuoteKind::Cod => ChargeKind::Cod,
                    QuoteKind::Tax => ChargeKind::Tax,
                    QuoteKind::Other => ChargeKind::Other,
                };
                if let Some(Some(a)) = amounts.get_mut(&kind) {
                    *a += charge.amount.amount;
                }
            }
            amounts.insert(ChargeKind::Total, Some(quote.total.amount));
            "booking_quote"
        } else {
            let Some((_, Ok(card))) = card else {
                return Ok(None);
            };
            let Some((from, to)) = locations(s) else {
                return Ok(None);
            };
            let Ok(p) = ratecard::price(
                card,
                &from,
                &to,
                &s.request.parcels,
                s.request.payment.cod_amount(),
            ) else {
                return Ok(None);
            };
            amounts.insert(ChargeKind::Freight, Some(p.freight));
            amounts.insert(ChargeKind::FuelSurcharge, Some(p.fuel_surcharge));
            amounts.insert(ChargeKind::Cod, Some(p.cod.map_or(0, |c| c.amount)));
            amounts.insert(ChargeKind::Tax, Some(p.gst));
            amounts.insert(ChargeKind::Total, Some(p.total));
            "rate_card"
        };
        if returned {
            amounts.insert(ChargeKind::Rto, None);
            amounts.insert(ChargeKind::Total, None);
        }
        Ok(Some((source, amounts)))
    }

    /// Disputes the shipment's open discrepancy: through the carrier's `WeightDisputes`
    /// where its adapter has one, else tracked in shipgate.
    pub async fn dispute(
        &self,
        shipment: &ShipmentRecord,
        input: &DisputeInput,
    ) -> Result<DisputeView, ApiError> {
        let evidence = parse_evidence(input)?;
        let charge = self
            .store
            .weight_charges(std::slice::from_ref(&shipment.id))
            .await?;
        match charge.first().and_then(|c| c.state.as_deref()) {
            Some("open") => {}
            Some("disputed") => return Err(already_disputed(&shipment.id)),
            _ => return Err(no_open_discrepancy(&shipment.id)),
        }
        let family = self
            .registry
            .booked_with(&shipment.tenant_id, &shipment.carrier_account)
            .filter(|c| c.adapter.weight_disputes().is_some());
        let (via, carrier_ref) = match (&family, &shipment.awb) {
            (Some(carrier), Some(awb)) => {
                let raised = carrier
                    .adapter
                    .weight_disputes()
                    .expect("filtered on it")
                    .raise(
                        &carrier.transport,
                        &WeightDispute {
                            awb: awb.clone(),
                            claimed_g: evidence.weight_g as u32,
                            comment: input.comment.clone().unwrap_or_default(),
                            evidence_urls: evidence.photo_urls.clone(),
                        },
                    )
                    .await
                    .map_err(|error| ApiError::Carrier {
                        carrier: carrier.id.into(),
                        error,
                        shipment_id: None,
                    })?;
                ("carrier", Some(raised.dispute_id))
            }
            _ => ("shipgate", None),
        };
        let id = format!("wdp_{}", uuid::Uuid::now_v7().simple());
        let opened = self
            .store
            .weight_dispute_open(&NewWeightDispute {
                id: &id,
                tenant_id: &shipment.tenant_id,
                shipment_id: &shipment.id,
                raised_via: via,
                weight_g: evidence.weight_g,
                dims_mm: evidence.dims_mm,
                photo_urls: &evidence.photo_urls,
                comment: input.comment.as_deref(),
                carrier_ref: carrier_ref.as_deref(),
            })
            .await?;
        let row = match opened {
            Ok(row) => row,
            Err(DisputeRefusal::AlreadyDisputed) => return Err(already_disputed(&shipment.id)),
            Err(_) => return Err(no_open_discrepancy(&shipment.id)),
        };
        metrics::counter!("shipgate_weight_disputes_total", "carrier" => shipment.carrier.clone(), "via" => via)
            .increment(1);
        Ok(row.into())
    }

    /// Records the carrier's decision on the shipment's open dispute.
    pub async fn decide(
        &self,
        shipment: &ShipmentRecord,
        input: &DecisionInput,
    ) -> Result<DisputeView, ApiError> {
        let mut errors = Vec::new();
        let outcome = match input.outcome.as_deref() {
            Some("accepted") => Some("accepted"),
            Some("rejected") => Some("rejected"),
            Some(other) => {
                errors.push(field(
                    "/outcome",
                    "invalid_value",
                    format!("`{other}` is not `accepted` or `rejected`"),
                ));
                None
            }
            None => {
                errors.push(field("/outcome", "required", "`accepted` or `rejected`"));
                None
            }
        };
        if input.note.as_ref().is_some_and(|n| n.chars().count() > 500) {
            errors.push(field("/note", "too_long", "at most 500 characters"));
        }
        let Some(outcome) = outcome.filter(|_| errors.is_empty()) else {
            return Err(ApiError::Validation(errors));
        };
        match self
            .store
            .weight_dispute_decide(&shipment.id, outcome, input.note.as_deref())
            .await?
        {
            Ok(row) => {
                metrics::counter!("shipgate_weight_dispute_decisions_total", "carrier" => shipment.carrier.clone(), "outcome" => outcome)
                    .increment(1);
                Ok(row.into())
            }
            Err(_) => Err(refused(
                "/outcome",
                "no_open_dispute",
                format!(
                    "shipment {} has no open weight dispute to decide",
                    shipment.id
                ),
            )),
        }
    }
}

fn replayed(json: &str) -> Result<ImportSummary, ApiError> {
    serde_json::from_str(json)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("stored import summary: {e}")))
}

fn locations(s: &ShipmentRecord) -> Option<(Location, Location)> {
    Some((
        locate(s.request.from.postal_code.as_str())?,
        locate(s.request.to.postal_code.as_str())?,
    ))
}

fn field(pointer: &str, code: &str, detail: impl Into<String>) -> FieldError {
    FieldError {
        pointer: pointer.into(),
        code: code.into(),
        detail: detail.into(),
    }
}

fn no_open_discrepancy(id: &str) -> ApiError {
    refused(
        "",
        "no_open_discrepancy",
        format!("shipment {id} has no open weight discrepancy to dispute"),
    )
}

fn already_disputed(id: &str) -> ApiError {
    ApiError::Conflict {
        code: "weight_dispute_exists",
        detail: format!("shipment {id} has an open weight dispute already"),
        shipment_id: Some(id.to_string()),
    }
}

struct Evidence {
    weight_g: i64,
    dims_mm: [i64; 3],
    photo_urls: Vec<String>,
}

/// The evidence, with every problem at its pointer.
fn parse_evidence(input: &DisputeInput) -> Result<Evidence, ApiError> {
    let mut errors = Vec::new();
    let mut int = |pointer: &str, value: &Option<serde_json::Value>, max: i64| -> i64 {
        match value {
            None | Some(serde_json::Value::Null) => {
                errors.push(field(pointer, "required", "required"));
                0
            }
            Some(v) => match v.as_i64().filter(|n| (1..=max).contains(n)) {
                Some(n) => n,
                None => {
                    errors.push(field(
                        pointer,
                        "out_of_range",
                        format!("a whole number from 1 to {max}"),
                    ));
                    0
                }
            },
        }
    };
    let weight_g = int("/weight_g", &input.weight_g, 1_000_000);
    let dims_mm = [
        int("/length_mm", &input.length_mm, 5000),
        int("/width_mm", &input.width_mm, 5000),
        int("/height_mm", &input.height_mm, 5000),
    ];
    let mut photo_urls = Vec::new();
    match &input.photo_urls {
        Some(serde_json::Value::Array(items)) if (1..=10).contains(&items.len()) => {
            for (i, item) in items.iter().enumerate() {
                let pointer = format!("/photo_urls/{i}");
                let ok = item
                    .as_str()
                    .and_then(|s| url::Url::parse(s).ok())
                    .filter(|u| {
                        u.scheme() == "https" && u.host_str().is_some_and(|h| !h.is_empty())
                    });
                match ok {
                    Some(u) if u.as_str().len() <= 2048 => photo_urls.push(u.to_string()),
                    _ => errors.push(field(
                        &pointer,
                        "invalid_url",
                        "an https:// URL with a host, at most 2048 characters",
                    )),
                }
            }
        }
        None | Some(serde_json::Value::Null) => errors.push(field(
            "/photo_urls",
            "required",
            "1 to 10 https:// photo links",
        )),
        Some(_) => errors.push(field(
            "/photo_urls",
            "invalid_value",
            "an array of 1 to 10 https:// photo links",
        )),
    }
    if input
        .comment
        .as_ref()
        .is_some_and(|c| c.chars().count() > 500)
    {
        errors.push(field("/comment", "too_long", "at most 500 characters"));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok(Evidence {
        weight_g,
        dims_mm,
        photo_urls,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parcel(weight_g: u32, dims: Option<(u32, u32, u32)>) -> Parcel {
        Parcel {
            weight_g,
            length_mm: dims.map(|d| d.0),
            width_mm: dims.map(|d| d.1),
            height_mm: dims.map(|d| d.2),
            declared_value: None,
            description: None,
        }
    }

    #[test]
    fn declared_weight_is_the_larger_of_dead_and_volumetric_per_parcel() {
        // 300×200×100 mm = 6000 cm³ / 5000 = 1.2 kg volumetric, over 500 g dead.
        assert_eq!(
            declared_chargeable_g(&[parcel(500, Some((300, 200, 100)))], 5000),
            1200
        );
        assert_eq!(
            declared_chargeable_g(
                &[parcel(2000, Some((300, 200, 100))), parcel(700, None)],
                5000
            ),
            2700
        );
        // A smaller divisor makes volume weigh more: 6000 cm³ / 4000 = 1.5 kg.
        assert_eq!(
            declared_chargeable_g(&[parcel(500, Some((300, 200, 100)))], 4000),
            1500
        );
    }
}
