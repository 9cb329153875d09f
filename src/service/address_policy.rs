//! Address policies (issue 17): what a tenant wants done with a booking whose destination
//! scores low, as data.
//!
//! Sellers differ: a marketplace may refuse to ship to junk, a D2C brand may still ship a
//! poor address prepaid but never risk cash on delivery on it (a refused COD parcel is an
//! RTO paid both ways and no money), another only wants the order flagged for a call.
//! A policy is a list of rules; the first that matches a booking decides. Without one a
//! tenant gets the default, which only flags poor addresses and never stops a booking.
//! Versioned like the selection rules and NDR policies (`store::rule_sets`); every
//! booking records the version and rule that decided it.

use carriers::address_quality::{Band, Quality, REASONS};
use carriers::schema::{FieldError, Violations};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use super::policy_rules::MAX_RULES;
const MAX_NAME: usize = 100;

/// A policy as uploaded.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressPolicyInput {
    /// Tried in order; the first that matches a booking decides. 1 to 50.
    #[schema(value_type = Vec<AddressRuleInput>, min_items = 1, max_items = 50)]
    rules: Option<Vec<AddressRuleInput>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressRuleInput {
    /// Unique in the policy, 1 to 100 characters: bookings name it.
    #[schema(value_type = String)]
    name: Option<String>,
    /// What the destination's assessment must be for the rule to apply; absent: every
    /// booking.
    when: Option<AddressWhenInput>,
    /// `block` (refuse the booking: 422 with the reasons at their pointers), `refuse_cod`
    /// (refuse cash on delivery: 422 at `/payment`; applies to COD bookings only),
    /// `flag` (book it, flagged) or `allow` (book it, not flagged).
    #[schema(value_type = String)]
    then: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressWhenInput {
    /// `good`, `fair`, `poor`; any of them.
    bands: Option<Vec<String>>,
    /// The score (0 to 100), at least `min`, at most `max`.
    score: Option<ScoreRangeInput>,
    /// Reason codes the assessment gives (`pincode_unknown`, `phone_sequence`, …); any
    /// of them.
    reasons: Option<Vec<String>>,
    /// `cod` or `prepaid`.
    payment: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreRangeInput {
    min: Option<i64>,
    max: Option<i64>,
}

/// A validated policy, as stored and shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AddressPolicy {
    pub rules: Vec<AddressRule>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AddressRule {
    pub name: String,
    pub when: AddressWhen,
    pub then: AddressAction,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AddressWhen {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bands: Option<Vec<Band>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score_min: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score_max: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasons: Option<Vec<String>>,
    /// `true`: cash on delivery only; `false`: prepaid only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cod: Option<bool>,
}

/// What a rule does to a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AddressAction {
    Block,
    RefuseCod,
    Flag,
    Allow,
}

impl AddressAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AddressAction::Block => "block",
            AddressAction::RefuseCod => "refuse_cod",
            AddressAction::Flag => "flag",
            AddressAction::Allow => "allow",
        }
    }
}

impl AddressPolicy {
    /// What a tenant without a policy gets: poor addresses flagged, nothing refused.
    pub fn default_policy() -> AddressPolicy {
        AddressPolicy {
            rules: vec![AddressRule {
                name: "default: flag poor addresses".into(),
                when: AddressWhen {
                    bands: Some(vec![Band::Poor]),
                    ..AddressWhen::default()
                },
                then: AddressAction::Flag,
            }],
        }
    }

    /// Validates an upload; every problem at its pointer.
    pub fn parse(input: &AddressPolicyInput) -> Result<AddressPolicy, Vec<FieldError>> {
        let mut v = Violations::default();
        let rules =
            super::policy_rules::parse(input.rules.as_deref(), |r| r.name.as_deref(), rule, &mut v);
        v.finish(|| AddressPolicy { rules })
    }

