//! NDR actions (issue 17): telling the carrier what to do about a failed delivery
//! attempt, and following what comes of it.
//!
//! An instruction answers one failed attempt and is sent at most once: it is stored as
//! `requested` before the carrier is called (a unique index admits one per attempt), so
//! a retried or concurrent request finds it instead of sending another. The carrier's
//! answer makes it `accepted` or `rejected` (a rejected one frees the attempt for another
//! instruction); a call that never left shipgate is forgotten, one whose outcome is
//! unknown stays `requested`. The scans that follow decide the rest: a background sweep
//! marks an action `effective` when a later scan shows it followed, `expired` when
//! nothing did in time or the shipment ended otherwise.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use carriers::families::{NdrAction, NdrActionKind};
use carriers::schema::{Address, AddressInput, Phone, Violations};
use carriers::taxonomy::Status;
use carriers::{CarrierError, Operation};
use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use strum::IntoEnumIterator;
use utoipa::ToSchema;

use crate::error::{ApiError, refused};
use crate::executor::observe;
use crate::registry::Registry;
use crate::service::ndr_policy::{Decision, Facts, Policy};
use crate::shutdown::{CancellationToken, Ticks};
use crate::store::{
    Actor, AuditEntry, NdrActionRow, NdrDecisionRow, NdrState, NewNdrAction, RuleSets,
    ShipmentRecord, Store,
};

/// How far ahead a re-attempt or reschedule date may be: carriers hold an undelivered
/// parcel for a few days before they return it.
pub const MAX_DAYS_AHEAD: i64 = 7;

/// An instruction, as the API takes it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NdrActionInput {
    /// `reattempt` (optional `date`), `reschedule` (`date`), `change_address`
    /// (`address`), `change_phone` (`phone`) or `rto` (return to origin).
    #[schema(value_type = String)]
    pub action: Option<String>,
    /// `YYYY-MM-DD`, today (India time) or up to 7 days ahead.
    #[schema(value_type = Option<String>, format = Date)]
    pub date: Option<String>,
    pub address: Option<AddressInput>,
    /// The buyer's other number.
    pub phone: Option<String>,
}

/// Who decided an action.
pub enum Source<'a> {
    Api,
    Policy {
        rule: &'a str,
    },
    /// The buyer, on the shipment's tracking page.
    Buyer,
}

pub struct Ndr {
    store: Store,
    registry: Arc<Registry>,
}

impl Ndr {
    pub fn new(store: Store, registry: Arc<Registry>) -> Ndr {
        Ndr { store, registry }
    }

