//! Carrier selection: which quote to recommend, and which carrier `"carrier": "auto"`
//! books, decided by each tenant's rules — data managed through the API, not code.
//!
//! - [`rules`]: the rule set schema and its validation (every problem at its pointer);
//! - [`evaluate`]: the pure decision from request facts, rules and quotes;
//! - [`cache`]: the active rule set per tenant in memory (no query per rate request);
//! - [`plan`]: the candidates a booking would try, shared by `auto` and dry runs;
//! - [`booking`]: `auto` booking, falling back to the next candidate only after a refusal
//!   that cannot have booked.
//!
//! This file gathers a request's facts and answers the rates endpoint's recommendation.

pub mod booking;
pub mod cache;
pub mod evaluate;
pub mod plan;
pub mod rules;

use std::collections::BTreeSet;
use std::sync::Arc;

use carriers::ratecard::{india, zone};
use carriers::schema::{FieldError, Money, Objective, RateQuote, RateRequest};
use chrono::{FixedOffset, NaiveDate, Utc};
use serde::Serialize;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;
use utoipa::{PartialSchema, ToSchema};

use crate::error::ApiError;
use crate::store::Store;
pub use cache::{Active, ActiveRuleSet, PolicyCache, RuleCache};
pub use evaluate::{Evaluation, Facts};
pub use rules::RuleSet;

/// Today in India, where carriers count delivery days and promise dates.
pub fn today() -> NaiveDate {
    let ist = FixedOffset::east_opt(5 * 3600 + 30 * 60).expect("valid offset");
    Utc::now().with_timezone(&ist).date_naive()
}

/// The facts rules are evaluated on, from a rate request (a booking's is built from it).
pub fn facts(req: &RateRequest, today: NaiveDate) -> Facts {
    let table = india();
    let locate = |a: &carriers::schema::Address| {
        (a.country == "IN")
            .then(|| table.lookup(a.postal_code.as_str()))
            .flatten()
    };
    let (from, to) = (locate(&req.from), locate(&req.to));
    let dims: Vec<(u32, u64)> = req
        .parcels
        .iter()
        .filter_map(|p| {
            let longest = p.length_mm?.max(p.width_mm?).max(p.height_mm?);
            Some((longest, p.volume_mm3()?))
        })
        .collect();
    // Dimensions count only when every parcel has them: half a consignment's volume is
    // not its volume.
    let all_dims = !req.parcels.is_empty() && dims.len() == req.parcels.len();
    let declared: Vec<i64> = req
        .parcels
        .iter()
        .filter_map(|p| p.declared_value.as_ref().map(|m| m.amount))
        .collect();
    Facts {
        zone: from.zip(to).map(|(f, t)| zone::decide(&f, &t).zone),
        dest_state: to.map(|t| t.state.code.to_string()),
        dest_pincode: to.map(|t| t.pincode),
        weight_g: req.parcels.iter().map(|p| u64::from(p.weight_g)).sum(),
        longest_side_mm: all_dims.then(|| dims.iter().map(|d| d.0).max()).flatten(),
        // Rounded up, so a parcel of any size has a volume of at least 1 cm³.
        volume_cm3: all_dims.then(|| dims.iter().map(|d| d.1).sum::<u64>().div_ceil(1000)),
        payment: req.payment.mode(),
        cod_amount: req.payment.cod_amount().map(|m| m.amount),
        declared_value: (!declared.is_empty()).then(|| declared.iter().sum()),
        tags: req.selection.tags.iter().cloned().collect::<BTreeSet<_>>(),
        deliver_by: req.selection.deliver_by,
        today,
        lane_history: evaluate::LaneHistory::default(),
    }
}

/// Process-wide selection state: the tenants' rule sets, cached, and the store they are
/// read from on a miss. Rate recommendations and `auto` bookings decide through it.
pub struct Selection {
    pub cache: RuleCache,
    store: Store,
    /// Lane history: for `prefer_best` rules and delivery estimates on quotes.
    pub scores: Arc<crate::analytics::Scores>,
}

