//! The rule set schema: what a tenant uploads ([`RuleSetInput`]) and the validated
//! [`RuleSet`] it becomes.
//!
//! Rules are data an operations person writes by hand, so a mistake must come back as a
//! list of every problem with its exact place (`/rules/2/when/weight_g/max`), never as a
//! rule that silently matches everything. Unknown fields are refused for the same reason.
//! A [`RuleSet`] serialises to the same shape it is uploaded in, so what `GET` returns can
//! be edited and `PUT` back as it is.

use std::collections::BTreeSet;
use std::fmt;

use carriers::ratecard::{Zone, india};

pub use crate::analytics::cache::LaneMetric;
use carriers::schema::{FieldError, Objective, PaymentMode, Tag, Violations, parse_tags};
use serde::{Deserialize, Serialize};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{Array, ArrayBuilder, ObjectBuilder, Schema, SchemaType, Type};
use utoipa::{PartialSchema, ToSchema};

/// Limits that keep one tenant's rule set evaluable in microseconds.
pub const MAX_RULES: usize = 200;
const MAX_LIST: usize = 200;
const MAX_NAME: usize = 100;
const MAX_PROMISE_DAYS: i64 = 60;
/// `prefer_best`: the longest window, as the scorecards' longest period.
pub const MAX_WINDOW_DAYS: i64 = 366;
const MAX_MIN_SHIPMENTS: i64 = 1_000_000;

/// A rule set as uploaded with `PUT /v1/selection-rules`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleSetInput {
    /// `cheapest` when absent; a request's own `objective` overrides it.
    #[schema(value_type = Option<Objective>, example = "cheapest")]
    pub objective: Option<String>,
    /// For `cheapest_within_promise` when a request has no `deliver_by`: the promise is
    /// this many days from today, 0 to 60.
    #[schema(example = 4, minimum = 0, maximum = 60)]
    pub promise_days: Option<i64>,
    /// Evaluated in order, at most 200; see docs/rate-cards-and-selection.md, "Carrier
    /// selection", for how matching rules combine. No rules when absent.
    #[schema(max_items = 200)]
    pub rules: Option<Vec<RuleInput>>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleInput {
    /// Shown in the reasons of a recommendation; at most 100 characters, surrounding
    /// whitespace not counted.
    #[schema(example = "COD to the north-east", pattern = r"^\s*[\s\S]{0,100}\s*$")]
    pub name: Option<String>,
    /// Every condition given must hold; no conditions means the rule always matches.
    pub when: Option<ConditionsInput>,
    /// What a matching rule does.
    #[schema(value_type = ActionInput)]
    pub then: Option<ActionInput>,
}

/// Conditions on a request. A list given is never empty and has at most 200 entries
/// (tags: 20).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConditionsInput {
    /// Any of these zones, decided from the two PIN codes.
    #[schema(value_type = Option<Vec<Zone>>, min_items = 1, max_items = 200)]
    pub zones: Option<Vec<String>>,
    /// Any of these destination states, as ISO 3166-2:IN codes (`KA`, `MH`, `AS`…; either
    /// case).
    #[schema(schema_with = dest_states_schema)]
    pub dest_states: Option<Vec<String>>,
    /// Any of these destination PIN codes or inclusive ranges (`"560001"`,
    /// `"560001-560099"`).
    #[schema(value_type = Option<Vec<PinRange>>, min_items = 1, max_items = 200)]
    pub dest_pincodes: Option<Vec<String>>,
    /// Total dead weight of the parcels, grams.
    pub weight_g: Option<RangeInput>,
    /// Longest side of any parcel, millimetres (requests without dimensions never match).
    pub longest_side_mm: Option<RangeInput>,
    /// Total volume of the parcels, cubic centimetres (requests without dimensions never match).
    pub volume_cm3: Option<RangeInput>,
    #[schema(value_type = Option<PaymentMode>)]
    pub payment_mode: Option<String>,
    /// Amount to collect, minor units (prepaid requests never match, so not with
    /// `payment_mode: prepaid`).
    pub cod_amount: Option<RangeInput>,
    /// Total declared value of the parcels, minor units (requests without one never match).
    pub declared_value: Option<RangeInput>,
    /// The order has at least one of these tags.
    #[schema(value_type = Option<Vec<Tag>>, min_items = 1, max_items = 20)]
    pub tags_any: Option<Vec<String>>,
    /// The order has all of these tags.
    #[schema(value_type = Option<Vec<Tag>>, min_items = 1, max_items = 20)]
    pub tags_all: Option<Vec<String>>,
    /// The order has none of these tags.
    #[schema(value_type = Option<Vec<Tag>>, min_items = 1, max_items = 20)]
    pub tags_none: Option<Vec<String>>,
    /// Days from today to the request's `deliver_by` (requests without one never match).
    pub deliver_within_days: Option<RangeInput>,
}