    /// The first rule that matches a booking with this assessment (`cod`: whether it is
    /// cash on delivery). A `refuse_cod` rule matches COD bookings only.
    pub fn decide(&self, quality: &Quality, cod: bool) -> Option<&AddressRule> {
        self.rules
            .iter()
            .find(|r| (r.then != AddressAction::RefuseCod || cod) && r.when.matches(quality, cod))
    }
}

impl AddressWhen {
    fn matches(&self, q: &Quality, cod: bool) -> bool {
        self.bands.as_ref().is_none_or(|b| b.contains(&q.band))
            && self.score_min.is_none_or(|min| q.score >= min)
            && self.score_max.is_none_or(|max| q.score <= max)
            && self.cod.is_none_or(|c| c == cod)
            && self
                .reasons
                .as_ref()
                .is_none_or(|codes| q.reasons.iter().any(|r| codes.contains(&r.code)))
    }
}

fn rule(input: &AddressRuleInput, at: &str, v: &mut Violations) -> Option<AddressRule> {
    let name = match input.name.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() && n.chars().count() <= MAX_NAME => Some(n.to_string()),
        _ => {
            v.add(
                format!("{at}/name"),
                "invalid_name",
                format!("a rule has a name of 1 to {MAX_NAME} characters"),
            );
            None
        }
    };
    let then = match input.then.as_deref() {
        Some("block") => Some(AddressAction::Block),
        Some("refuse_cod") => Some(AddressAction::RefuseCod),
        Some("flag") => Some(AddressAction::Flag),
        Some("allow") => Some(AddressAction::Allow),
        other => {
            v.add(
                format!("{at}/then"),
                if other.is_none() {
                    "required"
                } else {
                    "invalid_value"
                },
                "a rule's `then` is block, refuse_cod, flag or allow",
            );
            None
        }
    };
    let when = input
        .when
        .as_ref()
        .map(|w| when(w, &format!("{at}/when"), v))
        .unwrap_or_default();
    if then == Some(AddressAction::RefuseCod) && when.cod == Some(false) {
        v.add(
            format!("{at}/when/payment"),
            "invalid_value",
            "a refuse_cod rule applies to cash-on-delivery bookings only: drop `payment: prepaid`",
        );
    }
    Some(AddressRule {
        name: name?,
        when,
        then: then?,
    })
}

