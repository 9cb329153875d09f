//! What differs by country in an address: the postal code's format and the states (or
//! provinces) carriers name by code.
//!
//! Postal codes have a rule for the countries shipgate ships from and to most (India, the
//! United States, the United Kingdom, Germany, Canada) and a loose sanity rule elsewhere.
//! States: a US or Canadian address names its state or province by its two-letter postal
//! code (a full name is accepted and becomes the code, anything else is refused); an
//! Indian address keeps its state as written (Indian carriers print it), and
//! [`state_code`] gives the ISO 3166-2:IN code when the state is one shipgate knows.

/// The postal code `raw` (trimmed) for `country`, normalised (upper case, one space
/// where the country writes one), or a sentence naming the country's format.
pub(crate) fn postal_code(raw: &str, country: &str) -> Result<String, String> {
    let raw = raw.trim();
    let upper = raw.to_ascii_uppercase();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    match country {
        "IN" => {
            if digits(raw, 6) && !raw.starts_with('0') {
                Ok(raw.to_string())
            } else {
                Err(format!(
                    "an Indian PIN code has exactly 6 digits and does not start with 0 (got `{}`)",
                    quoted(raw)
                ))
            }
        }
        "US" => {
            let compact: String = upper.chars().filter(|c| *c != '-' && *c != ' ').collect();
            let separators_ok = digits(raw, 5)
                || (raw.len() == 10 && matches!(raw.as_bytes()[5], b'-' | b' '))
                || digits(raw, 9);
            if separators_ok && (digits(&compact, 5) || digits(&compact, 9)) {
                Ok(if compact.len() == 9 {
                    format!("{}-{}", &compact[..5], &compact[5..])
                } else {
                    compact
                })
            } else {
                Err(format!(
                    "a US ZIP code is 5 digits (12345) or ZIP+4 (12345-6789) (got `{}`)",
                    quoted(raw)
                ))
            }
        }
        "GB" => uk_postcode(&upper).ok_or_else(|| {
            format!(
                "a UK postcode is an outward code (area letters, district digits) and an \
                 inward code (a digit, two letters), such as SW1A 1AA or M1 1AE (got `{}`)",
                quoted(raw)
            )
        }),
        "DE" => {
            if digits(raw, 5) {
                Ok(raw.to_string())
            } else {
                Err(format!(
                    "a German postcode (PLZ) has exactly 5 digits, such as 10115 (got `{}`)",
                    quoted(raw)
                ))
            }
        }
        "CA" => canadian_postal_code(&upper).ok_or_else(|| {
            format!(
                "a Canadian postal code is letter, digit, letter, digit, letter, digit, such as \
                 K1A 0B1 (got `{}`)",
                quoted(raw)
            )
        }),
        _ => {
            let ok = (3..=10).contains(&raw.len())
                && raw
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b' ' || b == b'-');
            if ok {
                Ok(upper)
            } else {
                Err("a postal code has 3 to 10 letters, digits, spaces or dashes".into())
            }
        }
    }
}

/// The text quoted back in an error, cut short when long.
fn quoted(raw: &str) -> String {
    if raw.chars().count() <= 12 {
        raw.to_string()
    } else {
        format!("{}…", raw.chars().take(12).collect::<String>())
    }
}

/// `text` without its one run of spaces, when it has none, or one where `at` (given the
/// lengths before and after) says a space goes; `None` for spaces anywhere else.
fn split_at_space(text: &str, at: impl Fn(usize, usize) -> bool) -> Option<String> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    match parts.as_slice() {
        [one] if !one.contains(char::is_whitespace) => Some(one.to_string()),
        [a, b] if at(a.len(), b.len()) => Some(format!("{a}{b}")),
        _ => None,
    }
}

/// A UK postcode (upper case, any spacing) as `OUTWARD INWARD`: the outward code is
/// `A9`, `A99`, `AA9`, `AA99`, `A9A` or `AA9A`, the inward code `9AA` (and `GIR 0AA`).
fn uk_postcode(upper: &str) -> Option<String> {
    let compact = split_at_space(upper, |_, inward| inward == 3)?;
    if !(5..=7).contains(&compact.len()) {
        return None;
    }
    let (outward, inward) = compact.split_at(compact.len() - 3);
    let inward_ok = {
        let b = inward.as_bytes();
        b[0].is_ascii_digit() && b[1].is_ascii_uppercase() && b[2].is_ascii_uppercase()
    };
    let o = outward.as_bytes();
    let letter = |i: usize| o.get(i).is_some_and(u8::is_ascii_uppercase);
    let digit = |i: usize| o.get(i).is_some_and(u8::is_ascii_digit);
    let outward_ok = outward == "GIR"
        || match o.len() {
            2 => letter(0) && digit(1),
            3 => {
                (letter(0) && digit(1) && (digit(2) || letter(2)))
                    || (letter(0) && letter(1) && digit(2))
            }
            4 => letter(0) && letter(1) && digit(2) && (digit(3) || letter(3)),
            _ => false,
        };
    (inward_ok && outward_ok).then(|| format!("{outward} {inward}"))
}