/// `dest_states`: a list of two-letter state codes.
fn dest_states_schema() -> Array {
    let code = ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(r"^\s*[A-Za-z]{2}\s*$"))
        .examples(["KA"]);
    ArrayBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
        .items(code)
        .min_items(Some(1))
        .max_items(Some(MAX_LIST))
        .description(Some(
            "Any of these destination states, as ISO 3166-2:IN codes (`KA`, `MH`, `AS`…; \
             either case).",
        ))
        .build()
}

/// An inclusive range of non-negative integers; at least one bound.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(min_properties = 1)]
pub struct RangeInput {
    #[schema(minimum = 0)]
    pub min: Option<i64>,
    /// At least `min`.
    #[schema(minimum = 0)]
    pub max: Option<i64>,
}

/// What a rule does (`action` of a rule's `then`).
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum ActionKind {
    /// Only `carriers` stay candidates.
    AllowOnly,
    /// `carriers` are no candidates.
    Exclude,
    /// `carriers` rank better by `weight` percent.
    Prefer,
    /// Book with `carrier` (and `service`).
    Force,
    /// The carrier accounts with the best lane `metric` over the last `window_days` rank
    /// better by `weight` percent (accounts with fewer than `min_shipments` in the sample
    /// do not compete).
    PreferBest,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    #[schema(value_type = ActionKind, example = "exclude")]
    pub action: Option<String>,
    /// The carriers an `allow_only`, `exclude` or `prefer` is about (required for them,
    /// not allowed with `force`): carrier or carrier account ids of this gateway.
    #[schema(min_items = 1, max_items = 200)]
    pub carriers: Option<Vec<String>>,
    /// The carrier a `force` books with (required for it, not allowed with the others).
    #[schema(min_length = 1)]
    pub carrier: Option<String>,
    /// For `force`: only this service of the carrier; at most 60 characters, surrounding
    /// whitespace not counted.
    #[schema(min_length = 1, pattern = r"^\s*[\s\S]{0,60}\s*$")]
    pub service: Option<String>,
    /// For `prefer` (required for it, not allowed with the others): 1 to 90, the
    /// percentage the preferred carriers' ranking metric is lowered by (weights of several
    /// matching rules add up, to at most 90).
    #[schema(minimum = 1, maximum = 90)]
    pub weight: Option<i64>,
    /// For `prefer_best` (required for it, not allowed with the others): the lane metric
    /// compared, on the request's lane (origin state or country → destination state or
    /// country), from the carrier scorecards.
    #[schema(value_type = Option<LaneMetric>)]
    pub metric: Option<String>,
    /// For `prefer_best`: the days of history compared, up to today, 1 to 366 (30 when
    /// absent).
    #[schema(minimum = 1, maximum = 366)]
    pub window_days: Option<i64>,
    /// For `prefer_best`: the least sample an account needs to compete (shipments for
    /// `delivered_pct` and `rto_pct`, deliveries for `first_attempt_pct` and
    /// `transit_days_median`), 1 to 1000000 (20 when absent).
    #[schema(minimum = 1, maximum = 1000000)]
    pub min_shipments: Option<i64>,
}

/// A validated rule set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct RuleSet {
    pub objective: Objective,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub promise_days: Option<u32>,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Rule {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub when: Conditions,
    pub then: Action,
}

/// Each field is a condition; `None` is "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Conditions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zones: Option<BTreeSet<Zone>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dest_states: Option<BTreeSet<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dest_pincodes: Option<Vec<PinRange>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight_g: Option<Range>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub longest_side_mm: Option<Range>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume_cm3: Option<Range>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_mode: Option<PaymentMode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cod_amount: Option<Range>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared_value: Option<Range>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Tag>>)]
    pub tags_any: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Tag>>)]
    pub tags_all: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Tag>>)]
    pub tags_none: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deliver_within_days: Option<Range>,
}

/// An inclusive range of non-negative integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Range {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
}

