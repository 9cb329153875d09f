//! Dry runs (`"dry_run": true` on `POST /v1/shipments`): what shipgate would book for a
//! request — account, service, price, delivery date, why, what else was considered, and
//! a label specimen — without any booking call, so an OMS can run side by side with its
//! own carrier choices before cutting over (docs/parallel-run.md).
//!
//! A dry run is checked like a booking (the same 422s and 409s, in the same order) and
//! priced like one: an `auto` request through [`Planner`], exactly the candidates a
//! booking would try; a named carrier through the same quotes, restricted to that
//! account. It calls at most the carriers' rate APIs (or answers from the rate cache) and
//! reads the tenant's rate cards; it writes no shipment row and takes no order reference.
//! Each is kept (`dry_runs`) for [`super::parallel_run`] and pruned after the retention.

use std::sync::Arc;

use carriers::label::{LabelData, render};
use carriers::schema::{
    Charge, LabelFormat, Money, Objective, PaymentMode, RateQuote, RateRequest, ShipmentRequest,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::config::DryRunsConfig;
use crate::error::ApiError;
use crate::registry::{Accounts, Registry};
use crate::selection::plan::Planner;
use crate::service::address_quality::{self, AddressPolicies};
use crate::service::shipments::{named_carrier, same_order};
use crate::store::{DryRunRow, NewDryRun, Store};

/// The AWB printed on every label specimen: never a carrier's number.
pub const SPECIMEN_AWB_PREFIX: &str = "DRYRUN";

/// What a dry run found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DryRunOutcome {
    /// A booking now would book this.
    WouldBook,
    /// The order is booked already with the same request: a booking now would answer
    /// with that shipment (`repeat_of`) and book nothing.
    Repeat,
}

/// How the carrier was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChoiceMode {
    /// `carrier: auto`: the tenant's selection rules ranked the quotes.
    Auto,
    /// The request named the carrier (account).
    Named,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DryRunSelection {
    pub mode: ChoiceMode,
    /// The selection rule set version in force (`auto`; absent without rules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_set_version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<Objective>,
    /// Why this carrier: the rules that matched, dropped quotes, the winner — as a
    /// booking's `selection.reasons`.
    pub reasons: Vec<String>,
}

/// Another quote the dry run saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(as = DryRunAlternative)]
pub struct Alternative {
    pub carrier_account: String,
    pub carrier: String,
    pub service: String,
    pub total: Money,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_delivery: Option<NaiveDate>,
    /// `auto` would try it next if the choice refused the booking.
    pub fallback: bool,
}

/// The lane facts a comparison matches on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RequestSummary {
    pub from_postal_code: String,
    pub to_postal_code: String,
    pub weight_g: u32,
    pub payment_mode: PaymentMode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cod_amount: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DryRunLinks {
    #[serde(rename = "self")]
    pub self_: String,
    /// A label specimen (AWB `DRYRUN…`, marked as a specimen): `?format=pdf|zpl`.
    pub label_preview: String,
}

/// What shipgate would book for a request; nothing was booked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DryRunView {
    #[schema(example = "dry_0190a1b2c3d4e5f6a7b8c9d0e1f2a3b4")]
    pub id: String,
    /// Always `true`: no carrier was asked to book, no AWB was allocated, no shipment
    /// exists and the order reference is still free.
    pub dry_run: bool,
    pub order_ref: String,
    pub outcome: DryRunOutcome,
    /// The shipment a booking now would answer with (`repeat`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat_of: Option<String>,
    /// The account that would book (the carrier id for a carrier's default account).
    pub carrier_account: String,
    pub carrier: String,
    /// The service that would be booked; absent when a named carrier gave no quote and
    /// the request named none (its default service).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// The quoted price; absent when the carrier gave no quote (see `selection.reasons`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Money>,
    #[serde(default)]
    pub breakdown: Vec<Charge>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_delivery: Option<NaiveDate>,
    pub selection: DryRunSelection,
    /// The other quotes considered, best first.
    pub alternatives: Vec<Alternative>,
    pub request: RequestSummary,
    pub links: DryRunLinks,
    pub created_at: DateTime<Utc>,
}

/// The choice a booking of a request would make now, priced.
#[derive(Debug, Clone)]
pub struct Choice {
    pub carrier_account: String,
    pub carrier: String,
    pub service: Option<String>,
    pub quote: Option<RateQuote>,
    pub selection: DryRunSelection,
    pub alternatives: Vec<Alternative>,
}

