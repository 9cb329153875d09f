//! NDR policies (issue 17): a tenant's standing orders for failed deliveries, as data.
//!
//! Most NDR decisions are the same every time — re-attempt once when the buyer was out,
//! return a refused COD parcel, wait for the OMS when the address is wrong — and an
//! operations team should spend its time on the rest. A policy is a list of rules, the
//! first that matches a failed attempt decides, and every decision is recorded with the
//! rule and the policy version that made it, so "why did this parcel come back?" has an
//! answer. Policies are versioned like the selection rules (`store::rule_sets`).

use carriers::schema::{FieldError, Violations};
use carriers::taxonomy::{Status, SubStatus};
use serde::{Deserialize, Serialize};
use strum::VariantArray;
use utoipa::ToSchema;

pub use super::policy_rules::MAX_RULES;
const MAX_NAME: usize = 100;

/// A policy as uploaded.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyInput {
    /// Tried in order; the first that matches a failed attempt decides. 1 to 50.
    #[schema(value_type = Vec<RuleInput>, min_items = 1, max_items = 50)]
    rules: Option<Vec<RuleInput>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = NdrRuleInput)]
pub struct RuleInput {
    /// Unique in the policy, 1 to 100 characters: decisions name it.
    #[schema(value_type = String)]
    name: Option<String>,
    /// What a failed attempt must be for the rule to apply; absent: every one.
    when: Option<WhenInput>,
    /// `reattempt`, `rto`, or `wait` (record the decision, send nothing: the OMS or an
    /// operator decides).
    #[schema(value_type = String)]
    then: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WhenInput {
    /// Why the attempt failed: sub-statuses of `delivery_failed` (`customer_unavailable`,
    /// `refused`, `address_issue`, …); any of them.
    reasons: Option<Vec<String>>,
    /// The attempt's number (1 for the first failed attempt), at least `min`, at most
    /// `max`.
    attempts: Option<RangeInput>,
    /// `cod` or `prepaid`.
    payment: Option<String>,
    /// Carrier ids or carrier account ids; any of them.
    carriers: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = NdrRangeInput)]
pub struct RangeInput {
    min: Option<i64>,
    max: Option<i64>,
}

/// A validated policy, as stored and shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Policy {
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(as = NdrRule)]
pub struct Rule {
    pub name: String,
    pub when: When,
    pub then: Decision,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct When {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasons: Option<Vec<SubStatus>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts_min: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts_max: Option<i64>,
    /// `true`: cash on delivery only; `false`: prepaid only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cod: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carriers: Option<Vec<String>>,
}

/// What a rule decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Reattempt,
    Rto,
    /// Send nothing; the decision is recorded.
    Wait,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Reattempt => "reattempt",
            Decision::Rto => "rto",
            Decision::Wait => "wait",
        }
    }
}

/// What a policy looks at in a failed attempt.
pub struct Facts<'a> {
    pub reason: SubStatus,
    pub attempt: i64,
    pub cod: bool,
    pub carrier: &'a str,
    pub account: &'a str,
}

impl Policy {
    /// Validates an upload; every problem at its pointer.
    pub fn parse(input: &PolicyInput) -> Result<Policy, Vec<FieldError>> {
        let mut v = Violations::default();
        let rules =
            super::policy_rules::parse(input.rules.as_deref(), |r| r.name.as_deref(), rule, &mut v);
        v.finish(|| Policy { rules })
    }

    /// The first rule that matches, if any.
    pub fn decide(&self, facts: &Facts<'_>) -> Option<&Rule> {
        self.rules.iter().find(|r| r.when.matches(facts))
    }
}

impl When {
    fn matches(&self, f: &Facts<'_>) -> bool {
        self.reasons.as_ref().is_none_or(|r| r.contains(&f.reason))
            && self.attempts_min.is_none_or(|min| f.attempt >= min)
            && self.attempts_max.is_none_or(|max| f.attempt <= max)
            && self.cod.is_none_or(|cod| cod == f.cod)
            && self
                .carriers
                .as_ref()
                .is_none_or(|c| c.iter().any(|c| c == f.carrier || c == f.account))
    }
}

fn rule(input: &RuleInput, at: &str, v: &mut Violations) -> Option<Rule> {
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
        Some("reattempt") => Some(Decision::Reattempt),
        Some("rto") => Some(Decision::Rto),
        Some("wait") => Some(Decision::Wait),
        other => {
            v.add(
                format!("{at}/then"),
                if other.is_none() {
                    "required"
                } else {
                    "invalid_value"
                },
                "a rule's `then` is reattempt, rto or wait",
            );
            None
        }
    };
    let when = input
        .when
        .as_ref()
        .map(|w| when(w, &format!("{at}/when"), v))
        .unwrap_or_default();
    Some(Rule {
        name: name?,
        when,
        then: then?,
    })
}

