//! Address quality: how likely a parcel is to find its destination, scored before it is
//! booked.
//!
//! Indian addresses are unstructured, and a large share of RTO (parcels returned to
//! origin, paid both ways) starts as an address nobody could find or a phone nobody
//! answered — which then looks like a carrier failure. [`assess`] normalises a parsed
//! [`Address`] and scores it from 0 to 100:
//! - the PIN code exists and agrees with the city and state written beside it
//!   (`place`; India only);
//! - the phone reaches somebody: an Indian mobile, not one digit ten times or a run
//!   (`phone`);
//! - the street lines read as an address: a house number, a street or locality, a
//!   landmark (`lines`), and are not junk (`test`, `asdf`, `aaaa`: `junk`);
//! - the name and city are not junk either.
//!
//! Each finding is a [`Reason`] with a stable `code`, the JSON pointer of the field it is
//! about, a sentence for people, and the points it costs ([`penalty`]). The score is 100
//! less the points (never below 0); its [`Band`]: `good` from 80, `fair` from 50, `poor`
//! below. Outside India only the checks that apply there run (phone patterns, lines,
//! junk), and a `checks_limited` reason says so.
//!
//! Pure and deterministic: no I/O, the PIN code table is embedded. The gateway scores
//! every booking's destination with it and serves it at `POST /v1/addresses/check`.

mod junk;
mod lines;
mod phone;
mod place;
mod text;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::schema::{Address, AddressInput, FieldError, Violations};
pub use lines::Parts;

/// A score from this value up is `good`.
pub const GOOD_FROM: u8 = 80;
/// A score from this value up (and below [`GOOD_FROM`]) is `fair`; below it `poor`.
pub const FAIR_FROM: u8 = 50;

/// Every reason code with the points it costs (0: said for information only).
pub const REASONS: &[(&str, u8)] = &[
    ("pincode_unknown", 55),
    ("state_mismatch", 30),
    ("state_outdated", 5),
    ("state_unrecognised", 5),
    ("state_missing", 3),
    ("city_mismatch", 25),
    ("city_other_district", 10),
    ("city_elsewhere", 10),
    ("city_not_verified", 0),
    ("city_junk", 20),
    ("phone_not_mobile", 35),
    ("phone_repeated_digits", 35),
    ("phone_sequence", 30),
    ("phone_low_variety", 20),
    ("line_junk", 55),
    ("line_suspicious", 10),
    ("line_too_short", 30),
    ("line_sparse", 10),
    ("house_number_missing", 10),
    ("name_junk", 15),
    ("checks_limited", 0),
];

/// The points `code` costs (0 for a code not in [`REASONS`]).
pub fn penalty(code: &str) -> u8 {
    REASONS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(0, |(_, p)| *p)
}

/// How a score reads.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Band {
    Good,
    Fair,
    Poor,
}

impl Band {
    pub const ALL: [Band; 3] = [Band::Good, Band::Fair, Band::Poor];

    pub fn of(score: u8) -> Band {
        if score >= GOOD_FROM {
            Band::Good
        } else if score >= FAIR_FROM {
            Band::Fair
        } else {
            Band::Poor
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Band::Good => "good",
            Band::Fair => "fair",
            Band::Poor => "poor",
        }
    }

    pub fn parse(s: &str) -> Option<Band> {
        Band::ALL.into_iter().find(|b| b.as_str() == s)
    }
}

/// One finding about an address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Reason {
    /// Stable machine code, e.g. `pincode_unknown`, `phone_sequence`, `line_junk`.
    pub code: String,
    /// The JSON pointer of the field it is about, e.g. `/to/postal_code`.
    pub pointer: String,
    /// What is wrong, for people.
    pub detail: String,
    /// Points taken off the score (0: for information).
    pub penalty: u8,
}

/// Score, band and reasons: what a booking keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Quality {
    /// 0 to 100.
    pub score: u8,
    pub band: Band,
    /// Worst first.
    pub reasons: Vec<Reason>,
}

/// The whole assessment of an address.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Assessment {
    /// The address tidied: spaces, common abbreviations spelt out (`Rd` → `Road`), the
    /// state by its name from the PIN code, the phone in E.164.
    pub address: Address,
    pub parts: Parts,
    /// The PIN code's district and state code, where the table knows it (India).
    pub district: Option<String>,
    pub state_code: Option<String>,
    #[serde(flatten)]
    pub quality: Quality,
    /// The checks that ran: `pincode`, `city`, `state`, `phone` (Indian mobile) or
    /// `phone_pattern` (elsewhere), `lines`, `junk`.
    pub checks: Vec<&'static str>,
}

/// Findings collected by the checks.
pub(crate) struct Findings {
    pointer: String,
    reasons: Vec<Reason>,
}

impl Findings {
    fn new(pointer: &str) -> Findings {
        Findings {
            pointer: pointer.to_string(),
            reasons: Vec::new(),
        }
    }

    pub(crate) fn add(&mut self, field: &str, code: &str, detail: impl Into<String>) {
        self.add_costing(field, code, penalty(code), detail);
    }

    fn add_costing(&mut self, field: &str, code: &str, penalty: u8, detail: impl Into<String>) {
        self.reasons.push(Reason {
            code: code.to_string(),
            pointer: format!("{}/{field}", self.pointer),
            detail: detail.into(),
            penalty,
        });
    }

    pub(crate) fn reasons_len(&self) -> usize {
        self.reasons.len()
    }

    /// The codes found since there were `from` reasons.
    pub(crate) fn codes_since(&self, from: usize) -> impl Iterator<Item = &str> {
        self.reasons[from..].iter().map(|r| r.code.as_str())
    }