/// Dry runs of one gateway process.
pub struct DryRuns {
    pub(super) store: Store,
    pub(super) registry: Arc<Registry>,
    planner: Planner,
    address_policies: Arc<AddressPolicies>,
    pub(super) config: DryRunsConfig,
}

impl DryRuns {
    pub fn new(
        store: Store,
        registry: Arc<Registry>,
        planner: Planner,
        address_policies: Arc<AddressPolicies>,
        config: DryRunsConfig,
    ) -> DryRuns {
        DryRuns {
            store,
            registry,
            planner,
            address_policies,
            config,
        }
    }

    pub fn config(&self) -> &DryRunsConfig {
        &self.config
    }

    /// Answers what booking `req` now would do, checked as a booking is, and keeps it.
    pub async fn run(
        &self,
        tenant_id: &str,
        req: &ShipmentRequest,
    ) -> Result<DryRunView, ApiError> {
        let auto = req.carrier == "auto";
        let accounts = self.registry.for_tenant(tenant_id);
        // A named carrier is checked before the order is looked up, as a booking does.
        if !auto {
            named_carrier(&accounts, req)?;
        }
        let existing = self
            .store
            .shipment_by_order(tenant_id, &req.order_ref, 1)
            .await?;
        let (choice, repeat_of) = match existing {
            Some(existing) => {
                same_order(&existing, req, auto)?;
                let choice = Choice {
                    carrier_account: existing.carrier_account.clone(),
                    carrier: existing.carrier.clone(),
                    service: existing.service.clone(),
                    quote: None,
                    selection: DryRunSelection {
                        mode: if auto {
                            ChoiceMode::Auto
                        } else {
                            ChoiceMode::Named
                        },
                        rule_set_version: None,
                        objective: None,
                        reasons: vec![format!(
                            "order_ref `{}` is booked already as shipment {} ({}); a booking \
                             now would answer with it and book nothing",
                            existing.order_ref,
                            existing.id,
                            existing.booking_state.as_str()
                        )],
                    },
                    alternatives: Vec::new(),
                };
                (choice, Some(existing.id))
            }
            None => {
                let screening =
                    address_quality::screen(&self.store, &self.address_policies, tenant_id, req)
                        .await?;
                if let Some(refusal) = screening.refusal {
                    return Err(refusal);
                }
                (self.choose(tenant_id, &accounts, req).await?, None)
            }
        };
        let view = self.keep(tenant_id, req, choice, repeat_of).await?;
        let mode = match view.selection.mode {
            ChoiceMode::Auto => "auto",
            ChoiceMode::Named => "named",
        };
        let outcome = match view.outcome {
            DryRunOutcome::WouldBook => "would_book",
            DryRunOutcome::Repeat => "repeat",
        };
        metrics::counter!("shipgate_dry_runs_total", "mode" => mode, "outcome" => outcome)
            .increment(1);
        tracing::info!(dry_run_id = %view.id, order_ref = %req.order_ref, mode, outcome,
            carrier_account = %view.carrier_account, service = ?view.service,
            total = ?view.total.as_ref().map(|m| m.amount), "dry run: nothing booked");
        Ok(view)
    }