impl Range {
    pub fn contains(&self, value: i64) -> bool {
        self.min.is_none_or(|m| value >= m) && self.max.is_none_or(|m| value <= m)
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.min, self.max) {
            (Some(a), Some(b)) if a == b => write!(f, "= {a}"),
            (Some(a), Some(b)) => write!(f, "{a}..={b}"),
            (Some(a), None) => write!(f, ">= {a}"),
            (None, Some(b)) => write!(f, "<= {b}"),
            (None, None) => f.write_str("any"),
        }
    }
}

/// One PIN code or an inclusive range of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinRange {
    pub from: u32,
    pub to: u32,
}

impl PinRange {
    pub fn contains(&self, pin: u32) -> bool {
        (self.from..=self.to).contains(&pin)
    }
}

impl fmt::Display for PinRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.from == self.to {
            write!(f, "{:06}", self.from)
        } else {
            write!(f, "{:06}-{:06}", self.from, self.to)
        }
    }
}

/// The schema of a PIN code condition, as uploaded and as served: six digits not starting
/// with 0, or an inclusive range of two such.
impl PartialSchema for PinRange {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(r"^\s*[1-9][0-9]{5}\s*(?:-\s*[1-9][0-9]{5}\s*)?$"))
            .description(Some(
                "A PIN code (`560001`) or an inclusive range of them (`560001-560099`, the \
                 first not above the last).",
            ))
            .examples(["560001-560099"])
            .into()
    }
}

impl ToSchema for PinRange {}

impl Serialize for PinRange {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    AllowOnly {
        carriers: BTreeSet<String>,
    },
    Exclude {
        carriers: BTreeSet<String>,
    },
    Prefer {
        carriers: BTreeSet<String>,
        weight: u32,
    },
    Force {
        carrier: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        service: Option<String>,
    },
    PreferBest {
        metric: LaneMetric,
        window_days: u32,
        min_shipments: u32,
        weight: u32,
    },
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |c: &BTreeSet<String>| c.iter().cloned().collect::<Vec<_>>().join(", ");
        match self {
            Action::AllowOnly { carriers } => write!(f, "allow only {}", list(carriers)),
            Action::Exclude { carriers } => write!(f, "exclude {}", list(carriers)),
            Action::Prefer { carriers, weight } => {
                write!(f, "prefer {} (weight {weight})", list(carriers))
            }
            Action::Force {
                carrier,
                service: Some(service),
            } => write!(f, "force {carrier}/{service}"),
            Action::Force {
                carrier,
                service: None,
            } => write!(f, "force {carrier}"),
            Action::PreferBest {
                metric,
                window_days,
                min_shipments,
                weight,
            } => write!(
                f,
                "prefer the best {} on this lane over {window_days} days (at least \
                 {min_shipments} in the sample; weight {weight})",
                metric.as_str()
            ),
        }
    }
}

/// Which carrier ids a rule may name.
pub enum KnownCarriers<'a> {
    /// On upload: the ids this gateway can quote with; anything else is a typo.
    These(&'a [&'a str]),
    /// On reading a stored set back: whatever was valid when it was stored (a carrier
    /// disabled since then simply never quotes).
    Any,
}

impl RuleSet {
    /// Every violation of `input`, each at its pointer, or the rule set.
    pub fn parse(input: &RuleSetInput, known: &KnownCarriers) -> Result<RuleSet, Vec<FieldError>> {
        let mut v = Violations::default();
        let objective = input
            .objective
            .as_deref()
            .and_then(|o| Objective::parse_at(&mut v, "/objective", o))
            .unwrap_or_default();
        let promise_days = match input.promise_days {
            None => None,
            Some(d) if !(0..=MAX_PROMISE_DAYS).contains(&d) => {
                v.add(
                    "/promise_days",
                    "out_of_range",
                    format!("a promise is 0 to {MAX_PROMISE_DAYS} days"),
                );
                None
            }
            Some(d) => Some(d as u32),
        };
        let inputs = input.rules.as_deref().unwrap_or_default();
        if inputs.len() > MAX_RULES {
            v.add(
                "/rules",
                "too_many",
                format!("at most {MAX_RULES} rules in one set"),
            );
        }
        let rules: Vec<Option<Rule>> = inputs
            .iter()
            .take(MAX_RULES)
            .enumerate()
            .map(|(i, rule)| parse_rule(&mut v, &format!("/rules/{i}"), rule, known))
            .collect();
        v.finish(|| RuleSet {
            objective,
            promise_days,
            rules: rules.into_iter().map(|r| r.expect("checked")).collect(),
        })
    }