/// A Canadian postal code (upper case, with or without its space) as `A1A 1A1`. D, F, I,
/// O, Q and U are never used, W and Z never first.
fn canadian_postal_code(upper: &str) -> Option<String> {
    let compact = split_at_space(upper, |outward, _| outward == 3)?;
    if compact.len() != 6 {
        return None;
    }
    let b = compact.as_bytes();
    let letter = |c: u8, first: bool| {
        c.is_ascii_uppercase() && !b"DFIOQU".contains(&c) && !(first && b"WZ".contains(&c))
    };
    let ok = letter(b[0], true)
        && b[1].is_ascii_digit()
        && letter(b[2], false)
        && b[3].is_ascii_digit()
        && letter(b[4], false)
        && b[5].is_ascii_digit();
    ok.then(|| format!("{} {}", &compact[..3], &compact[3..]))
}

/// `(code, name, other names)` of the US states, the District of Columbia, the
/// territories USPS delivers to and the armed forces' postal "states".
static US_STATES: &[(&str, &str, &[&str])] = &[
    ("AL", "Alabama", &[]),
    ("AK", "Alaska", &[]),
    ("AZ", "Arizona", &[]),
    ("AR", "Arkansas", &[]),
    ("CA", "California", &[]),
    ("CO", "Colorado", &[]),
    ("CT", "Connecticut", &[]),
    ("DE", "Delaware", &[]),
    (
        "DC",
        "District of Columbia",
        &["Washington DC", "Washington D.C."],
    ),
    ("FL", "Florida", &[]),
    ("GA", "Georgia", &[]),
    ("HI", "Hawaii", &[]),
    ("ID", "Idaho", &[]),
    ("IL", "Illinois", &[]),
    ("IN", "Indiana", &[]),
    ("IA", "Iowa", &[]),
    ("KS", "Kansas", &[]),
    ("KY", "Kentucky", &[]),
    ("LA", "Louisiana", &[]),
    ("ME", "Maine", &[]),
    ("MD", "Maryland", &[]),
    ("MA", "Massachusetts", &[]),
    ("MI", "Michigan", &[]),
    ("MN", "Minnesota", &[]),
    ("MS", "Mississippi", &[]),
    ("MO", "Missouri", &[]),
    ("MT", "Montana", &[]),
    ("NE", "Nebraska", &[]),
    ("NV", "Nevada", &[]),
    ("NH", "New Hampshire", &[]),
    ("NJ", "New Jersey", &[]),
    ("NM", "New Mexico", &[]),
    ("NY", "New York", &[]),
    ("NC", "North Carolina", &[]),
    ("ND", "North Dakota", &[]),
    ("OH", "Ohio", &[]),
    ("OK", "Oklahoma", &[]),
    ("OR", "Oregon", &[]),
    ("PA", "Pennsylvania", &[]),
    ("RI", "Rhode Island", &[]),
    ("SC", "South Carolina", &[]),
    ("SD", "South Dakota", &[]),
    ("TN", "Tennessee", &[]),
    ("TX", "Texas", &[]),
    ("UT", "Utah", &[]),
    ("VT", "Vermont", &[]),
    ("VA", "Virginia", &[]),
    ("WA", "Washington", &[]),
    ("WV", "West Virginia", &[]),
    ("WI", "Wisconsin", &[]),
    ("WY", "Wyoming", &[]),
    ("AS", "American Samoa", &[]),
    ("GU", "Guam", &[]),
    ("MP", "Northern Mariana Islands", &[]),
    ("PR", "Puerto Rico", &[]),
    (
        "VI",
        "U.S. Virgin Islands",
        &["US Virgin Islands", "Virgin Islands"],
    ),
    (
        "UM",
        "U.S. Minor Outlying Islands",
        &["US Minor Outlying Islands"],
    ),
    ("AA", "Armed Forces Americas", &[]),
    ("AE", "Armed Forces Europe", &[]),
    ("AP", "Armed Forces Pacific", &[]),
];