    fn has(&self, code: &str) -> bool {
        self.reasons.iter().any(|r| r.code == code)
    }
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An address sent on its own (`POST /v1/addresses/check`): parsed, every violation at
/// its pointer (`/postal_code`), then assessed with reasons pointing the same way.
pub fn check(input: &AddressInput) -> Result<Assessment, Vec<FieldError>> {
    let mut v = Violations::default();
    let parsed = Address::parse(input, "", &mut v);
    v.finish(|| parsed.expect("an address without violations parses"))
        .map(|address| assess(&address, ""))
}

/// Scores `address`; reasons point into the document at `pointer` (`/to` for a
/// booking's destination, empty for an address sent on its own).
pub fn assess(address: &Address, pointer: &str) -> Assessment {
    let india = address.country == "IN";
    let mut f = Findings::new(pointer);
    let location = if india {
        place::check(address, &mut f)
    } else {
        f.add(
            "country",
            "checks_limited",
            format!(
                "PIN code, city, state and mobile checks apply to Indian addresses; for {} only \
                 the phone's pattern, the lines and junk were checked",
                address.country
            ),
        );
        None
    };
    phone::check(address, india, &mut f);

    let mut street_lines = vec![address.line1.as_str()];
    street_lines.extend(address.line2.as_deref());
    let parts = lines::parse(&street_lines, address.landmark.as_deref());
    check_lines(address, &parts, &mut f);

    if junk::junk(&address.name) != junk::Junk::None
        || address.name.chars().filter(|c| c.is_alphabetic()).count() < 2
    {
        f.add(
            "name",
            "name_junk",
            format!(
                "`{}` does not look like a person's or company's name",
                address.name
            ),
        );
    }
    if junk::junk(&address.city) == junk::Junk::Mostly {
        f.add(
            "city",
            "city_junk",
            format!("`{}` is not a place", address.city),
        );
    }

    let mut reasons = f.reasons;
    reasons.sort_by_key(|r| std::cmp::Reverse(r.penalty));
    let lost: u32 = reasons.iter().map(|r| u32::from(r.penalty)).sum();
    let score = 100u32.saturating_sub(lost) as u8;

    let mut normalised = address.clone();
    normalised.name = collapse(&address.name);
    normalised.line1 = lines::normalise_line(&address.line1);
    normalised.line2 = address
        .line2
        .as_deref()
        .map(lines::normalise_line)
        .filter(|l| !l.is_empty());
    normalised.landmark = address
        .landmark
        .as_deref()
        .map(lines::normalise_line)
        .filter(|l| !l.is_empty());
    normalised.city = {
        let city = collapse(&address.city);
        if city.chars().any(char::is_lowercase) && city.chars().any(char::is_uppercase) {
            city
        } else {
            place::title_case(&city.to_uppercase())
        }
    };
    let state_code = match &location {
        Some(l) => Some(l.state.code),
        None if india => match address.state.as_deref() {
            Some(text) => match place::read_state(address, text) {
                place::WrittenState::State(code) => Some(code),
                _ => None,
            },
            None => None,
        },
        None => None,
    };
    if let Some(state) = state_code.and_then(|c| crate::ratecard::pincodes::india().state(c)) {
        normalised.state = Some(place::title_case(
            state.name.strip_prefix("THE ").unwrap_or(state.name),
        ));
    }

    Assessment {
        address: normalised,
        parts,
        district: location
            .and_then(|l| l.district)
            .map(|d| place::title_case(d.name)),
        state_code: state_code.map(str::to_string),
        quality: Quality {
            score,
            band: Band::of(score),
            reasons,
        },
        checks: if india {
            vec!["pincode", "city", "state", "phone", "lines", "junk"]
        } else {
            vec!["phone_pattern", "lines", "junk"]
        },
    }
}

fn check_lines(address: &Address, parts: &Parts, f: &mut Findings) {
    use junk::{Junk, junk};
    let line1 = junk(&address.line1);
    let line2 = address.line2.as_deref().map_or(Junk::None, junk);
    let landmark = address.landmark.as_deref().map_or(Junk::None, junk);
    if line1 == Junk::Mostly {
        f.add(
            "line1",
            "line_junk",
            format!("`{}` is not an address", address.line1),
        );
        return;
    }
    for (field, level, text) in [
        ("line1", line1, address.line1.as_str()),
        ("line2", line2, address.line2.as_deref().unwrap_or("")),
        (
            "landmark",
            landmark,
            address.landmark.as_deref().unwrap_or(""),
        ),
    ] {
        if level != Junk::None && !f.has("line_suspicious") {
            f.add(
                field,
                "line_suspicious",
                format!("`{text}` has placeholder text in it"),
            );
        }
    }
    let joined = [Some(address.line1.as_str()), address.line2.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let characters = joined.chars().filter(|c| c.is_alphanumeric()).count();
    let word_count = text::words(&text::fold(&joined)).count();
    if characters < 8 || word_count < 2 {
        f.add(
            "line1",
            "line_too_short",
            format!("`{}` is too short to find a door by", collapse(&joined)),
        );
        return;
    }
    if parts.street.is_none() && parts.locality.is_none() && parts.building.is_none() {
        f.add(
            "line1",
            "line_sparse",
            "no street, building or locality in the address lines",
        );
    }
    if parts.house.is_none() {
        let (cost, detail) = if parts.landmark.is_some() {
            (
                5,
                "no house, flat or plot number; the landmark will have to do",
            )
        } else {
            (
                penalty("house_number_missing"),
                "no house, flat or plot number, and no landmark",
            )
        };
        f.add_costing("line1", "house_number_missing", cost, detail);
    }
}

#[cfg(test)]
mod tests;