    /// Reads a set from its stored JSON form (what [`RuleSet`] serialises to).
    pub fn from_json(json: &str) -> Result<RuleSet, String> {
        let input: RuleSetInput = serde_json::from_str(json).map_err(|e| e.to_string())?;
        RuleSet::parse(&input, &KnownCarriers::Any).map_err(|errors| {
            errors
                .iter()
                .map(|e| format!("{} {}", e.pointer, e.detail))
                .collect::<Vec<_>>()
                .join("; ")
        })
    }
}

fn parse_rule(
    v: &mut Violations,
    at: &str,
    input: &RuleInput,
    known: &KnownCarriers,
) -> Option<Rule> {
    let before = v.is_empty();
    let name = match input.name.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(n) if n.chars().count() > MAX_NAME => {
            v.add(
                format!("{at}/name"),
                "too_long",
                format!("at most {MAX_NAME} characters"),
            );
            None
        }
        Some(n) => Some(n.to_string()),
    };
    let when = parse_conditions(
        v,
        &format!("{at}/when"),
        &input.when.clone().unwrap_or_default(),
    );
    let then = match &input.then {
        None => {
            v.add(
                format!("{at}/then"),
                "required",
                "what the rule does: {\"action\": \"allow_only\" | \"exclude\" | \"prefer\" | \"force\" | \"prefer_best\", …}",
            );
            None
        }
        Some(action) => parse_action(v, &format!("{at}/then"), action, known),
    };
    if !before || !v.is_empty() {
        return None;
    }
    Some(Rule {
        name,
        when,
        then: then?,
    })
}

fn parse_conditions(v: &mut Violations, at: &str, c: &ConditionsInput) -> Conditions {
    let zones = c.zones.as_ref().map(|list| {
        set_of(v, &format!("{at}/zones"), list, |v, p, z| {
            let zone = Zone::parse(z.trim());
            if zone.is_none() {
                v.add(
                    p,
                    "invalid_zone",
                    format!(
                        "`{z}` is not a zone; use within_city, within_state, metro_to_metro, \
                         rest_of_india or special"
                    ),
                );
            }
            zone
        })
    });
    let dest_states = c.dest_states.as_ref().map(|list| {
        set_of(v, &format!("{at}/dest_states"), list, |v, p, s| {
            let code = s.trim().to_ascii_uppercase();
            let known = india().state(&code).map(|state| state.code.to_string());
            if known.is_none() {
                v.add(
                    p,
                    "invalid_state",
                    format!("`{s}` is not an Indian state or union territory code (KA, MH, DL, …)"),
                );
            }
            known
        })
    });
    let dest_pincodes = c.dest_pincodes.as_ref().map(|list| {
        let pointer = format!("{at}/dest_pincodes");
        non_empty(v, &pointer, list.len());
        list.iter()
            .enumerate()
            .filter_map(|(i, text)| pin_range(v, &format!("{pointer}/{i}"), text))
            .collect::<Vec<_>>()
    });
    let range = |v: &mut Violations, name: &str, input: &Option<RangeInput>| {
        input
            .as_ref()
            .and_then(|r| parse_range(v, &format!("{at}/{name}"), r))
    };
    let weight_g = range(v, "weight_g", &c.weight_g);
    let longest_side_mm = range(v, "longest_side_mm", &c.longest_side_mm);
    let volume_cm3 = range(v, "volume_cm3", &c.volume_cm3);
    let cod_amount = range(v, "cod_amount", &c.cod_amount);
    let declared_value = range(v, "declared_value", &c.declared_value);
    let deliver_within_days = range(v, "deliver_within_days", &c.deliver_within_days);
    let payment_mode = c
        .payment_mode
        .as_deref()
        .and_then(|mode| match mode.trim() {
            "prepaid" => Some(PaymentMode::Prepaid),
            "cod" => Some(PaymentMode::Cod),
            other => {
                v.add(
                    format!("{at}/payment_mode"),
                    "invalid_payment_mode",
                    format!("`{other}` is not a payment mode; use `prepaid` or `cod`"),
                );
                None
            }
        });
    if payment_mode == Some(PaymentMode::Prepaid) && cod_amount.is_some() {
        v.add(
            format!("{at}/cod_amount"),
            "contradiction",
            "a prepaid order has no COD amount, so this rule could never match",
        );
    }
    let tags = |v: &mut Violations, name: &str, input: &Option<Vec<String>>| {
        input.as_ref().map(|list| {
            let pointer = format!("{at}/{name}");
            non_empty(v, &pointer, list.len());
            parse_tags(v, &pointer, list)
        })
    };
    Conditions {
        zones,
        dest_states,
        dest_pincodes,
        weight_g,
        longest_side_mm,
        volume_cm3,
        payment_mode,
        cod_amount,
        declared_value,
        tags_any: tags(v, "tags_any", &c.tags_any),
        tags_all: tags(v, "tags_all", &c.tags_all),
        tags_none: tags(v, "tags_none", &c.tags_none),
        deliver_within_days,
    }
}

