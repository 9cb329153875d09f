//! The zone of a shipment, from its origin and destination PIN codes.
//!
//! Indian courier contracts price by five zones. The first rule that applies decides:
//!
//! 1. **special**: either end is in the north-east (Arunachal Pradesh, Assam, Manipur,
//!    Meghalaya, Mizoram, Nagaland, Sikkim, Tripura), in Jammu and Kashmir or Ladakh, or
//!    on the islands (Andaman and Nicobar, Lakshadweep). These lanes cost carriers more
//!    (air legs, permits, thin networks) whatever the distance, so they come first: a
//!    parcel within Guwahati is priced as special.
//! 2. **within city**: both ends in the same city. A city is its district, except that
//!    the metro cities below span several districts (Delhi's eleven, Mumbai and Mumbai
//!    Suburban, …). A PIN code with no known district is never "within city".
//! 3. **within state**: both ends in the same state or union territory.
//! 4. **metro to metro**: both ends in (different) metro cities.
//! 5. **rest of India**: everything else.
//!
//! The metro cities are the eight most contracts name: Delhi, Mumbai, Kolkata, Chennai,
//! Bengaluru, Hyderabad, Ahmedabad and Pune, each as the districts listed in [`METROS`].

use std::fmt::{self, Write as _};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::pincodes::{District, Location, State};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Zone {
    WithinCity,
    WithinState,
    MetroToMetro,
    RestOfIndia,
    Special,
}

impl Zone {
    pub const ALL: [Zone; 5] = [
        Zone::WithinCity,
        Zone::WithinState,
        Zone::MetroToMetro,
        Zone::RestOfIndia,
        Zone::Special,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Zone::WithinCity => "within_city",
            Zone::WithinState => "within_state",
            Zone::MetroToMetro => "metro_to_metro",
            Zone::RestOfIndia => "rest_of_india",
            Zone::Special => "special",
        }
    }

    pub fn parse(s: &str) -> Option<Zone> {
        Zone::ALL.into_iter().find(|z| z.as_str() == s)
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a special lane is special.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecialRegion {
    NorthEast,
    JammuKashmirLadakh,
    Islands,
}

impl SpecialRegion {
    fn of(state: State) -> Option<SpecialRegion> {
        match state.code {
            "AR" | "AS" | "MN" | "ML" | "MZ" | "NL" | "SK" | "TR" => Some(SpecialRegion::NorthEast),
            "JK" | "LA" => Some(SpecialRegion::JammuKashmirLadakh),
            "AN" | "LD" => Some(SpecialRegion::Islands),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SpecialRegion::NorthEast => "the north-east",
            SpecialRegion::JammuKashmirLadakh => "Jammu and Kashmir or Ladakh",
            SpecialRegion::Islands => "the islands",
        }
    }
}

/// A metro city: its name and the districts (of one state) it spans.
pub struct Metro {
    pub name: &'static str,
    pub state: &'static str,
    /// `None`: every district of the state (Delhi).
    pub districts: Option<&'static [&'static str]>,
}

pub const METROS: &[Metro] = &[
    Metro {
        name: "Delhi",
        state: "DL",
        districts: None,
    },
    Metro {
        name: "Mumbai",
        state: "MH",
        districts: Some(&["MUMBAI", "MUMBAI SUBURBAN"]),
    },
    Metro {
        name: "Kolkata",
        state: "WB",
        districts: Some(&["KOLKATA"]),
    },
    Metro {
        name: "Chennai",
        state: "TN",
        districts: Some(&["CHENNAI"]),
    },
    Metro {
        name: "Bengaluru",
        state: "KA",
        districts: Some(&["BENGALURU URBAN"]),
    },
    // Greater Hyderabad spans its own district and the urban parts of the two around it.
    Metro {
        name: "Hyderabad",
        state: "TG",
        districts: Some(&["HYDERABAD", "MEDCHAL MALKAJGIRI", "RANGA REDDY"]),
    },
    Metro {
        name: "Ahmedabad",
        state: "GJ",
        districts: Some(&["AHMADABAD"]),
    },
    Metro {
        name: "Pune",
        state: "MH",
        districts: Some(&["PUNE"]),
    },
];

fn metro(district: District) -> Option<&'static Metro> {
    METROS.iter().find(|m| {
        m.state == district.state.code && m.districts.is_none_or(|ds| ds.contains(&district.name))
    })
}

/// The city a district belongs to, for "within city": a metro, or the district itself.
#[derive(PartialEq, Eq)]
enum City {
    Metro(&'static str),
    District(u16),
}

fn city(location: &Location) -> Option<City> {
    let district = location.district?;
    Some(match metro(district) {
        Some(m) => City::Metro(m.name),
        None => City::District(district.id),
    })
}

/// A zone and the sentence that explains it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneDecision {
    pub zone: Zone,
    pub reason: String,
}

