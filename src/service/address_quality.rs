//! Address quality at booking (issue 17): every destination is scored
//! (`carriers::address_quality`) and the tenant's address policy
//! (`service::address_policy`) decides what a low score does — block the booking, refuse
//! cash on delivery, or flag the shipment. The score is stored on the shipment either
//! way, so lists, reports and RTO rates can be cut by band.
//!
//! The booking path (`service::booking::Booking::reserve`) calls [`screen`] before it
//! claims the order, and applies a refusal only once it holds the claim: a retry of an
//! order already booked gets its shipment, whatever the policy says today.

use carriers::address_quality::{Band, assess};
use carriers::schema::{FieldError, ShipmentRequest};

use crate::error::ApiError;
use crate::selection::{Active, PolicyCache};
use crate::service::address_policy::{AddressAction, AddressPolicy};
use crate::store::{AddressQuality, RuleSets, Store, StoredRuleSet};

/// The tenants' address policies, kept in process like their selection rules: every
/// booking needs its tenant's.
pub type AddressPolicies = PolicyCache<AddressPolicy>;

pub fn address_policies(ttl: std::time::Duration) -> AddressPolicies {
    PolicyCache::of(
        RuleSets::AddressPolicy,
        "shipgate_address_policy_cache_total",
        |stored| {
            Ok(Active {
                version: stored.version,
                rules: parse_stored(&stored)?,
                created_at: stored.created_at,
            })
        },
        ttl,
    )
}

/// A destination's assessment and the tenant policy's verdict on it.
pub struct Screening {
    /// Stored on the shipment.
    pub quality: AddressQuality,
    /// Why the booking may not go ahead, when the policy says so.
    pub refusal: Option<ApiError>,
}

/// The tenant's address policy in force and its version (0: the default).
pub async fn policy_in_force(
    store: &Store,
    tenant_id: &str,
) -> Result<(i64, AddressPolicy), ApiError> {
    match store
        .latest_rule_set(RuleSets::AddressPolicy, tenant_id)
        .await?
    {
        Some(stored) => Ok((stored.version, parse_stored(&stored)?)),
        None => Ok((0, AddressPolicy::default_policy())),
    }
}

/// A stored policy version.
pub fn parse_stored(stored: &StoredRuleSet) -> Result<AddressPolicy, ApiError> {
    serde_json::from_str(&stored.rules_json)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("stored address policy: {e}")))
}

/// Scores the booking's destination and applies the tenant's policy.
pub async fn screen(
    store: &Store,
    policies: &AddressPolicies,
    tenant_id: &str,
    req: &ShipmentRequest,
) -> Result<Screening, ApiError> {
    let assessment = assess(&req.to, "/to");
    let active = policies.active(store, tenant_id).await?;
    let default = AddressPolicy::default_policy();
    let (version, policy) = active
        .as_ref()
        .map_or((0, &default), |a| (a.version, &a.rules));
    let cod = req.payment.cod_amount().is_some();
    let rule = policy.decide(&assessment.quality, cod);
    let action = rule.map(|r| r.then);
    let q = assessment.quality;
    metrics::counter!("shipgate_address_scores_total", "band" => q.band.as_str(), "source" => "booking").increment(1);
    metrics::counter!("shipgate_address_policy_decisions_total", "action" => action.map_or("none", AddressAction::as_str)).increment(1);
    let refusal = match (action, rule) {
        (Some(AddressAction::Block), Some(rule)) => {
            let mut errors = vec![FieldError {
                pointer: "/to".into(),
                code: "address_blocked".into(),
                detail: format!(
                    "the destination scores {} ({}); the tenant's address policy (rule `{}`) \
                     does not book such addresses: fix what the other errors point at",
                    q.score,
                    q.band.as_str(),
                    rule.name
                ),
            }];
            errors.extend(reason_errors(&q.reasons));
            Some(ApiError::Validation(errors))
        }
        (Some(AddressAction::RefuseCod), Some(rule)) => {
            let mut errors = vec![FieldError {
                pointer: "/payment".into(),
                code: "cod_not_allowed".into(),
                detail: format!(
                    "cash on delivery is not allowed for this address: it scores {} ({}) and the \
                     tenant's address policy (rule `{}`) refuses COD for such addresses; book \
                     it prepaid, or fix what the other errors point at",
                    q.score,
                    q.band.as_str(),
                    rule.name
                ),
            }];
            errors.extend(reason_errors(&q.reasons));
            Some(ApiError::Validation(errors))
        }
        _ => None,
    };
    Ok(Screening {
        quality: AddressQuality {
            score: q.score,
            band: q.band,
            flagged: action == Some(AddressAction::Flag),
            rule: rule.map(|r| r.name.clone()),
            policy_version: version,
            reasons: q.reasons,
        },
        refusal,
    })
}

/// The findings that cost points, as field errors at their pointers.
fn reason_errors(reasons: &[carriers::address_quality::Reason]) -> Vec<FieldError> {
    reasons
        .iter()
        .filter(|r| r.penalty > 0)
        .map(|r| FieldError {
            pointer: r.pointer.clone(),
            code: r.code.clone(),
            detail: r.detail.clone(),
        })
        .collect()
}

/// Counts a check made through the API (not a booking) in the metrics.
pub fn count_check(band: Band) {
    metrics::counter!("shipgate_address_scores_total", "band" => band.as_str(), "source" => "check").increment(1);
}