    /// The carrier, service and price a booking of `req` would get now: `auto` by the
    /// tenant's rules ([`Planner::plan`]), a named carrier by its own quotes (the
    /// service asked for, else its cheapest).
    pub async fn choose(
        &self,
        tenant_id: &str,
        accounts: &Accounts,
        req: &ShipmentRequest,
    ) -> Result<Choice, ApiError> {
        if req.carrier == "auto" {
            let plan = self.planner.plan(tenant_id, accounts, req).await?;
            let chosen = plan.candidates[0].clone();
            let fallbacks = &plan.candidates[1..];
            let alternatives = plan
                .ranked
                .iter()
                .filter(|q| {
                    (q.carrier_account.as_str(), q.service.as_str())
                        != (chosen.carrier_account.as_str(), chosen.service.as_str())
                })
                .map(|q| alternative(q, fallbacks.contains(q)))
                .collect();
            return Ok(Choice {
                carrier_account: chosen.carrier_account.clone(),
                carrier: chosen.carrier.clone(),
                service: Some(chosen.service.clone()),
                quote: Some(chosen),
                selection: DryRunSelection {
                    mode: ChoiceMode::Auto,
                    rule_set_version: plan.rule_set_version,
                    objective: Some(plan.objective),
                    reasons: plan.reasons,
                },
                alternatives,
            });
        }
        let carrier = named_carrier(accounts, req)?;
        let mut rate_req = RateRequest::for_shipment(req);
        rate_req.carriers = Some(vec![carrier.account.to_string()]);
        let quoted = self.planner.quotes(tenant_id, accounts, &rate_req).await?;
        let (mine, others): (Vec<RateQuote>, Vec<RateQuote>) = quoted
            .quotes
            .into_iter()
            .filter(|q| q.carrier_account == carrier.account)
            .partition(|q| req.service.as_deref().is_none_or(|s| s == q.service));
        let quote = mine.into_iter().next();
        let mut reasons = vec![match &req.service {
            Some(s) => format!(
                "carrier `{}` and service `{s}` named in the request",
                req.carrier
            ),
            None => format!(
                "carrier `{}` named in the request; its cheapest quoted service",
                req.carrier
            ),
        }];
        if quote.is_none() {
            let errors: Vec<String> = quoted
                .errors
                .iter()
                .filter(|e| e.carrier_account == carrier.account)
                .map(|e| format!("{}: {}", e.code, e.detail))
                .collect();
            let quoted: Vec<&str> = others.iter().map(|q| q.service.as_str()).collect();
            let why = match (errors.is_empty(), quoted.is_empty()) {
                (false, _) => format!(" ({})", errors.join("; ")),
                (true, false) => format!(
                    " for this service (it quoted {}; a booking may be refused)",
                    quoted.join(", ")
                ),
                (true, true) => String::new(),
            };
            reasons.push(format!(
                "no quote from {}{why}: the price is unknown",
                carrier.account
            ));
        }
        Ok(Choice {
            carrier_account: carrier.account.to_string(),
            carrier: carrier.id.to_string(),
            service: quote
                .as_ref()
                .map(|q| q.service.clone())
                .or_else(|| req.service.clone()),
            quote,
            selection: DryRunSelection {
                mode: ChoiceMode::Named,
                rule_set_version: None,
                objective: None,
                reasons,
            },
            alternatives: others.iter().map(|q| alternative(q, false)).collect(),
        })
    }

    async fn keep(
        &self,
        tenant_id: &str,
        req: &ShipmentRequest,
        choice: Choice,
        repeat_of: Option<String>,
    ) -> Result<DryRunView, ApiError> {
        let id = format!("dry_{}", uuid::Uuid::now_v7().simple());
        let quote = choice.quote.as_ref();
        let view = DryRunView {
            links: DryRunLinks {
                self_: format!("/v1/dry-runs/{id}"),
                label_preview: format!(
                    "/v1/dry-runs/{id}/label?format={}",
                    req.label_format.as_str()
                ),
            },
            id,
            dry_run: true,
            order_ref: req.order_ref.clone(),
            outcome: match repeat_of {
                Some(_) => DryRunOutcome::Repeat,
                None => DryRunOutcome::WouldBook,
            },
            repeat_of,
            carrier_account: choice.carrier_account,
            carrier: choice.carrier,
            service: choice.service,
            total: quote.map(|q| q.total.clone()),
            breakdown: quote.map(|q| q.breakdown.clone()).unwrap_or_default(),
            estimated_delivery: quote.and_then(promised),
            selection: choice.selection,
            alternatives: choice.alternatives,
            request: summary(req),
            created_at: Utc::now(),
        };
        let retention_ms = i64::from(self.config.retention_days) * 86_400_000;
        let pruned = self
            .store
            .insert_dry_run(
                &NewDryRun {
                    id: view.id.clone(),
                    tenant_id: tenant_id.into(),
                    order_ref: view.order_ref.clone(),
                    from_postal_code: view.request.from_postal_code.clone(),
                    to_postal_code: view.request.to_postal_code.clone(),
                    weight_g: i64::from(view.request.weight_g),
                    payment_mode: payment_mode(view.request.payment_mode).into(),
                    carrier_account: view.carrier_account.clone(),
                    carrier: view.carrier.clone(),
                    service: view.service.clone(),
                    total_amount: view.total.as_ref().map(|m| m.amount),
                    currency: view.total.as_ref().map(|m| m.currency.as_str().into()),
                    estimated_delivery: view.estimated_delivery.map(|d| d.to_string()),
                    reason: view.selection.reasons.join("; "),
                    request: serde_json::to_string(req).expect("request serialises"),
                    answer: serde_json::to_string(&view).expect("dry run serialises"),
                },
                Utc::now().timestamp_millis() - retention_ms,
            )
            .await?;
        if pruned > 0 {
            metrics::counter!("shipgate_dry_runs_pruned_total").increment(pruned);
            tracing::info!(pruned, "dry runs past their retention dropped");
        }
        Ok(view)
    }