/// Canada's provinces and territories, with their French names.
static CA_PROVINCES: &[(&str, &str, &[&str])] = &[
    ("AB", "Alberta", &[]),
    ("BC", "British Columbia", &["Colombie-Britannique"]),
    ("MB", "Manitoba", &[]),
    ("NB", "New Brunswick", &["Nouveau-Brunswick"]),
    (
        "NL",
        "Newfoundland and Labrador",
        &["Terre-Neuve-et-Labrador", "Newfoundland"],
    ),
    ("NS", "Nova Scotia", &["Nouvelle-Écosse"]),
    (
        "NT",
        "Northwest Territories",
        &["Territoires du Nord-Ouest"],
    ),
    ("NU", "Nunavut", &[]),
    ("ON", "Ontario", &[]),
    ("PE", "Prince Edward Island", &["Île-du-Prince-Édouard"]),
    ("QC", "Quebec", &["Québec"]),
    ("SK", "Saskatchewan", &[]),
    ("YT", "Yukon", &["Yukon Territory"]),
];

/// India's states and union territories by the ISO 3166-2:IN codes the PIN code table
/// (`data/pincodes.txt`) uses; other names are older names, common spellings and the
/// codes ISO has since moved to (CG, OD, TS, UK for Uttarakhand is the table's).
static IN_STATES: &[(&str, &str, &[&str])] = &[
    ("AN", "Andaman and Nicobar Islands", &["Andaman & Nicobar"]),
    ("AP", "Andhra Pradesh", &[]),
    ("AR", "Arunachal Pradesh", &[]),
    ("AS", "Assam", &[]),
    ("BR", "Bihar", &[]),
    ("CH", "Chandigarh", &[]),
    ("CT", "Chhattisgarh", &["CG", "Chattisgarh"]),
    (
        "DH",
        "Dadra and Nagar Haveli and Daman and Diu",
        &[
            "The Dadra and Nagar Haveli and Daman and Diu",
            "Dadra and Nagar Haveli",
            "Daman and Diu",
            "DN",
            "DD",
        ],
    ),
    (
        "DL",
        "Delhi",
        &[
            "New Delhi",
            "NCT of Delhi",
            "National Capital Territory of Delhi",
        ],
    ),
    ("GA", "Goa", &[]),
    ("GJ", "Gujarat", &[]),
    ("HP", "Himachal Pradesh", &[]),
    ("HR", "Haryana", &[]),
    ("JH", "Jharkhand", &[]),
    ("JK", "Jammu and Kashmir", &[]),
    ("KA", "Karnataka", &[]),
    ("KL", "Kerala", &[]),
    ("LA", "Ladakh", &[]),
    ("LD", "Lakshadweep", &[]),
    ("MH", "Maharashtra", &[]),
    ("ML", "Meghalaya", &[]),
    ("MN", "Manipur", &[]),
    ("MP", "Madhya Pradesh", &[]),
    ("MZ", "Mizoram", &[]),
    ("NL", "Nagaland", &[]),
    ("OR", "Odisha", &["OD", "Orissa"]),
    ("PB", "Punjab", &[]),
    ("PY", "Puducherry", &["Pondicherry"]),
    ("RJ", "Rajasthan", &[]),
    ("SK", "Sikkim", &[]),
    ("TG", "Telangana", &["TS"]),
    ("TN", "Tamil Nadu", &[]),
    ("TR", "Tripura", &[]),
    ("UK", "Uttarakhand", &["UT", "Uttaranchal"]),
    ("UP", "Uttar Pradesh", &[]),
    ("WB", "West Bengal", &[]),
];

/// The table of states carriers name by code in `country`, if shipgate has one.
fn table(
    country: &str,
) -> Option<&'static [(&'static str, &'static str, &'static [&'static str])]> {
    match country {
        "US" => Some(US_STATES),
        "CA" => Some(CA_PROVINCES),
        "IN" => Some(IN_STATES),
        _ => None,
    }
}

/// Lower case, `&` as `and`, accents off the few letters the tables' names carry, and
/// every run of other characters (spaces, dots, dashes) as one space.
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        let c = match c {
            'é' | 'É' => 'e',
            'î' | 'Î' => 'i',
            '&' => {
                out.push_str(" and ");
                continue;
            }
            c => c.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The `(code, name)` of the state written `text` in `country`: its code (either case)
/// or one of its names, however spaced and cased.
pub(crate) fn find_state(country: &str, text: &str) -> Option<(&'static str, &'static str)> {
    let table = folded_table(country)?;
    let folded = fold(text);
    let upper = text.trim().to_ascii_uppercase();
    table
        .iter()
        .find(|s| {
            s.code == upper || s.other.iter().any(|o| *o == upper) || s.folded.contains(&folded)
        })
        .map(|s| (s.code, s.name))
}

/// A state of [`table`] with its name and other names folded.
struct Folded {
    code: &'static str,
    name: &'static str,
    other: &'static [&'static str],
    folded: Vec<String>,
}