fn parse_action(
    v: &mut Violations,
    at: &str,
    input: &ActionInput,
    known: &KnownCarriers,
) -> Option<Action> {
    let kind = input.action.as_deref().map(str::trim);
    let forbid = |v: &mut Violations, field: &str, present: bool, why: &str| {
        if present {
            v.add(format!("{at}/{field}"), "not_allowed", why.to_string());
        }
    };
    let carriers = |v: &mut Violations| -> Option<BTreeSet<String>> {
        let pointer = format!("{at}/carriers");
        match &input.carriers {
            None => {
                v.add(&pointer, "required", "the carrier ids this action is about");
                None
            }
            Some(list) => Some(set_of(v, &pointer, list, |v, p, id| {
                carrier_id(v, p, id, known)
            })),
        }
    };
    if kind != Some("prefer_best") {
        for (field, present) in [
            ("metric", input.metric.is_some()),
            ("window_days", input.window_days.is_some()),
            ("min_shipments", input.min_shipments.is_some()),
        ] {
            forbid(
                v,
                field,
                present,
                "only `prefer_best` compares lane metrics",
            );
        }
    }
    match kind {
        Some(name @ ("allow_only" | "exclude" | "prefer")) => {
            let why =
                format!("`{name}` names `carriers`; `carrier` and `service` belong to `force`");
            forbid(v, "carrier", input.carrier.is_some(), &why);
            forbid(v, "service", input.service.is_some(), &why);
            let carriers = carriers(v);
            match name {
                "allow_only" => {
                    forbid(
                        v,
                        "weight",
                        input.weight.is_some(),
                        "only `prefer` has a weight",
                    );
                    Some(Action::AllowOnly {
                        carriers: carriers?,
                    })
                }
                "exclude" => {
                    forbid(
                        v,
                        "weight",
                        input.weight.is_some(),
                        "only `prefer` has a weight",
                    );
                    Some(Action::Exclude {
                        carriers: carriers?,
                    })
                }
                _ => {
                    let weight = match input.weight {
                        None => {
                            v.add(
                                format!("{at}/weight"),
                                "required",
                                "1 to 90: how many percent the carriers' ranking metric is lowered by",
                            );
                            None
                        }
                        Some(w) if !(1..=90).contains(&w) => {
                            v.add(
                                format!("{at}/weight"),
                                "out_of_range",
                                "a preference weight is 1 to 90 (percent)",
                            );
                            None
                        }
                        Some(w) => Some(w as u32),
                    };
                    Some(Action::Prefer {
                        carriers: carriers?,
                        weight: weight?,
                    })
                }
            }
        }
        Some("force") => {
            let why = "`force` names one `carrier` (and optionally its `service`)";
            forbid(v, "carriers", input.carriers.is_some(), why);
            forbid(
                v,
                "weight",
                input.weight.is_some(),
                "only `prefer` has a weight",
            );
            let carrier = match input.carrier.as_deref() {
                None => {
                    v.add(format!("{at}/carrier"), "required", why);
                    None
                }
                Some(id) => carrier_id(v, &format!("{at}/carrier"), id, known),
            };
            let service = match input.service.as_deref().map(str::trim) {
                None => None,
                Some("") => {
                    v.add(
                        format!("{at}/service"),
                        "required",
                        "a service code, or leave it out",
                    );
                    None
                }
                Some(s) if s.chars().count() > 60 => {
                    v.add(format!("{at}/service"), "too_long", "at most 60 characters");
                    None
                }
                Some(s) => Some(s.to_string()),
            };
            Some(Action::Force {
                carrier: carrier?,
                service,
            })
        }
        Some("prefer_best") => {
            let why = "`prefer_best` chooses the carriers itself, by their lane metric";
            forbid(v, "carriers", input.carriers.is_some(), why);
            forbid(v, "carrier", input.carrier.is_some(), why);
            forbid(v, "service", input.service.is_some(), why);
            let metric = match input.metric.as_deref().map(str::trim) {
                None => {
                    v.add(
                        format!("{at}/metric"),
                        "required",
                        "the lane metric to compare: delivered_pct, first_attempt_pct, \
                         rto_pct or transit_days_median",
                    );
                    None
                }
                Some(m) => {
                    let metric = LaneMetric::parse(m);
                    if metric.is_none() {
                        v.add(
                            format!("{at}/metric"),
                            "invalid_metric",
                            format!(
                                "`{m}` is not a lane metric; use delivered_pct, \
                                 first_attempt_pct, rto_pct or transit_days_median"
                            ),
                        );
                    }
                    metric
                }
            };
            let bounded =
                |v: &mut Violations, field: &str, value: Option<i64>, default: i64, max: i64| {
                    match value.unwrap_or(default) {
                        n if (1..=max).contains(&n) => Some(n as u32),
                        _ => {
                            v.add(
                                format!("{at}/{field}"),
                                "out_of_range",
                                format!("{field} is 1 to {max}"),
                            );
                            None
                        }
                    }
                };
            let window_days = bounded(v, "window_days", input.window_days, 30, MAX_WINDOW_DAYS);
            let min_shipments = bounded(
                v,
                "min_shipments",
                input.min_shipments,
                20,
                MAX_MIN_SHIPMENTS,
            );
            let weight = match input.weight {
                None => {
                    v.add(
                        format!("{at}/weight"),
                        "required",
                        "1 to 90: how many percent the best carriers' ranking metric is lowered by",
                    );
                    None
                }
                Some(w) => bounded(v, "weight", Some(w), 0, 90),
            };
            Some(Action::PreferBest {
                metric: metric?,
                window_days: window_days?,
                min_shipments: min_shipments?,
                weight: weight?,
            })
        }
        None => {
            v.add(
                format!("{at}/action"),
                "required",
                "one of allow_only, exclude, prefer, force, prefer_best",
            );
            None
        }
        Some(other) => {
            v.add(
                format!("{at}/action"),
                "invalid_action",
                format!(
                    "`{other}` is not an action; use allow_only, exclude, prefer, force or \
                     prefer_best"
                ),
            );
            None
        }
    }
}