    pub async fn get(&self, tenant_id: &str, id: &str) -> Result<DryRunView, ApiError> {
        view_of(&self.row(tenant_id, id).await?)
    }

    async fn row(&self, tenant_id: &str, id: &str) -> Result<DryRunRow, ApiError> {
        self.store
            .dry_run(tenant_id, id)
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("no dry run `{id}`")))
    }

    /// The label specimen of a dry run: shipgate's own label layout with the AWB
    /// `DRYRUN…` and "specimen" printed on it, in `format` (the request's when absent).
    pub async fn label(
        &self,
        tenant_id: &str,
        id: &str,
        format: Option<LabelFormat>,
    ) -> Result<(LabelFormat, Vec<u8>), ApiError> {
        let row = self.row(tenant_id, id).await?;
        let req: ShipmentRequest = serde_json::from_str(&row.request).map_err(|e| {
            ApiError::Internal(anyhow::anyhow!(
                "dry run {id}'s request does not parse: {e}"
            ))
        })?;
        let view = view_of(&row)?;
        let accounts = self.registry.for_tenant(tenant_id);
        let name = accounts
            .get(&row.carrier_account)
            .map_or(row.carrier.as_str(), |a| a.name);
        let format = format.unwrap_or(req.label_format);
        let data = LabelData {
            carrier_name: format!("SPECIMEN {name}"),
            service: row.service.clone().unwrap_or_default(),
            awb: specimen_awb(&row.id),
            order_ref: row.order_ref.clone(),
            from: req.from.clone(),
            to: req.to.clone(),
            weight_g: req.total_weight_g(),
            payment: req.payment.clone(),
            routing_code: None,
            description: Some("SPECIMEN - DRY RUN - NOT A SHIPPING LABEL".into()),
            created: view.created_at.date_naive(),
        };
        metrics::counter!("shipgate_dry_run_labels_total", "format" => format.as_str())
            .increment(1);
        Ok((format, render(&data, format)))
    }
}

/// `DRYRUN` and the id's last ten characters, upper case.
pub fn specimen_awb(id: &str) -> String {
    let tail: String = id
        .chars()
        .rev()
        .take(10)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{SPECIMEN_AWB_PREFIX}{}", tail.to_ascii_uppercase())
}

/// A stored dry run as the API shows it.
pub fn view_of(row: &DryRunRow) -> Result<DryRunView, ApiError> {
    serde_json::from_str(&row.answer)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("dry run {} does not parse: {e}", row.id)))
}

/// The date a quote promises: its own, else today plus its transit days (as a booking
/// of it promises).
pub fn promised(quote: &RateQuote) -> Option<NaiveDate> {
    quote.estimated_delivery.or_else(|| {
        quote
            .transit_days
            .map(|d| crate::selection::today() + chrono::Days::new(u64::from(d)))
    })
}

pub fn payment_mode(mode: PaymentMode) -> &'static str {
    match mode {
        PaymentMode::Prepaid => "prepaid",
        PaymentMode::Cod => "cod",
    }
}

fn summary(req: &ShipmentRequest) -> RequestSummary {
    RequestSummary {
        from_postal_code: req.from.postal_code.as_str().to_string(),
        to_postal_code: req.to.postal_code.as_str().to_string(),
        weight_g: req.total_weight_g(),
        payment_mode: req.payment.mode(),
        cod_amount: req.payment.cod_amount().cloned(),
    }
}

fn alternative(q: &RateQuote, fallback: bool) -> Alternative {
    Alternative {
        carrier_account: q.carrier_account.clone(),
        carrier: q.carrier.clone(),
        service: q.service.clone(),
        total: q.total.clone(),
        estimated_delivery: promised(q),
        fallback,
    }
}