    /// Sends `input` for the shipment's current failed attempt.
    pub async fn request(
        &self,
        shipment: &ShipmentRecord,
        input: &NdrActionInput,
        source: Source<'_>,
    ) -> Result<NdrActionRow, ApiError> {
        let (action, params) = parse(shipment, input)?;
        // A customer return (kind `reverse`) failing at the warehouse is no buyer's NDR.
        if shipment.sub_status.status() != Status::DeliveryFailed
            || shipment.is_terminal()
            || shipment.kind == carriers::schema::ShipmentKind::Reverse
        {
            return Err(refused(
                "/action",
                "not_awaiting_ndr_action",
                format!(
                    "shipment {} is `{}`, not waiting after a failed delivery attempt",
                    shipment.id, shipment.sub_status
                ),
            ));
        }
        let carrier = self
            .registry
            .booked_with(&shipment.tenant_id, &shipment.carrier_account)
            .ok_or_else(|| {
                ApiError::Unavailable(format!(
                    "carrier account `{}` of shipment {} is not enabled on this gateway",
                    shipment.carrier_account, shipment.id
                ))
            })?;
        let kind = action.kind();
        let family = carrier
            .adapter
            .ndr_actions()
            .filter(|f| f.offers(kind))
            .ok_or_else(|| {
                refused(
                    "/action",
                    "action_not_offered",
                    format!("{} takes no `{}` instruction", carrier.name, kind.as_str()),
                )
            })?;
        let attempt = self
            .store
            .failed_attempts(&[(shipment.id.clone(), shipment.ndr_attempts)])
            .await?
            .pop()
            .map(|(_, a)| a)
            .ok_or_else(|| {
                refused(
                    "/action",
                    "not_awaiting_ndr_action",
                    "the shipment's timeline has no failed delivery attempt",
                )
            })?;
        let id = format!("nda_{}", uuid::Uuid::now_v7().simple());
        let source = match source {
            Source::Api => "api".to_string(),
            Source::Policy { rule } => format!("policy:{rule}"),
            Source::Buyer => "buyer".to_string(),
        };
        let stored = self
            .store
            .ndr_action_add(&NewNdrAction {
                id: &id,
                tenant_id: &shipment.tenant_id,
                shipment_id: &shipment.id,
                action: kind.as_str(),
                params_json: &params.to_string(),
                source: &source,
                attempt: attempt.attempt,
                attempt_event_at: attempt.event_at,
            })
            .await?
            .ok_or_else(|| ApiError::Conflict {
                code: "ndr_action_exists",
                detail: format!(
                    "failed attempt {} of shipment {} already has an instruction; another is \
                     sent only once the carrier rejected it or it expired",
                    attempt.attempt, shipment.id
                ),
                shipment_id: Some(shipment.id.clone()),
            })?;
        metrics::counter!("shipgate_ndr_actions_total", "carrier" => carrier.id, "action" => kind.as_str(), "source" => match source.as_str() { "api" => "api", "buyer" => "buyer", _ => "policy" })
            .increment(1);
        tracing::info!(shipment_id = %shipment.id, action_id = %id, action = kind.as_str(), %source, "sending NDR instruction");
        let sent = observe(
            carrier.transport.account(),
            Operation::NdrAction,
            family.act(&carrier.transport, &shipment.shipment_ref(), &action),
        )
        .await;
        let (state, message, carrier_ref) = match sent {
            Ok(outcome) => (
                if outcome.accepted {
                    NdrState::Accepted
                } else {
                    NdrState::Rejected
                },
                outcome.carrier_message,
                outcome.carrier_ref,
            ),
            Err(CarrierError::Rejected { message, .. }) => (NdrState::Rejected, message, None),
            Err(error) if !error.may_have_happened() => {
                // Nothing reached the carrier: the attempt is free to act on again.
                self.store.ndr_action_forget(&id).await?;
                return Err(ApiError::Carrier {
                    carrier: carrier.id.into(),
                    error,
                    shipment_id: None,
                });
            }
            Err(error) => {
                tracing::warn!(shipment_id = %shipment.id, action_id = %id, %error, "NDR instruction outcome unknown; it stays requested and is settled by the scans that follow");
                return Ok(stored);
            }
        };
        metrics::counter!("shipgate_ndr_action_results_total", "carrier" => carrier.id, "state" => state.as_str())
            .increment(1);
        Ok(self
            .store
            .ndr_action_answer(&id, state, &message, carrier_ref.as_deref())
            .await?
            .unwrap_or(stored))
    }