fn when(input: &WhenInput, at: &str, v: &mut Violations) -> When {
    let reasons = input.reasons.as_ref().map(|list| {
        if list.is_empty() {
            v.add(
                format!("{at}/reasons"),
                "invalid_length",
                "list at least one reason",
            );
        }
        list.iter()
            .enumerate()
            .filter_map(|(i, name)| {
                let found = SubStatus::VARIANTS
                    .iter()
                    .copied()
                    .find(|s| s.as_str() == name && s.status() == Status::DeliveryFailed);
                if found.is_none() {
                    let known: Vec<&str> = SubStatus::VARIANTS
                        .iter()
                        .filter(|s| s.status() == Status::DeliveryFailed)
                        .map(|s| s.as_str())
                        .collect();
                    v.add(
                        format!("{at}/reasons/{i}"),
                        "invalid_value",
                        format!(
                            "`{name}` is not a failed-delivery reason; use one of {}",
                            known.join(", ")
                        ),
                    );
                }
                found
            })
            .collect()
    });
    let (attempts_min, attempts_max) = match &input.attempts {
        None => (None, None),
        Some(range) => {
            for (key, value) in [("min", range.min), ("max", range.max)] {
                if value.is_some_and(|n| !(1..=20).contains(&n)) {
                    v.add(
                        format!("{at}/attempts/{key}"),
                        "out_of_range",
                        "an attempt number is 1 to 20",
                    );
                }
            }
            if let (Some(min), Some(max)) = (range.min, range.max)
                && min > max
            {
                v.add(format!("{at}/attempts"), "invalid_range", "min exceeds max");
            }
            (range.min, range.max)
        }
    };
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
    if let Some(list) = &input.carriers {
        if list.is_empty() {
            v.add(
                format!("{at}/carriers"),
                "invalid_length",
                "list at least one carrier",
            );
        }
        for (i, c) in list.iter().enumerate() {
            if c.trim().is_empty() {
                v.add(
                    format!("{at}/carriers/{i}"),
                    "invalid_value",
                    "a carrier or account id",
                );
            }
        }
    }
    When {
        reasons,
        attempts_min,
        attempts_max,
        cod,
        carriers: input.carriers.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(json: serde_json::Value) -> Result<Policy, Vec<FieldError>> {
        Policy::parse(&serde_json::from_value(json).unwrap())
    }

    fn facts(reason: SubStatus, attempt: i64, cod: bool) -> Facts<'static> {
        Facts {
            reason,
            attempt,
            cod,
            carrier: "delhivery",
            account: "ca_1",
        }
    }

    #[test]
    fn the_first_matching_rule_decides() {
        let p = policy(serde_json::json!({"rules": [
            {"name": "refused cod back", "when": {"reasons": ["refused"], "payment": "cod"}, "then": "rto"},
            {"name": "address: ask the OMS", "when": {"reasons": ["address_issue"]}, "then": "wait"},
            {"name": "third strike", "when": {"attempts": {"min": 3}}, "then": "rto"},
            {"name": "out once: again", "when": {"reasons": ["customer_unavailable"], "attempts": {"max": 1}}, "then": "reattempt"},
        ]}))
        .unwrap();
        let name = |f: Facts<'_>| p.decide(&f).map(|r| r.name.as_str());
        use SubStatus::*;
        assert_eq!(name(facts(Refused, 1, true)), Some("refused cod back"));
        assert_eq!(name(facts(Refused, 1, false)), None);
        assert_eq!(
            name(facts(AddressIssue, 5, false)),
            Some("address: ask the OMS")
        );
        assert_eq!(
            name(facts(CustomerUnavailable, 1, false)),
            Some("out once: again")
        );
        assert_eq!(name(facts(CustomerUnavailable, 2, false)), None);
        assert_eq!(
            name(facts(CustomerUnavailable, 3, false)),
            Some("third strike")
        );
    }

    #[test]
    fn every_problem_is_reported_at_its_pointer() {
        let errors = policy(serde_json::json!({"rules": [
            {"name": "a", "when": {"reasons": ["delivered", "refused"], "attempts": {"min": 3, "max": 2}, "payment": "card"}, "then": "deliver"},
            {"name": "a", "then": "wait"},
            {"then": "rto", "when": {"carriers": []}},
        ]}))
        .unwrap_err();
        let mut pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
        pointers.sort();
        assert_eq!(
            pointers,
            [
                "/rules/0/then",
                "/rules/0/when/attempts",
                "/rules/0/when/payment",
                "/rules/0/when/reasons/0",
                "/rules/1/name",
                "/rules/2/name",
                "/rules/2/when/carriers",
            ]
        );
        assert!(policy(serde_json::json!({"rules": []})).is_err());
        assert!(policy(serde_json::json!({})).is_err());
    }
}