/// [`table`] with its names folded once: every address reads its state, and folding each
/// name of the table again for each was a percent or two of a booking's CPU.
fn folded_table(country: &str) -> Option<&'static [Folded]> {
    const COUNTRIES: [&str; 3] = ["US", "CA", "IN"];
    static TABLES: std::sync::OnceLock<[Vec<Folded>; 3]> = std::sync::OnceLock::new();
    let at = COUNTRIES.iter().position(|c| *c == country)?;
    let tables = TABLES.get_or_init(|| {
        COUNTRIES.map(|country| {
            table(country)
                .unwrap_or_default()
                .iter()
                .map(|&(code, name, other)| Folded {
                    code,
                    name,
                    other,
                    folded: std::iter::once(name)
                        .chain(other.iter().copied())
                        .map(fold)
                        .collect(),
                })
                .collect()
        })
    });
    Some(&tables[at])
}

/// Whether an address in `country` must name its state by a known code (US, CA): carriers
/// there refuse an address without one.
pub(crate) fn state_required(country: &str) -> bool {
    matches!(country, "US" | "CA")
}

/// The error for a state shipgate does not know in a country where it must.
pub(crate) fn unknown_state(country: &str) -> String {
    match country {
        "US" => "not a US state: use its two-letter USPS code such as NY (or its name, \
                 New York); DC, the territories (PR, GU, VI, AS, MP, UM) and AA, AE, AP are \
                 accepted"
            .into(),
        "CA" => "not a Canadian province or territory: use its two-letter code such as ON \
                 (or its name, Ontario)"
            .into(),
        _ => "not a known state".into(),
    }
}

/// The detail of a missing state where one is required.
pub(crate) fn missing_state(country: &str) -> String {
    match country {
        "US" => "a US address needs its state: a two-letter code such as NY, or its name".into(),
        _ => "a Canadian address needs its province or territory: a two-letter code such as \
              ON, or its name"
            .into(),
    }
}