    /// Lets each tenant's NDR policy decide about the failed attempts nobody decided about
    /// yet: records every decision with its rule, and sends what it says. How many were
    /// decided.
    pub async fn decide_pending(&self) -> Result<usize, ApiError> {
        const BATCH: i64 = 100;
        let waiting = self.store.ndr_undecided(BATCH).await?;
        let mut policies: HashMap<String, Option<(i64, Policy)>> = HashMap::new();
        let mut decided = 0;
        for shipment in waiting {
            if !policies.contains_key(&shipment.tenant_id) {
                let stored = self
                    .store
                    .latest_rule_set(RuleSets::NdrPolicy, &shipment.tenant_id)
                    .await?;
                let parsed = stored.and_then(|s| {
                    serde_json::from_str::<Policy>(&s.rules_json)
                        .map(|p| (s.version, p))
                        .map_err(|e| tracing::error!(tenant_id = %shipment.tenant_id, version = s.version, error = %e, "stored NDR policy unreadable"))
                        .ok()
                });
                policies.insert(shipment.tenant_id.clone(), parsed);
            }
            let Some((version, policy)) = &policies[&shipment.tenant_id] else {
                continue;
            };
            let facts = Facts {
                reason: shipment.sub_status,
                attempt: shipment.ndr_attempts,
                cod: shipment.request.payment.cod_amount().is_some(),
                carrier: &shipment.carrier,
                account: &shipment.carrier_account,
            };
            let rule = policy.decide(&facts);
            let decision = NdrDecisionRow {
                shipment_id: shipment.id.clone(),
                attempt: shipment.ndr_attempts,
                policy_version: *version,
                rule: rule.map(|r| r.name.clone()),
                decision: rule.map_or("none", |r| r.then.as_str()).to_string(),
                action_id: None,
                detail: None,
                decided_at: Utc::now().timestamp_millis(),
            };
            if !self
                .store
                .ndr_decide(&decision, &shipment.tenant_id)
                .await?
            {
                continue;
            }
            decided += 1;
            metrics::counter!("shipgate_ndr_policy_decisions_total", "decision" => decision.decision.clone())
                .increment(1);
            tracing::info!(shipment_id = %shipment.id, attempt = shipment.ndr_attempts, rule = ?decision.rule, decision = %decision.decision, "NDR policy decided");
            let Some(rule) = rule.filter(|r| r.then != Decision::Wait) else {
                continue;
            };
            let input = NdrActionInput {
                action: Some(rule.then.as_str().to_string()),
                ..NdrActionInput::default()
            };
            let (action_id, detail) = match self
                .request(&shipment, &input, Source::Policy { rule: &rule.name })
                .await
            {
                Ok(action) => {
                    let entry = AuditEntry {
                        tenant_id: &shipment.tenant_id,
                        actor: Actor::Policy {
                            rule: rule.name.clone(),
                        },
                        action: "ndr_action.requested",
                        target_type: "shipment",
                        target_id: &shipment.id,
                        before: None,
                        after: serde_json::to_value(action.summary()).ok(),
                        request_id: None,
                    };
                    if let Err(e) = self.store.audit(entry).await {
                        tracing::error!(error = %e, "audit event not recorded");
                    }
                    (Some(action.id), None)
                }
                Err(e) => (None, Some(e.to_string())),
            };
            self.store
                .ndr_decision_outcome(
                    &shipment.id,
                    shipment.ndr_attempts,
                    action_id.as_deref(),
                    detail.as_deref(),
                )
                .await?;
        }
        Ok(decided)
    }