impl Selection {
    pub fn new(
        store: Store,
        cache_ttl: std::time::Duration,
        scores: Arc<crate::analytics::Scores>,
    ) -> Selection {
        Selection {
            cache: RuleCache::new(cache_ttl),
            store,
            scores,
        }
    }

    /// The lane history the `prefer_best` rules of `set` compare, for `quotes`' accounts
    /// (from memory: `analytics::Scores`).
    async fn lane_history(
        &self,
        tenant_id: &str,
        set: &RuleSet,
        req: &RateRequest,
        quotes: &[RateQuote],
        today: NaiveDate,
    ) -> Result<evaluate::LaneHistory, ApiError> {
        let windows: BTreeSet<u32> = set
            .rules
            .iter()
            .filter_map(|r| match r.then {
                rules::Action::PreferBest { window_days, .. } => Some(window_days),
                _ => None,
            })
            .collect();
        let lane = crate::analytics::Lane {
            origin: crate::analytics::region(&req.from),
            destination: crate::analytics::region(&req.to),
        };
        let mut history = evaluate::LaneHistory::default();
        for window in windows {
            let lanes = self.scores.lanes(tenant_id, window, today).await?;
            for q in quotes {
                let key = (q.carrier_account.clone(), lane.clone());
                if let Some(stats) = lanes.get(&key) {
                    history
                        .stats
                        .insert((window, q.carrier_account.clone()), stats.clone());
                }
            }
        }
        history.lane = Some(lane);
        Ok(history)
    }

    /// Evaluates the tenant's active rules for `req`, refusing a request whose own
    /// objective cannot be met (`cheapest_within_promise` with no date to keep).
    pub async fn decide(
        &self,
        tenant_id: &str,
        req: &RateRequest,
        quotes: &[RateQuote],
    ) -> Result<(Option<Arc<ActiveRuleSet>>, Evaluation), ApiError> {
        let active = self.cache.active(&self.store, tenant_id).await?;
        let default = RuleSet::default();
        let set = active.as_ref().map_or(&default, |a| &a.rules);
        if req.selection.objective == Some(Objective::CheapestWithinPromise)
            && req.selection.deliver_by.is_none()
            && set.promise_days.is_none()
        {
            return Err(ApiError::Validation(vec![FieldError {
                pointer: "/deliver_by".into(),
                code: "required".into(),
                detail: "the objective cheapest_within_promise needs the promised date \
                         (YYYY-MM-DD), since the tenant's rule set has no promise_days"
                    .into(),
            }]));
        }
        let today = today();
        let mut facts = facts(req, today);
        facts.lane_history = self
            .lane_history(tenant_id, set, req, quotes, today)
            .await?;
        let evaluation = evaluate::evaluate(set, &facts, quotes, req.selection.objective);
        Ok((active, evaluation))
    }

    /// The recommendation for a rate response, and the quotes the rules leave as
    /// candidates, best first (the recommended one, then its alternatives).
    pub async fn recommend(
        &self,
        tenant_id: &str,
        req: &RateRequest,
        quotes: &[RateQuote],
    ) -> Result<(Recommendation, Vec<RateQuote>), ApiError> {
        let (active, evaluation) = self.decide(tenant_id, req, quotes).await?;
        let ranked: Vec<RateQuote> = evaluation.ranked.into_iter().map(|c| c.quote).collect();
        let mut rest = ranked.iter();
        let recommendation = Recommendation {
            quote: rest.next().cloned(),
            objective: evaluation.objective,
            rule_set_version: active.map(|a| a.version),
            reasons: evaluation.reasons,
            alternatives: rest
                .map(|q| Alternative {
                    carrier: q.carrier.clone(),
                    service: q.service.clone(),
                    total: q.total.clone(),
                })
                .collect(),
        };
        Ok((recommendation, ranked))
    }
}