fn when(input: &AddressWhenInput, at: &str, v: &mut Violations) -> AddressWhen {
    let bands = input.bands.as_ref().map(|list| {
        if list.is_empty() {
            v.add(
                format!("{at}/bands"),
                "invalid_length",
                "list at least one band",
            );
        }
        list.iter()
            .enumerate()
            .filter_map(|(i, name)| {
                let band = Band::parse(name);
                if band.is_none() {
                    v.add(
                        format!("{at}/bands/{i}"),
                        "invalid_value",
                        format!("`{name}` is not a band; use good, fair or poor"),
                    );
                }
                band
            })
            .collect()
    });
    let (mut score_min, mut score_max) = (None, None);
    if let Some(range) = &input.score {
        for (key, value, slot) in [
            ("min", range.min, &mut score_min),
            ("max", range.max, &mut score_max),
        ] {
            match value {
                None => {}
                Some(n) if (0..=100).contains(&n) => *slot = Some(n as u8),
                Some(_) => v.add(
                    format!("{at}/score/{key}"),
                    "out_of_range",
                    "a score is 0 to 100",
                ),
            }
        }
        if let (Some(min), Some(max)) = (range.min, range.max)
            && min > max
        {
            v.add(format!("{at}/score"), "invalid_range", "min exceeds max");
        }
    }
    let reasons = input.reasons.as_ref().map(|list| {
        if list.is_empty() {
            v.add(
                format!("{at}/reasons"),
                "invalid_length",
                "list at least one reason code",
            );
        }
        for (i, code) in list.iter().enumerate() {
            if !REASONS.iter().any(|(c, _)| c == code) {
                let known: Vec<&str> = REASONS.iter().map(|(c, _)| *c).collect();
                v.add(
                    format!("{at}/reasons/{i}"),
                    "invalid_value",
                    format!(
                        "`{code}` is not a reason code; use one of {}",
                        known.join(", ")
                    ),
                );
            }
        }
        list.clone()
    });
    let cod = match input.payment.as_deref() {
        None => None,
        Some("cod") => Some(true),
        Some("prepaid") => Some(false),
        Some(other) => {
            v.add(
                format!("{at}/payment"),
                "invalid_value",
                format!("`{other}` is not a payment mode; use cod or prepaid"),
            );
            None
        }
    };
    AddressWhen {
        bands,
        score_min,
        score_max,
        reasons,
        cod,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use carriers::address_quality::Reason;

    fn policy(json: serde_json::Value) -> Result<AddressPolicy, Vec<FieldError>> {
        AddressPolicy::parse(&serde_json::from_value(json).unwrap())
    }

    fn quality(score: u8, codes: &[&str]) -> Quality {
        Quality {
            score,
            band: Band::of(score),
            reasons: codes
                .iter()
                .map(|c| Reason {
                    code: c.to_string(),
                    pointer: "/to/x".into(),
                    detail: String::new(),
                    penalty: 1,
                })
                .collect(),
        }
    }

    #[test]
    fn the_first_matching_rule_decides() {
        let p = policy(serde_json::json!({"rules": [
            {"name": "unknown pin: block", "when": {"reasons": ["pincode_unknown"]}, "then": "block"},
            {"name": "no COD below 70", "when": {"score": {"max": 69}}, "then": "refuse_cod"},
            {"name": "poor prepaid: flag", "when": {"bands": ["poor"]}, "then": "flag"},
            {"name": "rest", "then": "allow"},
        ]}))
        .unwrap();
        let name = |q: Quality, cod: bool| p.decide(&q, cod).map(|r| r.name.as_str());
        assert_eq!(
            name(quality(90, &["pincode_unknown"]), false),
            Some("unknown pin: block")
        );
        assert_eq!(name(quality(60, &[]), true), Some("no COD below 70"));
        // A refuse_cod rule passes prepaid bookings on to the next rule.
        assert_eq!(name(quality(40, &[]), false), Some("poor prepaid: flag"));
        assert_eq!(name(quality(60, &[]), false), Some("rest"));
        assert_eq!(name(quality(95, &[]), true), Some("rest"));
    }

    #[test]
    fn the_default_only_flags_poor_addresses() {
        let p = AddressPolicy::default_policy();
        assert_eq!(
            p.decide(&quality(10, &[]), true).map(|r| r.then),
            Some(AddressAction::Flag)
        );
        assert_eq!(p.decide(&quality(60, &[]), true), None);
        assert!(p.rules.iter().all(|r| r.then == AddressAction::Flag));
    }

    #[test]
    fn every_problem_is_reported_at_its_pointer() {
        let errors = policy(serde_json::json!({"rules": [
            {"name": "a", "when": {"bands": ["bad"], "score": {"min": 80, "max": 120}, "payment": "card", "reasons": ["nope"]}, "then": "deny"},
            {"name": "a", "then": "flag"},
            {"then": "refuse_cod", "when": {"payment": "prepaid", "bands": []}},
        ]}))
        .unwrap_err();
        let mut pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
        pointers.sort();
        assert_eq!(
            pointers,
            [
                "/rules/0/then",
                "/rules/0/when/bands/0",
                "/rules/0/when/payment",
                "/rules/0/when/reasons/0",
                "/rules/0/when/score/max",
                "/rules/1/name",
                "/rules/2/name",
                "/rules/2/when/bands",
                "/rules/2/when/payment",
            ]
        );
        assert!(policy(serde_json::json!({"rules": []})).is_err());
        assert!(policy(serde_json::json!({})).is_err());
    }
}
