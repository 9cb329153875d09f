//! Rule evaluation: from the facts of one request, a rule set and the quotes carriers
//! gave, the ranked candidates and the sentences that explain the ranking.
//!
//! Pure (no I/O, no clock: "today" is a fact), so every condition, action and conflict is
//! unit-tested here with hand-made quotes, and the gateway only gathers facts and quotes.
//!
//! How matching rules combine (docs/rate-cards-and-selection.md, "Carrier selection", states the same):
//! 1. Every rule whose conditions all hold *matches*; rules are read in order.
//! 2. **force** beats everything: the first matching force rule decides the carrier (and
//!    service, if it names one); later force rules are reported as ignored, and exclude,
//!    allow-only, prefer and the promise do not apply. A forced carrier that did not
//!    quote leaves no candidate: force never silently falls back to another carrier.
//! 3. **exclude**: a carrier excluded by any matching rule is out.
//! 4. **allow_only**: when several match, only carriers allowed by *all* of them stay
//!    (an exclusion still wins over an allowance of the same carrier).
//! 5. The promise (`cheapest_within_promise`) drops quotes not estimated to arrive by
//!    the deadline, and quotes with no estimate.
//! 6. **prefer**: the weights of matching prefer rules add up per carrier (at most 90)
//!    and lower that carrier's ranking metric by that many percent.
//! 7. Ranking by the objective's metric (total in minor units, or days to the estimated
//!    delivery), ties broken by total, then estimated delivery, then carrier id, then
//!    service code — the same input always gives the same order.

use std::collections::{BTreeMap, BTreeSet};

use carriers::ratecard::Zone;
use carriers::schema::{Objective, PaymentMode, RateQuote};
use chrono::NaiveDate;

use super::rules::{Action, Conditions, Rule, RuleSet};

/// The most a carrier's metric can be lowered by preferences, in percent.
pub const MAX_PREFERENCE: u32 = 90;

/// What selection knows about one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// `None` when either PIN code is not in the table: zone conditions then never match.
    pub zone: Option<Zone>,
    /// ISO 3166-2:IN code of the destination state, when its PIN code is known.
    pub dest_state: Option<String>,
    pub dest_pincode: Option<u32>,
    pub weight_g: u64,
    pub longest_side_mm: Option<u32>,
    pub volume_cm3: Option<u64>,
    pub payment: PaymentMode,
    pub cod_amount: Option<i64>,
    pub declared_value: Option<i64>,
    pub tags: BTreeSet<String>,
    pub deliver_by: Option<NaiveDate>,
    /// The date "days until" and transit days are counted from.
    pub today: NaiveDate,
    /// What the carrier accounts did on this request's lane, for `prefer_best`.
    pub lane_history: LaneHistory,
}

/// The request's lane and, per (window in days, carrier account), the account's
/// scorecard sums on it (from `analytics::Scores`, gathered before evaluating).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LaneHistory {
    pub lane: Option<crate::analytics::Lane>,
    pub stats: BTreeMap<(u32, String), crate::analytics::LaneStats>,
}

/// A quote still in the running, with the arithmetic behind its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub quote: RateQuote,
    /// Estimated delivery date, when the quote gives one (directly or as transit days).
    pub eta: Option<NaiveDate>,
    /// Sum of matching preference weights, capped at [`MAX_PREFERENCE`].
    pub preference: u32,
}

/// The outcome of evaluating a rule set against quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub objective: Objective,
    /// Best first; empty when nothing survives.
    pub ranked: Vec<Candidate>,
    /// Why, in order: matched rules, conflicts, dropped quotes, the winner.
    pub reasons: Vec<String>,
    /// Set when a force rule decided: booking must not fall back to other carriers.
    pub forced_by: Option<usize>,
}

impl Evaluation {
    pub fn best(&self) -> Option<&Candidate> {
        self.ranked.first()
    }
}