fn carrier_id(
    v: &mut Violations,
    pointer: &str,
    id: &str,
    known: &KnownCarriers,
) -> Option<String> {
    let id = id.trim();
    match known {
        KnownCarriers::These(ids) if !ids.contains(&id) => {
            v.add(
                pointer,
                "unknown_carrier",
                format!(
                    "`{id}` is not a carrier of this gateway; use one of: {}",
                    ids.join(", ")
                ),
            );
            None
        }
        _ if id.is_empty() => {
            v.add(pointer, "required", "a carrier id");
            None
        }
        _ => Some(id.to_string()),
    }
}

fn non_empty(v: &mut Violations, pointer: &str, len: usize) {
    if len == 0 {
        v.add(
            pointer,
            "empty",
            "an empty list can never match; leave the condition out instead",
        );
    } else if len > MAX_LIST {
        v.add(pointer, "too_many", format!("at most {MAX_LIST} entries"));
    }
}

/// A non-empty list whose entries each parse, as a set (duplicates are harmless).
fn set_of<T: Ord>(
    v: &mut Violations,
    pointer: &str,
    list: &[String],
    mut item: impl FnMut(&mut Violations, &str, &str) -> Option<T>,
) -> BTreeSet<T> {
    non_empty(v, pointer, list.len());
    list.iter()
        .enumerate()
        .filter_map(|(i, text)| item(v, &format!("{pointer}/{i}"), text))
        .collect()
}

fn pin_range(v: &mut Violations, pointer: &str, text: &str) -> Option<PinRange> {
    let pin = |s: &str| -> Option<u32> {
        let s = s.trim();
        (s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) && !s.starts_with('0'))
            .then(|| s.parse().ok())
            .flatten()
    };
    let parsed = match text.split_once('-') {
        None => pin(text).map(|p| PinRange { from: p, to: p }),
        Some((a, b)) => match (pin(a), pin(b)) {
            (Some(from), Some(to)) if from <= to => Some(PinRange { from, to }),
            (Some(_), Some(_)) => {
                v.add(
                    pointer,
                    "invalid_range",
                    format!("`{text}`: the first PIN code of a range is not above the last"),
                );
                return None;
            }
            _ => None,
        },
    };
    if parsed.is_none() {
        v.add(
            pointer,
            "invalid_pincode",
            format!("`{text}` is not a PIN code (six digits) or a range `560001-560099`"),
        );
    }
    parsed
}

