//! What a request tells carrier selection beyond the parcel itself: the order's tags, the
//! date the buyer was promised, and which objective to rank by.
//!
//! These are optional on both rate and shipment requests. They are parsed like every other
//! field (every violation at its pointer) and kept with a booked shipment's request, so a
//! retry of the same order is compared on them too.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Violations;

/// At most this many tags per request; a tag is at most `MAX_TAG_LEN` characters.
pub const MAX_TAGS: usize = 20;
pub const MAX_TAG_LEN: usize = 40;

// Only the OpenAPI document uses this type: tags are read as strings and checked by
// `parse_tags`, which the pattern follows (looser only in letting through non-ASCII
// characters that are neither letters nor digits).
/// A tag: 1 to 40 letters, digits and `- _ : .` (no spaces), surrounding whitespace not
/// counted. Compared lower-cased, so `Fragile` and `fragile` are one tag.
#[derive(ToSchema)]
#[schema(
    value_type = String,
    example = "fragile",
    pattern = r"^\s*[^\s!-,/;-@\[-^`{-~]{1,40}\s*$"
)]
pub struct Tag(pub String);

/// How candidate quotes are ranked.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// Lowest total first.
    #[default]
    Cheapest,
    /// Earliest estimated delivery first.
    Fastest,
    /// Lowest total among the quotes estimated to arrive by the promised date.
    CheapestWithinPromise,
}

impl Objective {
    pub const ALL: [Objective; 3] = [
        Objective::Cheapest,
        Objective::Fastest,
        Objective::CheapestWithinPromise,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Objective::Cheapest => "cheapest",
            Objective::Fastest => "fastest",
            Objective::CheapestWithinPromise => "cheapest_within_promise",
        }
    }

    pub fn parse(s: &str) -> Option<Objective> {
        Objective::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// Reports an unknown objective at `pointer`.
    pub fn parse_at(v: &mut Violations, pointer: &str, text: &str) -> Option<Objective> {
        let parsed = Objective::parse(text.trim());
        if parsed.is_none() {
            v.add(
                pointer,
                "invalid_objective",
                format!(
                    "`{text}` is not an objective; use cheapest, fastest or cheapest_within_promise"
                ),
            );
        }
        parsed
    }
}

impl std::fmt::Display for Objective {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The selection inputs of a request, already valid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectionHints {
    /// Lower-case, sorted, without duplicates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deliver_by: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<Objective>,
}

impl SelectionHints {
    /// Parses the three optional fields found at the top of a request body.
    pub fn parse(
        v: &mut Violations,
        tags: Option<&Vec<String>>,
        deliver_by: Option<&str>,
        objective: Option<&str>,
    ) -> SelectionHints {
        SelectionHints {
            tags: tags.map(|t| parse_tags(v, "/tags", t)).unwrap_or_default(),
            deliver_by: deliver_by.and_then(|d| parse_date(v, "/deliver_by", d)),
            objective: objective.and_then(|o| Objective::parse_at(v, "/objective", o)),
        }
    }
}

/// A tag list: each tag trimmed and lower-cased (so `Fragile` and `fragile` are one tag),
/// letters, digits and `-_:.` only; duplicates dropped.
pub fn parse_tags(v: &mut Violations, pointer: &str, tags: &[String]) -> Vec<String> {
    if tags.len() > MAX_TAGS {
        v.add(pointer, "too_many", format!("at most {MAX_TAGS} tags"));
        return Vec::new();
    }
    let mut out = Vec::with_capacity(tags.len());
    for (i, tag) in tags.iter().enumerate() {
        let tag = tag.trim().to_lowercase();
        let at = format!("{pointer}/{i}");
        if tag.is_empty() {
            v.add(at, "required", "a tag is not empty");
        } else if tag.chars().count() > MAX_TAG_LEN {
            v.add(at, "too_long", format!("at most {MAX_TAG_LEN} characters"));
        } else if !tag
            .chars()
            .all(|c| c.is_alphanumeric() || "-_:.".contains(c))
        {
            v.add(
                at,
                "invalid_tag",
                "letters, digits and - _ : . only (no spaces)",
            );
        } else {
            out.push(tag);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A calendar date, `YYYY-MM-DD`.
pub fn parse_date(v: &mut Violations, pointer: &str, text: &str) -> Option<NaiveDate> {
    let parsed = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
    if parsed.is_none() {
        v.add(
            pointer,
            "invalid_date",
            format!("`{text}` is not a date; use YYYY-MM-DD"),
        );
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_normalised_and_checked_one_by_one() {
        let mut v = Violations::default();
        let tags = parse_tags(
            &mut v,
            "/tags",
            &[
                "Fragile".into(),
                " fragile ".into(),
                "b2b".into(),
                "two words".into(),
                "".into(),
            ],
        );
        assert_eq!(tags, vec!["b2b", "fragile"]);
        let pointers: Vec<_> = v.into_vec().into_iter().map(|e| e.pointer).collect();
        assert_eq!(pointers, vec!["/tags/3", "/tags/4"]);
    }

    #[test]
    fn dates_and_objectives() {
        let mut v = Violations::default();
        let hints = SelectionHints::parse(&mut v, None, Some("2026-02-30"), Some("soonest"));
        assert_eq!(hints, SelectionHints::default());
        let errors = v.into_vec();
        assert_eq!(errors[0].pointer, "/deliver_by");
        assert_eq!(errors[1].pointer, "/objective");
        let mut v = Violations::default();
        let hints = SelectionHints::parse(
            &mut v,
            Some(&vec!["cod".into()]),
            Some("2026-03-01"),
            Some("cheapest_within_promise"),
        );
        assert!(v.is_empty());
        assert_eq!(hints.deliver_by, NaiveDate::from_ymd_opt(2026, 3, 1));
        assert_eq!(hints.objective, Some(Objective::CheapestWithinPromise));
    }
}