/// ISO 3166-1 alpha-2 `UK` is reserved for the United Kingdom, whose code is `GB`: taken
/// as `GB`, as carriers take it.
pub(crate) fn canonical_country(upper: String) -> String {
    if upper == "UK" { "GB".into() } else { upper }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(raw: &str, country: &str) -> String {
        postal_code(raw, country).unwrap_or_else(|e| panic!("{raw} {country}: {e}"))
    }

    fn bad(raw: &str, country: &str) -> String {
        postal_code(raw, country).expect_err(&format!("{raw} {country}"))
    }

    #[test]
    fn indian_pin_codes() {
        assert_eq!(ok(" 560001 ", "IN"), "560001");
        for raw in ["56001", "060001", "5600011", "56OO01", "560 001"] {
            assert!(bad(raw, "IN").contains("6 digits"), "{raw}");
        }
    }

    #[test]
    fn us_zip_codes_and_zip_plus_four() {
        assert_eq!(ok("94105", "US"), "94105");
        assert_eq!(ok("94105-1234", "US"), "94105-1234");
        assert_eq!(ok("94105 1234", "US"), "94105-1234");
        assert_eq!(ok("941051234", "US"), "94105-1234");
        for raw in [
            "9410",
            "941055",
            "94105-123",
            "9410A",
            "94105--1234",
            "94-1051234",
            "ABCDE",
        ] {
            assert!(bad(raw, "US").contains("ZIP+4 (12345-6789)"), "{raw}");
        }
    }

    #[test]
    fn uk_postcodes_in_every_outward_form() {
        for (raw, want) in [
            ("M1 1AE", "M1 1AE"),
            ("m11ae", "M1 1AE"),
            ("B33 8TH", "B33 8TH"),
            ("CR2 6XH", "CR2 6XH"),
            ("DN55 1PT", "DN55 1PT"),
            ("W1A 0AX", "W1A 0AX"),
            ("sw1a1aa", "SW1A 1AA"),
            (" EC1A  1BB ", "EC1A 1BB"),
            ("GIR 0AA", "GIR 0AA"),
        ] {
            assert_eq!(ok(raw, "GB"), want, "{raw}");
        }
        for raw in [
            "SW1A",
            "1AA SW1",
            "SW1A 1A",
            "SW1A 11A",
            "S 1AA",
            "SWAA 1AA",
            "S W1A 1AA",
        ] {
            assert!(bad(raw, "GB").contains("SW1A 1AA"), "{raw}");
        }
    }

    #[test]
    fn german_postcodes() {
        assert_eq!(ok("10115", "DE"), "10115");
        assert_eq!(ok("01067", "DE"), "01067");
        for raw in ["1011", "101155", "D-10115", "1O115"] {
            assert!(bad(raw, "DE").contains("5 digits"), "{raw}");
        }
    }

    #[test]
    fn canadian_postal_codes_are_normalised_with_their_space() {
        assert_eq!(ok("K1A 0B1", "CA"), "K1A 0B1");
        assert_eq!(ok("k1a0b1", "CA"), "K1A 0B1");
        assert_eq!(ok("h2x  1y4", "CA"), "H2X 1Y4");
        for raw in [
            "K1A 0B", "K1A-0B1", "11A 0B1", "D1A 0B1", "W1A 0B1", "K1O 0B1", "K 1A0B1",
        ] {
            assert!(bad(raw, "CA").contains("K1A 0B1"), "{raw}");
        }
    }

    #[test]
    fn elsewhere_a_loose_sanity_rule() {
        assert_eq!(ok("75008", "FR"), "75008");
        assert_eq!(ok("1010 ab", "NL"), "1010 AB");
        assert_eq!(ok("100-0001", "JP"), "100-0001");
        assert!(postal_code("ab", "FR").is_err());
        assert!(postal_code("12345678901", "FR").is_err());
        assert!(postal_code("75008!", "FR").is_err());
    }

    #[test]
    fn states_by_code_or_name() {
        assert_eq!(find_state("US", "ny"), Some(("NY", "New York")));
        assert_eq!(find_state("US", " new  york "), Some(("NY", "New York")));
        assert_eq!(
            find_state("US", "Washington D.C."),
            Some(("DC", "District of Columbia"))
        );
        assert_eq!(find_state("US", "Washington"), Some(("WA", "Washington")));
        assert_eq!(find_state("US", "Ontario"), None);
        assert_eq!(find_state("US", "XX"), None);
        assert_eq!(find_state("CA", "québec"), Some(("QC", "Quebec")));
        assert_eq!(find_state("CA", "Quebec"), Some(("QC", "Quebec")));
        assert_eq!(find_state("CA", "on"), Some(("ON", "Ontario")));
        assert_eq!(
            find_state("CA", "Île-du-Prince-Édouard"),
            Some(("PE", "Prince Edward Island"))
        );
        assert_eq!(find_state("CA", "NY"), None);
        assert_eq!(find_state("IN", "Karnataka"), Some(("KA", "Karnataka")));
        assert_eq!(find_state("IN", "KARNATAKA"), Some(("KA", "Karnataka")));
        assert_eq!(find_state("IN", "ka"), Some(("KA", "Karnataka")));
        assert_eq!(find_state("IN", "Orissa"), Some(("OR", "Odisha")));
        assert_eq!(find_state("IN", "OD"), Some(("OR", "Odisha")));
        assert_eq!(find_state("IN", "TS"), Some(("TG", "Telangana")));
        assert_eq!(
            find_state("IN", "Jammu & Kashmir"),
            Some(("JK", "Jammu and Kashmir"))
        );
        assert_eq!(find_state("IN", "New Delhi"), Some(("DL", "Delhi")));
        assert_eq!(find_state("IN", "Bengaluru"), None);
        assert_eq!(find_state("FR", "Île-de-France"), None);
    }

    #[test]
    fn state_codes_are_unique_and_india_s_match_the_pin_code_table() {
        for (country, states) in [("US", US_STATES), ("CA", CA_PROVINCES), ("IN", IN_STATES)] {
            let mut codes: Vec<_> = states.iter().map(|s| s.0).collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), states.len(), "{country}");
            for (code, name, other) in states {
                assert_eq!(find_state(country, code), Some((*code, *name)));
                assert_eq!(find_state(country, name), Some((*code, *name)));
                for o in *other {
                    assert_eq!(find_state(country, o).map(|s| s.0), Some(*code), "{o}");
                }
            }
        }
        assert_eq!(US_STATES.len(), 51 + 6 + 3);
        assert_eq!(CA_PROVINCES.len(), 13);
        let pin_table = crate::ratecard::india();
        for (code, _, _) in IN_STATES {
            assert!(pin_table.state(code).is_some(), "{code}");
        }
        for pin in [
            "560001", "110001", "744101", "682555", "194101", "751001", "500001",
        ] {
            let state = pin_table.lookup(pin).unwrap().state;
            assert_eq!(
                find_state("IN", state.name).map(|s| s.0),
                Some(state.code),
                "{pin}"
            );
        }
    }
}