/// The rate response's recommendation: the quote to book and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Recommendation {
    // The recommended quote's fields (`carrier`, `service`, `total`, …); absent when no
    // quote survives the rules, and `reasons` then says why. (Said by `QuoteFields`: a
    // doc comment here would wrap its schema in one more `allOf`.)
    #[serde(flatten)]
    #[schema(inline, value_type = QuoteFields)]
    pub quote: Option<RateQuote>,
    pub objective: Objective,
    /// The rule set version followed; absent when the tenant has no rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_set_version: Option<i64>,
    /// In order: which rules matched, conflicts, quotes dropped and why, the winner.
    pub reasons: Vec<String>,
    /// The other candidates, best first: what `carrier: auto` would fall back to.
    pub alternatives: Vec<Alternative>,
}

/// The schema of [`Recommendation::quote`] flattened: a [`RateQuote`]'s properties, none
/// of them required, since they are all absent when no quote survives. (The derived schema
/// of the flattened `Option` would be "a quote or `null`", and an object without the
/// quote's fields is neither.)
pub struct QuoteFields;

impl PartialSchema for QuoteFields {
    fn schema() -> RefOr<Schema> {
        let mut schema = <RateQuote as PartialSchema>::schema();
        if let RefOr::T(Schema::Object(quote)) = &mut schema {
            quote.required.clear();
            quote.description = Some(
                "The recommended quote's fields (`carrier`, `service`, `total`, …); absent \
                 when no quote survives the rules, and `reasons` then says why."
                    .into(),
            );
        }
        schema
    }
}

impl ToSchema for QuoteFields {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        <RateQuote as ToSchema>::schemas(schemas);
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Alternative {
    pub carrier: String,
    pub service: String,
    pub total: Money,
}

#[cfg(test)]
mod tests {
    use carriers::schema::{PaymentMode, RateRequestInput};
    use serde_json::json;

    use super::*;

    fn request(body: serde_json::Value) -> RateRequest {
        let input: RateRequestInput = serde_json::from_value(body).unwrap();
        RateRequest::parse(&input).unwrap()
    }

    fn address(pin: &str) -> serde_json::Value {
        json!({"name": "A", "phone": "9876543210", "line1": "1 Road", "city": "X", "postal_code": pin})
    }

    #[test]
    fn facts_come_from_the_pincodes_parcels_payment_and_hints() {
        let req = request(json!({
            "from": address("110001"), "to": address("560001"),
            "parcels": [
                {"weight_g": 500, "length_mm": 300, "width_mm": 100, "height_mm": 101,
                 "declared_value": {"amount": 1000, "currency": "INR"}},
                {"weight_g": 250, "length_mm": 10, "width_mm": 10, "height_mm": 10,
                 "declared_value": {"amount": 500, "currency": "INR"}}
            ],
            "payment": {"mode": "cod", "cod_amount": {"amount": 150000, "currency": "INR"}},
            "tags": ["Fragile"], "deliver_by": "2026-03-05"
        }));
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let f = facts(&req, today);
        assert_eq!(f.zone, Some(carriers::ratecard::Zone::MetroToMetro));
        assert_eq!(f.dest_state.as_deref(), Some("KA"));
        assert_eq!(f.dest_pincode, Some(560001));
        assert_eq!(f.weight_g, 750);
        assert_eq!(f.longest_side_mm, Some(300));
        // 3030 cm³ + 1 cm³.
        assert_eq!(f.volume_cm3, Some(3031));
        assert_eq!(f.payment, PaymentMode::Cod);
        assert_eq!(f.cod_amount, Some(150000));
        assert_eq!(f.declared_value, Some(1500));
        assert!(f.tags.contains("fragile"));
        assert_eq!(f.deliver_by, NaiveDate::from_ymd_opt(2026, 3, 5));
    }

    #[test]
    fn missing_facts_stay_unknown() {
        let req = request(json!({
            "from": address("110001"), "to": address("999999"),
            "parcels": [{"weight_g": 500, "length_mm": 300, "width_mm": 100, "height_mm": 100}, {"weight_g": 1}],
            "payment": {"mode": "prepaid"}
        }));
        let f = facts(&req, NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
        assert_eq!((f.zone, f.dest_state, f.dest_pincode), (None, None, None));
        assert_eq!((f.longest_side_mm, f.volume_cm3), (None, None));
        assert_eq!(
            (f.cod_amount, f.declared_value, f.deliver_by),
            (None, None, None)
        );
    }
}