fn parse_range(v: &mut Violations, at: &str, r: &RangeInput) -> Option<Range> {
    let mut valid = true;
    for (name, bound) in [("min", r.min), ("max", r.max)] {
        if bound.is_some_and(|b| b < 0) {
            v.add(format!("{at}/{name}"), "negative", "a bound is 0 or more");
            valid = false;
        }
    }
    match (r.min, r.max) {
        (None, None) => {
            v.add(
                at,
                "empty_range",
                "give `min`, `max` or both (inclusive); leave the condition out to match anything",
            );
            valid = false;
        }
        (Some(min), Some(max)) if min > max => {
            v.add(
                format!("{at}/max"),
                "below_min",
                format!("max ({max}) is below min ({min}), so nothing could match"),
            );
            valid = false;
        }
        _ => {}
    }
    valid.then_some(Range {
        min: r.min,
        max: r.max,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const CARRIERS: &[&str] = &["delhivery", "shiprocket"];

    fn parse(body: serde_json::Value) -> Result<RuleSet, Vec<(String, String)>> {
        let input: RuleSetInput = serde_json::from_value(body).expect("input shape");
        RuleSet::parse(&input, &KnownCarriers::These(CARRIERS)).map_err(|errors| {
            errors
                .into_iter()
                .map(|e| (e.pointer, e.code))
                .collect::<Vec<_>>()
        })
    }

    #[test]
    fn a_full_rule_set_round_trips_through_its_stored_form() {
        let set = parse(json!({
            "objective": "cheapest_within_promise",
            "promise_days": 3,
            "rules": [
                {"name": "COD to the north-east", "when": {"zones": ["special"], "payment_mode": "cod",
                  "cod_amount": {"min": 100000}}, "then": {"action": "exclude", "carriers": ["shiprocket"]}},
                {"when": {"dest_states": ["ka", "TN"], "dest_pincodes": ["560001-560099", "600001"],
                  "weight_g": {"max": 2000}, "longest_side_mm": {"max": 600}, "volume_cm3": {"min": 1},
                  "declared_value": {"min": 0, "max": 5000000}, "tags_any": ["Fragile"], "tags_all": ["b2c"],
                  "tags_none": ["oversize"], "deliver_within_days": {"max": 2}},
                 "then": {"action": "prefer", "carriers": ["delhivery"], "weight": 15}},
                {"then": {"action": "allow_only", "carriers": ["delhivery", "shiprocket"]}},
                {"when": {"payment_mode": "prepaid"}, "then": {"action": "force", "carrier": "delhivery", "service": "express"}}
            ]
        }))
        .unwrap();
        assert_eq!(set.rules.len(), 4);
        assert_eq!(
            set.rules[1].when.dest_states,
            Some(["KA".to_string(), "TN".to_string()].into())
        );
        assert_eq!(
            set.rules[1].when.tags_any,
            Some(vec!["fragile".to_string()])
        );
        let json = serde_json::to_string(&set).unwrap();
        assert!(json.contains("\"560001-560099\""), "{json}");
        assert_eq!(RuleSet::from_json(&json).unwrap(), set);
    }

    #[test]
    fn every_violation_is_reported_at_its_pointer() {
        let errors = parse(json!({
            "objective": "soonest",
            "promise_days": 99,
            "rules": [
                {"when": {"weight_g": {"min": 5000, "max": 100}}, "then": {"action": "exclude", "carriers": ["delhivery"]}},
                {"when": {"zones": ["metro", "special"], "dest_states": ["XX"], "dest_pincodes": ["56000", "560099-560001"]},
                 "then": {"action": "prefer", "carriers": ["fedex"], "weight": 0}},
                {"when": {"payment_mode": "card", "cod_amount": {}, "tags_any": []}, "then": {"action": "teleport"}},
                {"when": {"payment_mode": "prepaid", "cod_amount": {"min": 1}, "deliver_within_days": {"min": -1}}},
                {"then": {"action": "force", "carriers": ["delhivery"], "weight": 5}},
                {"then": {"action": "exclude", "carriers": ["delhivery"], "weight": 5, "carrier": "x"}}
            ]
        }))
        .unwrap_err();
        let expected = [
            ("/objective", "invalid_objective"),
            ("/promise_days", "out_of_range"),
            ("/rules/0/when/weight_g/max", "below_min"),
            ("/rules/1/when/zones/0", "invalid_zone"),
            ("/rules/1/when/dest_states/0", "invalid_state"),
            ("/rules/1/when/dest_pincodes/0", "invalid_pincode"),
            ("/rules/1/when/dest_pincodes/1", "invalid_range"),
            ("/rules/1/then/carriers/0", "unknown_carrier"),
            ("/rules/1/then/weight", "out_of_range"),
            ("/rules/2/when/cod_amount", "empty_range"),
            ("/rules/2/when/payment_mode", "invalid_payment_mode"),
            ("/rules/2/when/tags_any", "empty"),
            ("/rules/2/then/action", "invalid_action"),
            ("/rules/3/when/deliver_within_days/min", "negative"),
            ("/rules/3/when/cod_amount", "contradiction"),
            ("/rules/3/then", "required"),
            ("/rules/4/then/carriers", "not_allowed"),
            ("/rules/4/then/weight", "not_allowed"),
            ("/rules/4/then/carrier", "required"),
            ("/rules/5/then/carrier", "not_allowed"),
            ("/rules/5/then/weight", "not_allowed"),
        ];
        let mut got = errors.clone();
        got.sort();
        let mut want: Vec<(String, String)> = expected
            .iter()
            .map(|(p, c)| (p.to_string(), c.to_string()))
            .collect();
        want.sort();
        assert_eq!(got, want);
    }

    #[test]
    fn prefer_best_has_defaults_and_round_trips() {
        let set = parse(json!({"rules": [{"then": {"action": "prefer_best", "metric": "rto_pct", "weight": 30}}]}))
            .unwrap();
        assert_eq!(
            set.rules[0].then,
            Action::PreferBest {
                metric: LaneMetric::RtoPct,
                window_days: 30,
                min_shipments: 20,
                weight: 30
            }
        );
        let json = serde_json::to_string(&set).unwrap();
        assert_eq!(RuleSet::from_json(&json).unwrap(), set);
        let errors = parse(
            json!({"rules": [{"then": {"action": "prefer_best", "metric": "rto_pct",
            "window_days": 367, "weight": 30}}]}),
        )
        .unwrap_err();
        assert_eq!(
            errors,
            vec![(
                "/rules/0/then/window_days".to_string(),
                "out_of_range".to_string()
            )]
        );
    }

    #[test]
    fn stored_sets_keep_carriers_that_were_since_disabled() {
        let json = r#"{"objective":"cheapest","rules":[{"when":{},"then":{"action":"exclude","carriers":["bluedart"]}}]}"#;
        let set = RuleSet::from_json(json).unwrap();
        assert!(
            matches!(&set.rules[0].then, Action::Exclude { carriers } if carriers.contains("bluedart"))
        );
    }

    #[test]
    fn ranges_and_pin_ranges_are_inclusive() {
        let r = Range {
            min: Some(10),
            max: Some(20),
        };
        assert!(r.contains(10) && r.contains(20) && !r.contains(9) && !r.contains(21));
        let p = PinRange {
            from: 560001,
            to: 560099,
        };
        assert!(p.contains(560001) && p.contains(560099) && !p.contains(560100));
    }

    #[test]
    fn the_schema_states_the_bounds_parsing_enforces() {
        let props =
            |schema: RefOr<Schema>| serde_json::to_value(schema).unwrap()["properties"].clone();
        let set = props(RuleSetInput::schema());
        assert_eq!(set["rules"]["maxItems"], MAX_RULES);
        assert_eq!(set["promise_days"]["maximum"], MAX_PROMISE_DAYS);
        let name = props(RuleInput::schema())["name"]["pattern"].clone();
        assert!(
            name.as_str()
                .unwrap()
                .contains(&format!("{{0,{MAX_NAME}}}")),
            "{name}"
        );
        let when = props(ConditionsInput::schema());
        for list in ["zones", "dest_states", "dest_pincodes"] {
            assert_eq!(when[list]["minItems"], 1, "{list}");
            assert_eq!(when[list]["maxItems"], MAX_LIST, "{list}");
        }
        for tags in ["tags_any", "tags_all", "tags_none"] {
            assert_eq!(when[tags]["minItems"], 1, "{tags}");
            assert_eq!(when[tags]["maxItems"], carriers::schema::MAX_TAGS, "{tags}");
        }
        assert_eq!(
            props(ActionInput::schema())["carriers"]["maxItems"],
            MAX_LIST
        );
    }
}