    /// Applies NDR policies and settles open actions every `every` until `stop`; an
    /// action nothing showed within `expire_after` expires.
    pub async fn settle_forever(
        self: Arc<Self>,
        every: Duration,
        expire_after: Duration,
        stop: CancellationToken,
    ) {
        let mut ticks = Ticks::new(every, stop);
        while ticks.next().await {
            if let Err(e) = self.decide_pending().await {
                tracing::warn!(error = %e, "cannot apply NDR policies; trying again");
            }
            let before = Utc::now().timestamp_millis() - expire_after.as_millis() as i64;
            match self.store.ndr_settle(before).await {
                Ok(settled) => {
                    for a in &settled {
                        metrics::counter!("shipgate_ndr_actions_settled_total", "state" => a.state.as_str()).increment(1);
                        tracing::info!(shipment_id = %a.shipment_id, action_id = %a.id, action = %a.action, state = a.state.as_str(), "NDR instruction settled");
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot settle NDR instructions; trying again")
                }
            }
        }
    }
}

/// The instruction `input` describes, and its parameters as stored; every problem at its
/// pointer.
fn parse(
    shipment: &ShipmentRecord,
    input: &NdrActionInput,
) -> Result<(NdrAction, serde_json::Value), ApiError> {
    let mut v = Violations::default();
    let kind = match input.action.as_deref() {
        None => {
            v.add("/action", "required", "the action is required");
            None
        }
        Some(name) => {
            let kind = NdrActionKind::iter().find(|k| k.as_str() == name);
            if kind.is_none() {
                v.add(
                    "/action",
                    "invalid_value",
                    format!(
                        "`{name}` is not an NDR action; use reattempt, reschedule, \
                         change_address, change_phone or rto"
                    ),
                );
            }
            kind
        }
    };
    let date = input.date.as_deref().and_then(|d| date(d, &mut v));
    let country = &shipment.request.to.country;
    let phone = input
        .phone
        .as_deref()
        .and_then(|p| match Phone::parse(p, country) {
            Ok(phone) => Some(phone),
            Err(e) => {
                v.add("/phone", "invalid_phone", e);
                None
            }
        });
    let address = input
        .address
        .as_ref()
        .and_then(|a| Address::parse(a, "/address", &mut v));
    let unused = |v: &mut Violations, field: &str, present: bool, action: &str| {
        if present {
            v.add(
                format!("/{field}"),
                "not_allowed",
                format!("`{action}` takes no `{field}`"),
            );
        }
    };
    let Some(kind) = kind else {
        return Err(ApiError::Validation(v.into_vec()));
    };
    // Stored as understood: the date, the phone and address as normalised.
    let mut params = serde_json::Map::new();
    if let Some(d) = date {
        params.insert("date".into(), d.to_string().into());
    }
    if let Some(p) = &phone {
        params.insert("phone".into(), serde_json::to_value(p).unwrap_or_default());
    }
    if let Some(a) = &address {
        params.insert(
            "address".into(),
            serde_json::to_value(a).unwrap_or_default(),
        );
    }
    let name = kind.as_str();
    let action = match kind {
        NdrActionKind::Reattempt => {
            unused(&mut v, "address", input.address.is_some(), name);
            unused(&mut v, "phone", input.phone.is_some(), name);
            NdrAction::Reattempt { date }
        }
        NdrActionKind::Reschedule => {
            unused(&mut v, "address", input.address.is_some(), name);
            unused(&mut v, "phone", input.phone.is_some(), name);
            if input.date.is_none() {
                v.add(
                    "/date",
                    "required",
                    "a reschedule needs the `date` to deliver on",
                );
            }
            NdrAction::Reschedule {
                date: date.unwrap_or_default(),
            }
        }
        NdrActionKind::ChangeAddress => {
            unused(&mut v, "date", input.date.is_some(), name);
            unused(&mut v, "phone", input.phone.is_some(), name);
            if input.address.is_none() {
                v.add(
                    "/address",
                    "required",
                    "`change_address` needs the corrected `address`",
                );
            }
            match address {
                Some(address) => NdrAction::ChangeAddress {
                    address: Box::new(address),
                },
                None => return Err(ApiError::Validation(v.into_vec())),
            }
        }
        NdrActionKind::ChangePhone => {
            unused(&mut v, "date", input.date.is_some(), name);
            unused(&mut v, "address", input.address.is_some(), name);
            if input.phone.is_none() {
                v.add(
                    "/phone",
                    "required",
                    "`change_phone` needs the buyer's other `phone`",
                );
            }
            match phone {
                Some(phone) => NdrAction::ChangePhone { phone },
                None => return Err(ApiError::Validation(v.into_vec())),
            }
        }
        NdrActionKind::Rto => {
            unused(&mut v, "date", input.date.is_some(), name);
            unused(&mut v, "address", input.address.is_some(), name);
            unused(&mut v, "phone", input.phone.is_some(), name);
            NdrAction::ReturnToOrigin
        }
    };
    v.finish(|| (action, serde_json::Value::Object(params)))
        .map_err(ApiError::Validation)
}

/// A delivery date: today in India or up to [`MAX_DAYS_AHEAD`] days later.
fn date(text: &str, v: &mut Violations) -> Option<NaiveDate> {
    let Ok(date) = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") else {
        v.add(
            "/date",
            "invalid_date",
            format!("`{text}` is not a date (YYYY-MM-DD)"),
        );
        return None;
    };
    let today = crate::selection::today();
    if date < today {
        v.add(
            "/date",
            "date_in_past",
            format!("{date} is in the past (today is {today} in India)"),
        );
        return None;
    }
    if date > today + chrono::Duration::days(MAX_DAYS_AHEAD) {
        v.add(
            "/date",
            "date_too_far",
            format!("{date} is more than {MAX_DAYS_AHEAD} days ahead; carriers return the parcel before then"),
        );
        return None;
    }
    Some(date)
}