/// Evaluates `set` for a request with `facts` over `quotes`. `objective` overrides the
/// set's own.
pub fn evaluate(
    set: &RuleSet,
    facts: &Facts,
    quotes: &[RateQuote],
    objective: Option<Objective>,
) -> Evaluation {
    let objective = objective.unwrap_or(set.objective);
    let mut reasons = Vec::new();
    let matched: Vec<(usize, &Rule)> = set
        .rules
        .iter()
        .enumerate()
        .filter(|(_, rule)| matches(&rule.when, facts))
        .collect();
    if set.rules.is_empty() {
        reasons.push("no selection rules: every quote is a candidate".to_string());
    } else if matched.is_empty() {
        reasons.push(format!(
            "none of the {} rules matched this request",
            set.rules.len()
        ));
    }
    for (i, rule) in &matched {
        reasons.push(format!(
            "{} matched ({}): {}",
            label(*i, rule),
            describe(&rule.when),
            rule.then
        ));
    }
    let eta = |q: &RateQuote| {
        q.estimated_delivery.or_else(|| {
            q.transit_days
                .map(|d| facts.today + chrono::Days::new(u64::from(d)))
        })
    };
    let named = |q: &RateQuote, name: &str| q.carrier == name || q.carrier_account == name;
    let candidate = |q: &RateQuote, preference: u32| Candidate {
        quote: q.clone(),
        eta: eta(q),
        preference,
    };

    // Force: the first matching force rule decides, and nothing else applies.
    let mut forces = matched.iter().filter_map(|(i, rule)| match &rule.then {
        Action::Force { carrier, service } => Some((*i, *rule, carrier, service)),
        _ => None,
    });
    if let Some((i, rule, carrier, service)) = forces.next() {
        for (j, other, ..) in forces {
            reasons.push(format!(
                "{} ignored: {} decided first ({})",
                label(j, other),
                label(i, rule),
                rule.then
            ));
        }
        let mut ranked: Vec<Candidate> = quotes
            .iter()
            .filter(|q| named(q, carrier) && service.as_ref().is_none_or(|s| &q.service == s))
            .map(|q| candidate(q, 0))
            .collect();
        if ranked.is_empty() {
            reasons.push(format!(
                "{} forces {} but it gave no quote for this request; no other carrier is \
                 considered",
                label(i, rule),
                target(carrier, service.as_deref())
            ));
        } else {
            // Within the forced carrier the objective still orders its services; the
            // promise is not applied, since force means "this carrier, whatever it takes".
            sort(&mut ranked, objective, facts.today);
            reasons.push(explain_winner(&ranked, objective, facts.today, None));
        }
        return Evaluation {
            objective,
            ranked,
            reasons,
            forced_by: Some(i),
        };
    }

    let mut excluded: BTreeMap<&str, usize> = BTreeMap::new();
    let mut allowed: Option<(BTreeSet<&str>, Vec<usize>)> = None;
    let mut preference: BTreeMap<&str, u32> = BTreeMap::new();
    for (i, rule) in &matched {
        match &rule.then {
            Action::Exclude { carriers } => {
                for c in carriers {
                    excluded.entry(c.as_str()).or_insert(*i);
                }
            }
            Action::AllowOnly { carriers } => {
                let these: BTreeSet<&str> = carriers.iter().map(String::as_str).collect();
                allowed = Some(match allowed.take() {
                    None => (these, vec![*i]),
                    Some((before, mut by)) => {
                        by.push(*i);
                        (before.intersection(&these).copied().collect(), by)
                    }
                });
            }
            Action::Prefer { carriers, weight } => {
                for c in carriers {
                    let w = preference.entry(c.as_str()).or_default();
                    *w = (*w + weight).min(MAX_PREFERENCE);
                }
            }
            Action::PreferBest {
                metric,
                window_days,
                min_shipments,
                weight,
            } => {
                let (best, reason) = best_on_lane(
                    facts,
                    quotes,
                    *metric,
                    *window_days,
                    i64::from(*min_shipments),
                );
                reasons.push(format!("{}: {reason}", label(*i, rule)));
                for c in best {
                    let w = preference.entry(c).or_default();
                    *w = (*w + weight).min(MAX_PREFERENCE);
                }
            }
            Action::Force { .. } => unreachable!("force handled above"),
        }
    }
    if let Some((set, by)) = &allowed
        && by.len() > 1
    {
        let rules: Vec<String> = by.iter().map(|i| format!("rules[{i}]")).collect();
        reasons.push(if set.is_empty() {
            format!(
                "{} allow no carrier in common: nothing is allowed",
                rules.join(" and ")
            )
        } else {
            format!(
                "{} together allow only {}",
                rules.join(" and "),
                set.iter().copied().collect::<Vec<_>>().join(", ")
            )
        });
    }

    let deadline = match objective {
        Objective::CheapestWithinPromise => match (facts.deliver_by, set.promise_days) {
            (Some(date), _) => Some((date, format!("deliver_by {date}"))),
            (None, Some(days)) => Some((
                facts.today + chrono::Days::new(u64::from(days)),
                format!("the rule set's promise of {days} days"),
            )),
            (None, None) => {
                reasons.push(
                    "cheapest_within_promise without a deliver_by or promise_days: ranked by \
                     price alone"
                        .to_string(),
                );
                None
            }
        },
        _ => None,
    };

    let mut ranked = Vec::new();
    let mut dropped: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for q in quotes {
        // A rule names a carrier (all its accounts) or one carrier account.
        let names = [q.carrier.as_str(), q.carrier_account.as_str()];
        let why = if let Some(i) = names.iter().find_map(|n| excluded.get(n)) {
            Some(format!("excluded by rules[{i}]"))
        } else if let Some((set, by)) = &allowed
            && !names.iter().any(|n| set.contains(n))
        {
            Some(format!(
                "not allowed by {}",
                by.iter()
                    .map(|i| format!("rules[{i}]"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ))
        } else if let Some((date, source)) = &deadline {
            match eta(q) {
                None => Some(format!("no delivery estimate to check against {source}")),
                Some(e) if e > *date => Some(format!("estimated {e}, after {source}")),
                Some(_) => None,
            }
        } else {
            None
        };
        match why {
            Some(why) => dropped
                .entry(why)
                .or_default()
                .push(format!("{}/{}", q.carrier, q.service)),
            None => {
                let mut weight = preference.get(names[0]).copied().unwrap_or(0);
                if names[1] != names[0] {
                    weight += preference.get(names[1]).copied().unwrap_or(0);
                }
                ranked.push(candidate(q, weight.min(MAX_PREFERENCE)))
            }
        }
    }
    for (why, quotes) in dropped {
        reasons.push(format!("dropped {}: {why}", quotes.join(", ")));
    }
    if ranked.is_empty() {
        reasons.push(if quotes.is_empty() {
            "no carrier quoted this request".to_string()
        } else {
            "no quote is left to recommend".to_string()
        });
    } else {
        sort(&mut ranked, objective, facts.today);
        let preferred = ranked.iter().any(|c| c.preference > 0);
        let plain = preferred.then(|| {
            let mut plain = ranked.clone();
            for c in &mut plain {
                c.preference = 0;
            }
            sort(&mut plain, objective, facts.today);
            plain
        });
        reasons.push(explain_winner(
            &ranked,
            objective,
            facts.today,
            plain.as_deref(),
        ));
    }
    Evaluation {
        objective,
        ranked,
        reasons,
        forced_by: None,
    }
}

/// The carrier accounts among `quotes` with the best `metric` on the request's lane over
/// `window` days, among those with at least `min` in the sample, and why.
fn best_on_lane<'q>(
    facts: &Facts,
    quotes: &'q [RateQuote],
    metric: crate::analytics::cache::LaneMetric,
    window: u32,
    min: i64,
) -> (Vec<&'q str>, String) {
    let accounts: BTreeSet<&str> = quotes.iter().map(|q| q.carrier_account.as_str()).collect();
    let mut scored: Vec<(i64, &str, String)> = Vec::new();
    let mut too_few: Vec<String> = Vec::new();
    for account in accounts {
        let stats = facts.lane_history.stats.get(&(window, account.to_string()));
        match stats.and_then(|s| s.cost(metric).map(|c| (c, s))) {
            Some(((cost, n), s)) if n >= min => {
                scored.push((cost, account, s.describe(metric)));
            }
            Some(((_, n), _)) => too_few.push(format!("{account} ({n})")),
            None => too_few.push(format!("{account} (0)")),
        }
    }
    let lane = facts
        .lane_history
        .lane
        .as_ref()
        .map_or("an unknown lane".to_string(), |l| {
            format!("{} → {}", l.origin, l.destination)
        });
    let mut reason = format!("best {} on {lane} over {window} days", metric.as_str());
    let best_cost = scored.iter().map(|s| s.0).min();
    let best: Vec<&str> = scored
        .iter()
        .filter(|s| Some(s.0) == best_cost)
        .map(|s| s.1)
        .collect();
    match best_cost {
        None => reason.push_str(": no carrier has enough history, nobody preferred"),
        Some(_) => {
            let described: Vec<String> = scored
                .iter()
                .filter(|s| Some(s.0) == best_cost)
                .map(|s| format!("{} ({})", s.1, s.2))
                .collect();
            reason.push_str(&format!(": {}", described.join(", ")));
        }
    }
    if !too_few.is_empty() {
        reason.push_str(&format!(
            "; too little history (under {min}): {}",
            too_few.join(", ")
        ));
    }
    (best, reason)
}

/// Whether every condition of `c` holds for `facts`. A condition on a fact the request
/// does not carry (no dimensions, no declared value, unknown PIN code) does not hold.
pub fn matches(c: &Conditions, facts: &Facts) -> bool {
    let within = |range: &Option<super::rules::Range>, value: Option<i64>| {
        range
            .as_ref()
            .is_none_or(|r| value.is_some_and(|v| r.contains(v)))
    };
    let days_left = facts
        .deliver_by
        .map(|d| d.signed_duration_since(facts.today).num_days());
    c.zones
        .as_ref()
        .is_none_or(|z| facts.zone.is_some_and(|zone| z.contains(&zone)))
        && c.dest_states
            .as_ref()
            .is_none_or(|s| facts.dest_state.as_ref().is_some_and(|st| s.contains(st)))
        && c.dest_pincodes.as_ref().is_none_or(|ranges| {
            facts
                .dest_pincode
                .is_some_and(|pin| ranges.iter().any(|r| r.contains(pin)))
        })
        && within(&c.weight_g, i64::try_from(facts.weight_g).ok())
        && within(&c.longest_side_mm, facts.longest_side_mm.map(i64::from))
        && within(
            &c.volume_cm3,
            facts.volume_cm3.and_then(|v| i64::try_from(v).ok()),
        )
        && c.payment_mode.is_none_or(|m| m == facts.payment)
        && within(&c.cod_amount, facts.cod_amount)
        && within(&c.declared_value, facts.declared_value)
        && c.tags_any
            .as_ref()
            .is_none_or(|t| t.iter().any(|tag| facts.tags.contains(tag)))
        && c.tags_all
            .as_ref()
            .is_none_or(|t| t.iter().all(|tag| facts.tags.contains(tag)))
        && c.tags_none
            .as_ref()
            .is_none_or(|t| !t.iter().any(|tag| facts.tags.contains(tag)))
        && within(&c.deliver_within_days, days_left)
}

/// The ranking key; smaller is better.
fn metric(c: &Candidate, objective: Objective, today: NaiveDate) -> Option<i128> {
    let raw = match objective {
        Objective::Cheapest | Objective::CheapestWithinPromise => i128::from(c.quote.total.amount),
        Objective::Fastest => i128::from(c.eta?.signed_duration_since(today).num_days()),
    };
    Some(raw * i128::from(100 - c.preference))
}

fn sort(ranked: &mut [Candidate], objective: Objective, today: NaiveDate) {
    ranked.sort_by(|a, b| {
        // A candidate the objective cannot measure (fastest without an estimate) goes last.
        let key = |c: &Candidate| {
            (
                metric(c, objective, today).is_none(),
                metric(c, objective, today),
            )
        };
        key(a)
            .cmp(&key(b))
            .then(a.quote.total.amount.cmp(&b.quote.total.amount))
            .then_with(|| match (a.eta, b.eta) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| a.quote.carrier.cmp(&b.quote.carrier))
            .then_with(|| a.quote.service.cmp(&b.quote.service))
    });
}

fn explain_winner(
    ranked: &[Candidate],
    objective: Objective,
    today: NaiveDate,
    unpreferred: Option<&[Candidate]>,
) -> String {
    let best = &ranked[0];
    let what = match objective {
        Objective::Cheapest => format!("cheapest at {}", money(best)),
        Objective::CheapestWithinPromise => {
            format!("cheapest within the promise at {}", money(best))
        }
        Objective::Fastest => match best.eta {
            Some(eta) => format!(
                "fastest, estimated {eta} ({} days)",
                eta.signed_duration_since(today).num_days()
            ),
            None => "no quote has a delivery estimate; ranked by price".to_string(),
        },
    };
    let mut text = format!(
        "{objective}: {}/{} is {what} of {} candidate(s)",
        best.quote.carrier,
        best.quote.service,
        ranked.len()
    );
    if let Some(plain) = unpreferred
        && best.preference > 0
        && plain[0].quote != best.quote
    {
        text.push_str(&format!(
            "; preferred (weight {}) over {}/{}, which ranks first without preferences",
            best.preference, plain[0].quote.carrier, plain[0].quote.service
        ));
    }
    text
}

fn money(c: &Candidate) -> String {
    let m = &c.quote.total;
    format!("{} {}", m.major(), m.currency.as_str())
}

fn label(i: usize, rule: &Rule) -> String {
    match &rule.name {
        Some(name) => format!("rules[{i}] \"{name}\""),
        None => format!("rules[{i}]"),
    }
}

fn target(carrier: &str, service: Option<&str>) -> String {
    match service {
        Some(s) => format!("{carrier}/{s}"),
        None => carrier.to_string(),
    }
}

/// The conditions of a rule, as a reason shows them.
fn describe(c: &Conditions) -> String {
    let mut parts = Vec::new();
    let join = |items: Vec<String>| items.join(", ");
    if let Some(z) = &c.zones {
        parts.push(format!(
            "zone in [{}]",
            join(z.iter().map(|z| z.to_string()).collect())
        ));
    }
    if let Some(s) = &c.dest_states {
        parts.push(format!(
            "destination state in [{}]",
            join(s.iter().cloned().collect())
        ));
    }
    if let Some(p) = &c.dest_pincodes {
        parts.push(format!(
            "destination PIN in [{}]",
            join(p.iter().map(|r| r.to_string()).collect())
        ));
    }
    for (name, range) in [
        ("weight_g", &c.weight_g),
        ("longest_side_mm", &c.longest_side_mm),
        ("volume_cm3", &c.volume_cm3),
        ("cod_amount", &c.cod_amount),
        ("declared_value", &c.declared_value),
        ("days to deliver_by", &c.deliver_within_days),
    ] {
        if let Some(r) = range {
            parts.push(format!("{name} {r}"));
        }
    }
    if let Some(m) = c.payment_mode {
        parts.push(format!(
            "payment {}",
            match m {
                PaymentMode::Prepaid => "prepaid",
                PaymentMode::Cod => "cod",
            }
        ));
    }
    for (name, tags) in [
        ("tags any of", &c.tags_any),
        ("tags all of", &c.tags_all),
        ("tags none of", &c.tags_none),
    ] {
        if let Some(t) = tags {
            parts.push(format!("{name} [{}]", t.join(", ")));
        }
    }
    if parts.is_empty() {
        "always".to_string()
    } else {
        parts.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use carriers::schema::Money;
    use serde_json::json;

    use super::super::rules::{KnownCarriers, RuleSetInput};
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
    }

    fn facts() -> Facts {
        Facts {
            zone: Some(Zone::MetroToMetro),
            dest_state: Some("KA".into()),
            dest_pincode: Some(560001),
            weight_g: 500,
            longest_side_mm: Some(200),
            volume_cm3: Some(3000),
            payment: PaymentMode::Prepaid,
            cod_amount: None,
            declared_value: Some(49900),
            tags: BTreeSet::new(),
            deliver_by: None,
            today: today(),
            lane_history: LaneHistory::default(),
        }
    }

    fn quote(carrier: &str, service: &str, paise: i64, days: Option<u32>) -> RateQuote {
        RateQuote {
            carrier: carrier.into(),
            carrier_account: carrier.into(),
            service: service.into(),
            service_name: service.into(),
            total: Money::inr(paise),
            breakdown: vec![],
            estimated_delivery: None,
            transit_days: days,
            estimated_delivery_source: None,
        }
    }

    /// delhivery surface is cheapest but slow; shiprocket air is fastest; bluedart in between.
    fn quotes() -> Vec<RateQuote> {
        vec![
            quote("shiprocket", "air", 15000, Some(1)),
            quote("delhivery", "surface", 9000, Some(5)),
            quote("bluedart", "express", 12000, Some(2)),
            quote("delhivery", "express", 14000, Some(2)),
        ]
    }

    fn set(body: serde_json::Value) -> RuleSet {
        let input: RuleSetInput = serde_json::from_value(body).unwrap();
        RuleSet::parse(&input, &KnownCarriers::Any).unwrap()
    }

    fn order(e: &Evaluation) -> Vec<String> {
        e.ranked
            .iter()
            .map(|c| format!("{}/{}", c.quote.carrier, c.quote.service))
            .collect()
    }

    fn when(conditions: serde_json::Value) -> RuleSet {
        set(
            json!({"rules": [{"when": conditions, "then": {"action": "exclude", "carriers": ["delhivery"]}}]}),
        )
    }

    /// Whether a rule with `conditions` matches `facts` (its exclusion took effect).
    fn hits(conditions: serde_json::Value, facts: &Facts) -> bool {
        let e = evaluate(&when(conditions), facts, &quotes(), None);
        !order(&e).iter().any(|q| q.starts_with("delhivery"))
    }

    #[test]
    fn prefer_best_favours_the_best_lane_metric_among_accounts_with_enough_history() {
        use crate::analytics::LaneStats;
        let rule = |metric: &str| {
            set(
                json!({"rules": [{"then": {"action": "prefer_best", "metric": metric,
                "min_shipments": 10, "weight": 50}}]}),
            )
        };
        let stats = |delivered: i64, first: i64, days: i64| LaneStats {
            shipments: delivered,
            delivered,
            first_attempt: first,
            rto: 0,
            transit: vec![(days, delivered)],
        };
        let mut f = facts();
        f.lane_history
            .stats
            .insert((30, "bluedart".into()), stats(20, 19, 3));
        f.lane_history
            .stats
            .insert((30, "shiprocket".into()), stats(5, 5, 1));
        f.lane_history
            .stats
            .insert((30, "delhivery".into()), stats(40, 30, 2));
        // Bluedart's 95 % beats Delhivery's 75 %; Shiprocket's 100 % stands on too few:
        // 12000 × 50 % ranks before Delhivery's 9000.
        let e = evaluate(&rule("first_attempt_pct"), &f, &quotes(), None);
        assert_eq!(order(&e)[0], "bluedart/express");
        let reasons = e.reasons.join("\n");
        assert!(
            reasons.contains("bluedart (95.0% of 20 deliveries)")
                && reasons.contains("too little history (under 10): shiprocket (5)"),
            "{reasons}"
        );
        // Fastest median transit: Delhivery's 2 days (Shiprocket's 1 does not count).
        let e = evaluate(&rule("transit_days_median"), &f, &quotes(), None);
        assert_eq!(e.ranked[0].quote.carrier, "delhivery");
        assert_eq!(e.ranked[0].preference, 50);
        // No history: nobody is preferred, the cheapest wins.
        let e = evaluate(&rule("rto_pct"), &facts(), &quotes(), None);
        assert_eq!(order(&e)[0], "delhivery/surface");
        assert!(e.ranked.iter().all(|c| c.preference == 0));
        assert!(
            e.reasons
                .join(" ")
                .contains("no carrier has enough history")
        );
    }

    #[test]
    fn rules_name_a_carrier_or_one_of_its_accounts() {
        let mut express = quote("delhivery", "express", 8000, Some(2));
        express.carrier_account = "delhivery_express".into();
        let mut all = quotes();
        all.push(express);
        let accounts = |e: &Evaluation| -> Vec<String> {
            e.ranked
                .iter()
                .map(|c| format!("{}/{}", c.quote.carrier_account, c.quote.service))
                .collect()
        };
        let exclude = |names: serde_json::Value| {
            set(json!({"rules": [{"then": {"action": "exclude", "carriers": names}}]}))
        };
        // The account alone: the default Delhivery account still quotes.
        let e = evaluate(&exclude(json!(["delhivery_express"])), &facts(), &all, None);
        assert_eq!(accounts(&e)[0], "delhivery/surface", "{:?}", e.reasons);
        assert!(!accounts(&e).contains(&"delhivery_express/express".to_string()));
        // The carrier: every account of it.
        let e = evaluate(&exclude(json!(["delhivery"])), &facts(), &all, None);
        assert_eq!(accounts(&e), ["bluedart/express", "shiprocket/air"]);
        // Forcing an account picks its quote only.
        let forced =
            set(json!({"rules": [{"then": {"action": "force", "carrier": "delhivery_express"}}]}));
        let e = evaluate(&forced, &facts(), &all, None);
        assert_eq!(accounts(&e), ["delhivery_express/express"]);
    }

    #[test]
    fn no_rules_ranks_by_price() {
        let e = evaluate(&RuleSet::default(), &facts(), &quotes(), None);
        assert_eq!(
            order(&e),
            [
                "delhivery/surface",
                "bluedart/express",
                "delhivery/express",
                "shiprocket/air"
            ]
        );
        assert!(
            e.reasons[0].contains("no selection rules"),
            "{:?}",
            e.reasons
        );
        assert!(
            e.reasons
                .last()
                .unwrap()
                .contains("delhivery/surface is cheapest at 90.00 INR"),
            "{:?}",
            e.reasons
        );
    }

    #[test]
    fn zone_state_and_pincode_conditions() {
        let f = facts();
        assert!(hits(json!({"zones": ["metro_to_metro", "special"]}), &f));
        assert!(!hits(json!({"zones": ["special"]}), &f));
        assert!(!hits(
            json!({"zones": ["metro_to_metro"]}),
            &Facts {
                zone: None,
                ..f.clone()
            }
        ));
        assert!(hits(json!({"dest_states": ["ka"]}), &f));
        assert!(!hits(json!({"dest_states": ["MH"]}), &f));
        assert!(hits(
            json!({"dest_pincodes": ["110001", "560001-560099"]}),
            &f
        ));
        assert!(hits(json!({"dest_pincodes": ["560001"]}), &f));
        assert!(!hits(json!({"dest_pincodes": ["560002-560099"]}), &f));
        assert!(!hits(
            json!({"dest_pincodes": ["560001"]}),
            &Facts {
                dest_pincode: None,
                ..f
            }
        ));
    }

    #[test]
    fn weight_and_dimension_conditions() {
        let f = facts();
        assert!(hits(json!({"weight_g": {"min": 500, "max": 500}}), &f));
        assert!(!hits(json!({"weight_g": {"min": 501}}), &f));
        assert!(!hits(json!({"weight_g": {"max": 499}}), &f));
        assert!(hits(json!({"longest_side_mm": {"max": 200}}), &f));
        assert!(!hits(json!({"longest_side_mm": {"min": 201}}), &f));
        assert!(hits(json!({"volume_cm3": {"min": 3000}}), &f));
        assert!(!hits(json!({"volume_cm3": {"max": 2999}}), &f));
        let no_dims = Facts {
            longest_side_mm: None,
            volume_cm3: None,
            ..f
        };
        assert!(!hits(json!({"longest_side_mm": {"min": 0}}), &no_dims));
        assert!(!hits(json!({"volume_cm3": {"min": 0}}), &no_dims));
    }

    #[test]
    fn payment_cod_and_declared_value_conditions() {
        let f = facts();
        let cod = Facts {
            payment: PaymentMode::Cod,
            cod_amount: Some(250000),
            ..f.clone()
        };
        assert!(hits(json!({"payment_mode": "prepaid"}), &f));
        assert!(!hits(json!({"payment_mode": "cod"}), &f));
        assert!(hits(json!({"payment_mode": "cod"}), &cod));
        assert!(hits(json!({"cod_amount": {"min": 200000}}), &cod));
        assert!(!hits(json!({"cod_amount": {"max": 200000}}), &cod));
        assert!(
            !hits(json!({"cod_amount": {"min": 0}}), &f),
            "prepaid has no COD amount"
        );
        assert!(hits(json!({"declared_value": {"max": 49900}}), &f));
        assert!(!hits(json!({"declared_value": {"min": 50000}}), &f));
        assert!(!hits(
            json!({"declared_value": {"min": 0}}),
            &Facts {
                declared_value: None,
                ..f
            }
        ));
    }

    #[test]
    fn tag_conditions() {
        let f = Facts {
            tags: ["fragile".to_string(), "gift".to_string()].into(),
            ..facts()
        };
        assert!(hits(json!({"tags_any": ["fragile", "b2b"]}), &f));
        assert!(!hits(json!({"tags_any": ["b2b"]}), &f));
        assert!(hits(json!({"tags_all": ["Fragile", "gift"]}), &f));
        assert!(!hits(json!({"tags_all": ["fragile", "b2b"]}), &f));
        assert!(hits(json!({"tags_none": ["b2b"]}), &f));
        assert!(!hits(json!({"tags_none": ["gift"]}), &f));
    }

    #[test]
    fn sla_condition_counts_days_to_deliver_by() {
        let f = Facts {
            deliver_by: today().checked_add_days(chrono::Days::new(2)),
            ..facts()
        };
        assert!(hits(json!({"deliver_within_days": {"max": 2}}), &f));
        assert!(!hits(json!({"deliver_within_days": {"max": 1}}), &f));
        assert!(hits(json!({"deliver_within_days": {"min": 2}}), &f));
        assert!(
            !hits(json!({"deliver_within_days": {"min": 0}}), &facts()),
            "no deliver_by"
        );
    }

    #[test]
    fn all_conditions_of_a_rule_must_hold() {
        let f = facts();
        assert!(hits(
            json!({"zones": ["metro_to_metro"], "weight_g": {"max": 1000}}),
            &f
        ));
        assert!(!hits(
            json!({"zones": ["metro_to_metro"], "weight_g": {"min": 1000}}),
            &f
        ));
        assert!(hits(json!({}), &f), "no conditions: always");
    }

    #[test]
    fn exclude_and_allow_only() {
        let e = evaluate(
            &set(json!({"rules": [{"then": {"action": "exclude", "carriers": ["delhivery"]}}]})),
            &facts(),
            &quotes(),
            None,
        );
        assert_eq!(order(&e), ["bluedart/express", "shiprocket/air"]);
        assert!(
            e.reasons.iter().any(|r| r
                .contains("dropped delhivery/surface, delhivery/express: excluded by rules[0]")),
            "{:?}",
            e.reasons
        );
        let e = evaluate(
            &set(
                json!({"rules": [{"then": {"action": "allow_only", "carriers": ["shiprocket", "bluedart"]}}]}),
            ),
            &facts(),
            &quotes(),
            None,
        );
        assert_eq!(order(&e), ["bluedart/express", "shiprocket/air"]);
    }

    #[test]
    fn prefer_lowers_the_metric_by_its_weight() {
        // bluedart 120.00 at 75% = 90.00 ties delhivery's 90.00: the tie goes to the lower
        // total, so delhivery stays first; at weight 26 bluedart (88.80) wins.
        let prefer = |w: u32| {
            set(
                json!({"rules": [{"then": {"action": "prefer", "carriers": ["bluedart"], "weight": w}}]}),
            )
        };
        let e = evaluate(&prefer(25), &facts(), &quotes(), None);
        assert_eq!(order(&e)[0], "delhivery/surface");
        let e = evaluate(&prefer(26), &facts(), &quotes(), None);
        assert_eq!(order(&e)[0], "bluedart/express");
        assert!(
            e.reasons
                .last()
                .unwrap()
                .contains("preferred (weight 26) over delhivery/surface"),
            "{:?}",
            e.reasons
        );
        // Weights of matching rules add up, capped at 90.
        let two = set(json!({"rules": [
            {"then": {"action": "prefer", "carriers": ["shiprocket"], "weight": 20}},
            {"then": {"action": "prefer", "carriers": ["shiprocket"], "weight": 20}}
        ]}));
        let e = evaluate(&two, &facts(), &quotes(), None);
        // 150.00 at 60% = 90.00 ties delhivery at 90.00; delhivery's lower total wins the tie.
        assert_eq!(order(&e)[0], "delhivery/surface");
        assert_eq!(
            e.ranked
                .iter()
                .find(|c| c.quote.carrier == "shiprocket")
                .unwrap()
                .preference,
            40
        );
        let capped = set(json!({"rules": [
            {"then": {"action": "prefer", "carriers": ["shiprocket"], "weight": 90}},
            {"then": {"action": "prefer", "carriers": ["shiprocket"], "weight": 90}}
        ]}));
        let e = evaluate(&capped, &facts(), &quotes(), None);
        assert_eq!(e.ranked[0].preference, MAX_PREFERENCE);
    }

    #[test]
    fn force_wins_over_everything_and_the_first_force_decides() {
        let s = set(json!({"rules": [
            {"then": {"action": "exclude", "carriers": ["shiprocket"]}},
            {"then": {"action": "allow_only", "carriers": ["delhivery"]}},
            {"name": "air for VIPs", "then": {"action": "force", "carrier": "shiprocket"}},
            {"then": {"action": "force", "carrier": "bluedart"}},
            {"then": {"action": "prefer", "carriers": ["delhivery"], "weight": 90}}
        ]}));
        let e = evaluate(&s, &facts(), &quotes(), None);
        assert_eq!(order(&e), ["shiprocket/air"]);
        assert_eq!(e.forced_by, Some(2));
        assert!(
            e.reasons.iter().any(|r| r
                == "rules[3] ignored: rules[2] \"air for VIPs\" decided first (force shiprocket)"),
            "{:?}",
            e.reasons
        );
        // A forced service narrows to it; a forced carrier without a quote leaves nothing.
        let s = set(
            json!({"rules": [{"then": {"action": "force", "carrier": "delhivery", "service": "express"}}]}),
        );
        assert_eq!(
            order(&evaluate(&s, &facts(), &quotes(), None)),
            ["delhivery/express"]
        );
        let s = set(json!({"rules": [{"then": {"action": "force", "carrier": "xpressbees"}}]}));
        let e = evaluate(&s, &facts(), &quotes(), None);
        assert!(e.ranked.is_empty());
        assert!(
            e.reasons
                .last()
                .unwrap()
                .contains("forces xpressbees but it gave no quote")
        );
    }

    #[test]
    fn exclude_beats_allow_only_and_allow_onlys_intersect() {
        let s = set(json!({"rules": [
            {"then": {"action": "allow_only", "carriers": ["delhivery", "bluedart", "shiprocket"]}},
            {"then": {"action": "allow_only", "carriers": ["delhivery", "shiprocket"]}},
            {"then": {"action": "exclude", "carriers": ["delhivery"]}}
        ]}));
        let e = evaluate(&s, &facts(), &quotes(), None);
        assert_eq!(order(&e), ["shiprocket/air"]);
        assert!(
            e.reasons
                .iter()
                .any(|r| r == "rules[0] and rules[1] together allow only delhivery, shiprocket"),
            "{:?}",
            e.reasons
        );
        let disjoint = set(json!({"rules": [
            {"then": {"action": "allow_only", "carriers": ["delhivery"]}},
            {"then": {"action": "allow_only", "carriers": ["bluedart"]}}
        ]}));
        let e = evaluate(&disjoint, &facts(), &quotes(), None);
        assert!(e.ranked.is_empty());
        assert!(
            e.reasons
                .iter()
                .any(|r| r.contains("allow no carrier in common"))
        );
    }

    #[test]
    fn rules_that_do_not_match_do_nothing() {
        let s = set(json!({"rules": [
            {"when": {"payment_mode": "cod"}, "then": {"action": "force", "carrier": "bluedart"}}
        ]}));
        let e = evaluate(&s, &facts(), &quotes(), None);
        assert_eq!(order(&e)[0], "delhivery/surface");
        assert_eq!(e.forced_by, None);
        assert!(e.reasons[0].contains("none of the 1 rules matched"));
    }

    #[test]
    fn fastest_ranks_by_estimated_delivery_with_unknown_last() {
        let mut q = quotes();
        q.push(quote("ecom", "surface", 100, None));
        let e = evaluate(&RuleSet::default(), &facts(), &q, Some(Objective::Fastest));
        assert_eq!(
            order(&e),
            [
                "shiprocket/air",
                "bluedart/express",
                "delhivery/express",
                "delhivery/surface",
                "ecom/surface"
            ]
        );
        assert!(
            e.reasons
                .last()
                .unwrap()
                .contains("fastest, estimated 2026-03-03 (1 days)")
        );
        // An explicit estimated date counts over transit days.
        let mut dated = quote("ecom", "surface", 100, Some(9));
        dated.estimated_delivery = Some(today());
        let e = evaluate(
            &RuleSet::default(),
            &facts(),
            &[dated],
            Some(Objective::Fastest),
        );
        assert_eq!(e.ranked[0].eta, Some(today()));
    }

    #[test]
    fn cheapest_within_promise_drops_late_and_unestimated_quotes() {
        let mut q = quotes();
        q.push(quote("ecom", "surface", 100, None));
        let f = Facts {
            deliver_by: today().checked_add_days(chrono::Days::new(2)),
            ..facts()
        };
        let e = evaluate(
            &RuleSet::default(),
            &f,
            &q,
            Some(Objective::CheapestWithinPromise),
        );
        assert_eq!(
            order(&e),
            ["bluedart/express", "delhivery/express", "shiprocket/air"]
        );
        assert!(
            e.reasons.iter().any(|r| r.contains(
                "dropped delhivery/surface: estimated 2026-03-07, after deliver_by 2026-03-04"
            )),
            "{:?}",
            e.reasons
        );
        assert!(
            e.reasons
                .iter()
                .any(|r| r.contains("dropped ecom/surface: no delivery estimate"))
        );
        // The rule set's promise_days stands in for a missing deliver_by.
        let s = set(json!({"objective": "cheapest_within_promise", "promise_days": 1}));
        let e = evaluate(&s, &facts(), &q, None);
        assert_eq!(order(&e), ["shiprocket/air"]);
        // Neither: ranked by price, and said so.
        let e = evaluate(
            &RuleSet::default(),
            &facts(),
            &q,
            Some(Objective::CheapestWithinPromise),
        );
        assert_eq!(order(&e)[0], "ecom/surface");
        assert!(
            e.reasons
                .iter()
                .any(|r| r.contains("ranked by price alone"))
        );
    }

    #[test]
    fn ties_are_broken_deterministically() {
        let a = quote("b", "x", 100, Some(2));
        let b = quote("a", "y", 100, Some(2));
        let c = quote("a", "x", 100, Some(2));
        let d = quote("c", "x", 100, Some(1));
        for input in [
            vec![a.clone(), b.clone(), c.clone(), d.clone()],
            vec![d.clone(), c.clone(), b.clone(), a.clone()],
        ] {
            let e = evaluate(&RuleSet::default(), &facts(), &input, None);
            assert_eq!(order(&e), ["c/x", "a/x", "a/y", "b/x"]);
        }
    }
}