/// `560001 (Bengaluru)`, `400701 (THANE, MH)`: one end of the lane in the zone's reason.
struct Place<'a>(&'a Location);

impl fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let location = self.0;
        match (location.district, metro_of(location)) {
            (_, Some(m)) => write!(f, "{} ({})", location.pincode, m.name),
            (Some(d), None) => write!(f, "{} ({}, {})", location.pincode, d.name, d.state.code),
            (None, None) => write!(f, "{} ({})", location.pincode, location.state.code),
        }
    }
}

fn metro_of(location: &Location) -> Option<&'static Metro> {
    location.district.and_then(metro)
}

/// The zone of a shipment from `from` to `to`, by the precedence in the module doc.
pub fn decide(from: &Location, to: &Location) -> ZoneDecision {
    let special = SpecialRegion::of(to.state)
        .map(|r| (r, "destination"))
        .or_else(|| SpecialRegion::of(from.state).map(|r| (r, "origin")));
    let (zone, why) = if let Some((region, end)) = special {
        (Zone::Special, Why::Special(end, region))
    } else if city(from).is_some() && city(from) == city(to) {
        (Zone::WithinCity, Why::Plain("same city"))
    } else if from.state == to.state {
        (Zone::WithinState, Why::SameState(from.state.name))
    } else if metro_of(from).is_some() && metro_of(to).is_some() {
        (Zone::MetroToMetro, Why::Plain("metro to metro"))
    } else {
        (Zone::RestOfIndia, Why::Plain("different states"))
    };
    // One string, written once: this runs for every quote of every rate card.
    let mut reason = String::with_capacity(96);
    let _ = write!(reason, "{zone}: {why}, {} → {}", Place(from), Place(to));
    ZoneDecision { zone, reason }
}

/// Why a lane is in its zone, as the reason words it.
enum Why {
    Special(&'static str, SpecialRegion),
    SameState(&'static str),
    Plain(&'static str),
}

impl fmt::Display for Why {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Why::Special(end, region) => write!(f, "{end} in {}", region.as_str()),
            Why::SameState(state) => write!(f, "same state ({state})"),
            Why::Plain(why) => f.write_str(why),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::pincodes::india;
    use super::*;

    fn zone(from: &str, to: &str) -> Zone {
        let t = india();
        decide(&t.lookup(from).unwrap(), &t.lookup(to).unwrap()).zone
    }

    #[test]
    fn every_metro_district_exists_in_the_table() {
        let t = india();
        for m in METROS {
            assert!(t.state(m.state).is_some(), "{}", m.name);
            for d in m.districts.unwrap_or(&[]) {
                assert!(t.find_district(m.state, d).is_some(), "{} {d}", m.name);
            }
        }
    }

    #[test]
    fn zones_follow_the_documented_precedence() {
        use Zone::*;
        let cases = [
            // Same district.
            ("560001", "560095", WithinCity), // Bengaluru MG Road → Koramangala
            ("302001", "302017", WithinCity), // Jaipur → Jaipur (not a metro)
            // Delhi is one city across its districts (New Delhi → South West Delhi).
            ("110001", "110075", WithinCity),
            // Mumbai spans Mumbai and Mumbai Suburban (Fort → Andheri).
            ("400001", "400053", WithinCity),
            // Same state, other district: Bengaluru → Mysuru, Pune → Mumbai.
            ("560001", "570001", WithinState),
            ("411001", "400001", WithinState),
            // Two metros in different states.
            ("110001", "560001", MetroToMetro),
            ("600001", "700001", MetroToMetro),
            ("500001", "380001", MetroToMetro),
            // A metro and a non-metro in another state; two non-metros.
            ("110001", "302001", RestOfIndia),
            ("302001", "226001", RestOfIndia),
            // Special beats everything, at either end, even within one city.
            ("110001", "781001", Special), // → Guwahati
            ("781001", "110001", Special), // Guwahati →
            ("781001", "781005", Special), // within Guwahati
            ("560001", "190001", Special), // → Srinagar
            ("560001", "194101", Special), // → Leh
            ("600001", "744101", Special), // → Port Blair
            ("682001", "682555", Special), // Kochi → Lakshadweep
            ("110001", "737101", Special), // → Gangtok
        ];
        for (from, to, expected) in cases {
            assert_eq!(zone(from, to), expected, "{from} → {to}");
        }
    }

    #[test]
    fn a_code_without_a_district_is_never_within_city() {
        // 121999 is in Haryana with no district; 122001 is Gurugram.
        assert_eq!(zone("121999", "121999"), Zone::WithinState);
        assert_eq!(zone("121999", "122001"), Zone::WithinState);
    }

    #[test]
    fn the_reason_names_the_lane() {
        let t = india();
        let d = decide(&t.lookup("110001").unwrap(), &t.lookup("781001").unwrap());
        assert_eq!(
            d.reason,
            "special: destination in the north-east, 110001 (Delhi) → 781001 (KAMRUP METRO, AS)"
        );
    }
}
