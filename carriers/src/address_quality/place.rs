//! Where the address says it is: the PIN code must exist (India Post's directory as the
//! gateway ships it, `data/pincodes.txt`) and agree with the city and state written
//! beside it.
//!
//! The table knows each PIN code's state and *district*, not its town, and people write
//! towns, old names (`Bangalore`, `Gurgaon`, `Calcutta`), abbreviations (`TN`, `Maha.`)
//! and typos. So a city agrees when it is (close to) the PIN code's district, a word of
//! it, or a known name of a city in that district ([`ALIASES`]); it *disagrees* only when
//! it is exactly the name of a district or known city somewhere else. A town the table
//! cannot place (`Whitefield`, `Hosur`) is left unverified, never counted against the
//! address: a false alarm costs a seller a good order.

use crate::ratecard::pincodes::{Location, State, india};
use crate::schema::Address;

use super::Findings;
use super::text::{close, fold, words};

/// A city's common name (folded), the state it is in and the districts it spans (India
/// Post's names; empty: anywhere in the state).
struct Alias {
    names: &'static [&'static str],
    state: &'static str,
    districts: &'static [&'static str],
}

const fn alias(
    names: &'static [&'static str],
    state: &'static str,
    districts: &'static [&'static str],
) -> Alias {
    Alias {
        names,
        state,
        districts,
    }
}

/// Cities by the names people write, where the district is named otherwise (or a metro
/// spans several districts). Towns named like a district elsewhere come first, so they
/// are not taken for it (`Bhiwandi` is not `Bhiwani`).
static ALIASES: &[Alias] = &[
    alias(&["bhiwandi"], "MH", &["THANE"]),
    alias(&["amaravati"], "AP", &["GUNTUR", "PALNADU"]),
    alias(
        &["bangalore", "bengaluru", "bangaluru", "blr"],
        "KA",
        &["BENGALURU URBAN", "BENGALURU RURAL"],
    ),
    alias(&["mysore"], "KA", &["MYSURU"]),
    alias(&["mangalore", "mangaluru"], "KA", &["DAKSHINA KANNADA"]),
    alias(&["hubli", "hubballi"], "KA", &["DHARWAD"]),
    alias(&["belgaum"], "KA", &["BELAGAVI"]),
    alias(&["gulbarga"], "KA", &["KALABURAGI"]),
    alias(&["shimoga"], "KA", &["SHIVAMOGGA"]),
    alias(&["tumkur"], "KA", &["TUMAKURU"]),
    alias(&["bellary"], "KA", &["BALLARI"]),
    alias(&["bijapur"], "KA", &["VIJAYAPURA"]),
    alias(&["manipal"], "KA", &["UDUPI"]),
    alias(
        &["mumbai", "bombay"],
        "MH",
        &["MUMBAI", "MUMBAI SUBURBAN", "THANE"],
    ),
    alias(&["navi mumbai"], "MH", &["THANE", "RAIGAD"]),
    alias(
        &[
            "kalyan",
            "dombivli",
            "dombivali",
            "ulhasnagar",
            "mira road",
            "bhayandar",
        ],
        "MH",
        &["THANE"],
    ),
    alias(
        &["vasai", "virar", "nalasopara"],
        "MH",
        &["PALGHAR", "THANE"],
    ),
    alias(&["panvel"], "MH", &["RAIGAD"]),
    alias(&["poona", "pimpri chinchwad", "pcmc"], "MH", &["PUNE"]),
    alias(&["nasik"], "MH", &["NASHIK"]),
    alias(&["delhi", "new delhi", "dilli"], "DL", &[]),
    alias(&["gurgaon", "gurugram"], "HR", &["GURUGRAM"]),
    alias(&["noida", "greater noida"], "UP", &["GAUTAM BUDDHA NAGAR"]),
    alias(
        &["kolkata", "calcutta"],
        "WB",
        &[
            "KOLKATA",
            "24 PARAGANAS NORTH",
            "24 PARAGANAS SOUTH",
            "HOWRAH",
        ],
    ),
    alias(
        &["salt lake", "bidhannagar", "new town", "rajarhat"],
        "WB",
        &["24 PARAGANAS NORTH"],
    ),
    alias(
        &["chennai", "madras"],
        "TN",
        &["CHENNAI", "KANCHIPURAM", "THIRUVALLUR", "CHENGALPATTU"],
    ),
    alias(&["kovai"], "TN", &["COIMBATORE"]),
    alias(
        &["trichy", "tiruchirapalli", "tiruchirappalli"],
        "TN",
        &["TIRUCHIRAPPALLI"],
    ),
    alias(&["thoothukudi"], "TN", &["TUTICORIN"]),
    alias(&["ooty", "udhagamandalam"], "TN", &["THE NILGIRIS"]),
    alias(&["hosur"], "TN", &["KRISHNAGIRI"]),
    alias(
        &["pondicherry", "puducherry", "pondy"],
        "PY",
        &["PONDICHERRY"],
    ),
    alias(
        &["hyderabad", "secunderabad", "cyberabad"],
        "TG",
        &[
            "HYDERABAD",
            "MEDCHAL MALKAJGIRI",
            "RANGA REDDY",
            "SANGAREDDY",
        ],
    ),
    alias(&["warangal"], "TG", &["WARANGAL", "HANUMAKONDA"]),
    alias(
        &["vizag", "visakhapatnam", "vishakhapatnam"],
        "AP",
        &["VISAKHAPATANAM", "ANAKAPALLI"],
    ),
    alias(&["vijayawada"], "AP", &["NTR", "KRISHNA"]),
    alias(&["nellore"], "AP", &["SPSR NELLORE"]),
    alias(&["kadapa", "cuddapah"], "AP", &["Y.S.R."]),
    alias(
        &["rajahmundry", "rajamahendravaram"],
        "AP",
        &["EAST GODAVARI"],
    ),
    alias(
        &["ahmedabad", "amdavad"],
        "GJ",
        &["AHMADABAD", "GANDHINAGAR"],
    ),
    alias(&["baroda"], "GJ", &["VADODARA"]),
    alias(&["kutch", "bhuj"], "GJ", &["KACHCHH"]),
    alias(&["vapi"], "GJ", &["VALSAD"]),
    alias(&["trivandrum"], "KL", &["THIRUVANANTHAPURAM"]),
    alias(&["cochin", "kochi"], "KL", &["ERNAKULAM"]),
    alias(&["calicut"], "KL", &["KOZHIKODE"]),
    alias(&["trichur"], "KL", &["THRISSUR"]),
    alias(&["quilon"], "KL", &["KOLLAM"]),
    alias(&["alleppey"], "KL", &["ALAPPUZHA"]),
    alias(&["allahabad"], "UP", &["PRAYAGRAJ"]),
    alias(&["faizabad"], "UP", &["AYODHYA"]),
    alias(&["kanpur"], "UP", &["KANPUR NAGAR", "KANPUR DEHAT"]),
    alias(&["benares", "banaras", "kashi"], "UP", &["VARANASI"]),
    alias(&["mohali", "zirakpur", "kharar"], "PB", &["S.A.S NAGAR"]),
    alias(
        &["bhubaneswar", "bhubaneshwar"],
        "OR",
        &["KHORDHA", "CUTTACK"],
    ),
    alias(&["rourkela"], "OR", &["SUNDARGARH"]),
    alias(&["balasore"], "OR", &["BALESHWAR"]),
    alias(&["guwahati", "gauhati"], "AS", &["KAMRUP METRO", "KAMRUP"]),
    alias(&["shillong"], "ML", &["EAST KHASI HILLS"]),
    alias(&["gangtok"], "SK", &["EAST DISTRICT"]),
    alias(&["imphal"], "MN", &["IMPHAL WEST", "IMPHAL EAST"]),
    alias(&["agartala"], "TR", &["WEST TRIPURA"]),
    alias(&["itanagar"], "AR", &["PAPUM PARE"]),
    alias(&["dehra dun"], "UK", &["DEHRADUN"]),
    alias(
        &["rishikesh"],
        "UK",
        &["DEHRADUN", "TEHRI GARHWAL", "PAURI GARHWAL"],
    ),
    alias(&["haldwani"], "UK", &["NAINITAL"]),
    alias(&["simla"], "HP", &["SHIMLA"]),
    alias(&["leh"], "LA", &["LEH LADAKH"]),
    alias(&["jamshedpur"], "JH", &["EAST SINGHBUM"]),
    alias(&["bhilai"], "CT", &["DURG"]),
    alias(
        &["panaji", "panjim", "margao", "madgaon", "vasco", "mapusa"],
        "GA",
        &[],
    ),
    alias(&["port blair"], "AN", &["SOUTH ANDAMANS"]),
    alias(&["silvassa"], "DH", &["DADRA AND NAGAR HAVELI"]),
    alias(&["kavaratti"], "LD", &["LAKSHADWEEP DISTRICT"]),
    alias(&["jalandhar", "jullundur"], "PB", &["JALANDHAR"]),
    // Cities named like their district: listed so that one written with another state's
    // PIN code counts fully (a district's name alone may be a town elsewhere).
    alias(&["pune"], "MH", &["PUNE"]),
    alias(&["nagpur"], "MH", &["NAGPUR"]),
    alias(&["nashik"], "MH", &["NASHIK"]),
    alias(&["thane"], "MH", &["THANE", "PALGHAR"]),
    alias(&["jaipur"], "RJ", &["JAIPUR"]),
    alias(&["jodhpur"], "RJ", &["JODHPUR"]),
    alias(&["lucknow"], "UP", &["LUCKNOW"]),
    alias(&["agra"], "UP", &["AGRA"]),
    alias(&["varanasi"], "UP", &["VARANASI"]),
    alias(&["meerut"], "UP", &["MEERUT"]),
    alias(&["ghaziabad"], "UP", &["GHAZIABAD"]),
    alias(&["patna"], "BR", &["PATNA"]),
    alias(&["surat"], "GJ", &["SURAT"]),
    alias(&["vadodara"], "GJ", &["VADODARA"]),
    alias(&["rajkot"], "GJ", &["RAJKOT"]),
    alias(&["indore"], "MP", &["INDORE"]),
    alias(&["bhopal"], "MP", &["BHOPAL"]),
    alias(&["ludhiana"], "PB", &["LUDHIANA"]),
    alias(&["amritsar"], "PB", &["AMRITSAR"]),
    alias(&["coimbatore"], "TN", &["COIMBATORE"]),
    alias(&["madurai"], "TN", &["MADURAI"]),
    alias(&["ranchi"], "JH", &["RANCHI"]),
    alias(&["raipur"], "CT", &["RAIPUR"]),
    alias(&["faridabad"], "HR", &["FARIDABAD"]),
    alias(&["howrah"], "WB", &["HOWRAH"]),
    alias(&["chandigarh"], "CH", &["CHANDIGARH"]),
    // The tricity: Mohali and Panchkula addresses often say Chandigarh.
    alias(&["chandigarh"], "PB", &["S.A.S NAGAR"]),
    alias(&["chandigarh"], "HR", &["PANCHKULA"]),
    alias(&["dehradun"], "UK", &["DEHRADUN"]),
    alias(&["srinagar"], "JK", &["SRINAGAR"]),
    alias(&["jammu"], "JK", &["JAMMU"]),
];

/// Words that say nothing about which place is meant.
const GENERIC: &[&str] = &[
    "north", "south", "east", "west", "central", "upper", "lower", "district", "dist", "urban",
    "rural", "city", "nagar", "the", "and", "new", "old", "town", "metro",
];

/// States by the abbreviations people write that are not their codes (folded, spaces
/// removed).
const STATE_SHORT: &[(&str, &str)] = &[
    ("kar", "KA"),
    ("karn", "KA"),
    ("maha", "MH"),
    ("mah", "MH"),
    ("guj", "GJ"),
    ("raj", "RJ"),
    ("tn", "TN"),
    ("up", "UP"),
    ("mp", "MP"),
    ("ap", "AP"),
    ("wb", "WB"),
    ("hp", "HP"),
    ("jk", "JK"),
    ("jandk", "JK"),
    ("aandn", "AN"),
    ("pondy", "PY"),
    ("orisa", "OR"),
    ("tamilnadu", "TN"),
];

/// States carved out of another since 2000: an address still naming the old one is
/// outdated, not wrong (new state, old state).
const SUCCESSORS: &[(&str, &str)] = &[
    ("TG", "AP"),
    ("LA", "JK"),
    ("CT", "MP"),
    ("JH", "BR"),
    ("UK", "UP"),
];

/// What a written state is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum WrittenState {
    State(&'static str),
    /// The National Capital Region: Delhi and its neighbours in Haryana and Uttar Pradesh.
    Ncr,
    Unrecognised,
}

/// The state written `text` in an Indian address, tolerating abbreviations and typos.
pub(super) fn read_state(address: &Address, text: &str) -> WrittenState {
    if let Some(code) = address.state_code() {
        return WrittenState::State(code);
    }
    let folded = fold(text);
    if words(&folded).any(|w| w == "ncr") {
        return WrittenState::Ncr;
    }
    let squashed: String = folded.chars().filter(|c| *c != ' ').collect();
    if let Some((_, code)) = STATE_SHORT.iter().find(|(s, _)| *s == squashed) {
        return WrittenState::State(code);
    }
    let stripped = folded.strip_prefix("state of ").unwrap_or(&folded);
    // A name written in full is the common case: looked for exactly before any state is
    // measured for a typo (which every address paid for, folding each name again).
    let states = folded_states();
    states
        .iter()
        .find(|(name, _)| name == stripped)
        .or_else(|| {
            (squashed.len() >= 4)
                .then(|| states.iter().find(|(name, _)| close(stripped, name)))
                .flatten()
        })
        .map_or(WrittenState::Unrecognised, |(_, code)| {
            WrittenState::State(code)
        })
}

/// The directory's state names folded, without a leading "the ", in its order.
fn folded_states() -> &'static [(String, &'static str)] {
    static FOLDED: std::sync::OnceLock<Vec<(String, &'static str)>> = std::sync::OnceLock::new();
    FOLDED.get_or_init(|| {
        india()
            .states()
            .map(|s| {
                let name = fold(s.name);
                match name.strip_prefix("the ") {
                    Some(rest) => (rest.to_string(), s.code),
                    None => (name, s.code),
                }
            })
            .collect()
    })
}

/// `KARNATAKA` as `Karnataka`, `Y.S.R.` as is.
pub(super) fn title_case(upper: &str) -> String {
    upper
        .split(' ')
        .map(|w| {
            let mut out = String::with_capacity(w.len());
            for (i, c) in w.chars().enumerate() {
                if i == 0 || w.len() <= 3 && w.contains('.') {
                    out.push(c);
                } else {
                    out.extend(c.to_lowercase());
                }
            }
            out
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn state_name(code: &str) -> String {
    india()
        .state(code)
        .map(|s: State| title_case(s.name.strip_prefix("THE ").unwrap_or(s.name)))
        .unwrap_or_else(|| code.to_string())
}

/// The parts of a written city to try: the whole, each comma-separated piece, without
/// digits (a PIN code written into the city) and generic words at its ends.
fn city_pieces(city: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let whole = std::iter::once(city);
    for piece in whole.chain(city.split([',', '/', '(', ')', '-'])) {
        let folded = fold(piece);
        let kept: Vec<&str> = words(&folded)
            .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
            .collect();
        let mut kept = &kept[..];
        while let [first, rest @ ..] = kept
            && !rest.is_empty()
            && matches!(*first, "district" | "dist" | "city")
        {
            kept = rest;
        }
        while let [rest @ .., last] = kept
            && !rest.is_empty()
            && matches!(*last, "district" | "dist" | "city" | "town")
        {
            kept = rest;
        }
        let joined = kept.join(" ");
        if !joined.is_empty() && !pieces.contains(&joined) {
            pieces.push(joined);
        }
    }
    pieces
}

fn alias_names_close(a: &Alias, piece: &str) -> bool {
    a.names.iter().any(|n| close(piece, n))
}

/// Whether `piece` names the place of `location`: its district (or a telling word of
/// it), or a city known to be there.
fn names_here(piece: &str, location: &Location) -> bool {
    let district = location.district.map(|d| fold(d.name));
    let here = |candidate: &str| {
        if let Some(d) = &district {
            if close(candidate, d) {
                return true;
            }
            let telling =
                words(d).any(|w| w.len() >= 5 && !GENERIC.contains(&w) && close(candidate, w));
            if telling {
                return true;
            }
        }
        ALIASES.iter().any(|a| {
            a.state == location.state.code
                && alias_names_close(a, candidate)
                && (a.districts.is_empty()
                    || location
                        .district
                        .is_none_or(|d| a.districts.contains(&d.name)))
        }) || location.district.is_none()
            && india()
                .districts()
                .any(|d| d.state.code == location.state.code && close(candidate, &fold(d.name)))
    };
    here(piece)
        || words(piece).count() > 1
            && words(piece).any(|w| w.len() >= 5 && !GENERIC.contains(&w) && here(w))
}

/// Where `piece` is, when it is exactly the name of a known city or district: (state
/// code, the place's name, whether it is a known city rather than a district's name).
fn names_elsewhere(piece: &str) -> Option<(&'static str, String, bool)> {
    let squashed: String = piece.chars().filter(|c| *c != ' ').collect();
    if let Some(a) = ALIASES
        .iter()
        .find(|a| a.names.iter().any(|n| n.replace(' ', "") == squashed))
    {
        return Some((a.state, title_case(&piece.to_uppercase()), true));
    }
    india()
        .districts()
        .find(|d| fold(d.name).replace(' ', "") == squashed)
        .map(|d| (d.state.code, title_case(d.name), false))
}

/// Checks PIN code, city and state; the PIN code's place when the table knows it.
pub(super) fn check(address: &Address, f: &mut Findings) -> Option<Location> {
    let pin = address.postal_code.as_str();
    let Some(location) = india().lookup(pin) else {
        f.add(
            "postal_code",
            "pincode_unknown",
            format!("PIN code {pin} is not in India Post's directory: carriers will not serve it"),
        );
        return None;
    };
    let pin_state = location.state.code;
    let place = match location.district {
        Some(d) => format!("{}, {}", title_case(d.name), state_name(pin_state)),
        None => state_name(pin_state),
    };

    let before = f.reasons_len();
    match address
        .state
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => f.add(
            "state",
            "state_missing",
            format!(
                "no state given; PIN code {pin} is in {}",
                state_name(pin_state)
            ),
        ),
        Some(text) => match read_state(address, text) {
            WrittenState::State(code) if code == pin_state => {}
            WrittenState::Ncr if matches!(pin_state, "DL" | "HR" | "UP") => {}
            WrittenState::State(code) if SUCCESSORS.contains(&(pin_state, code)) => f.add(
                "state",
                "state_outdated",
                format!(
                    "PIN code {pin} is in {} (formerly part of {})",
                    state_name(pin_state),
                    state_name(code)
                ),
            ),
            WrittenState::State(code) => f.add(
                "state",
                "state_mismatch",
                format!(
                    "`{text}` is {}, but PIN code {pin} is in {place}",
                    state_name(code)
                ),
            ),
            WrittenState::Ncr => f.add(
                "state",
                "state_mismatch",
                format!("`{text}` is the Delhi region, but PIN code {pin} is in {place}"),
            ),
            WrittenState::Unrecognised => f.add(
                "state",
                "state_unrecognised",
                format!(
                    "`{text}` is not a state shipgate recognises; PIN code {pin} is in {place}"
                ),
            ),
        },
    }

    // Written, and no finding against it (an outdated name is still the right place).
    let state_agrees = address
        .state
        .as_deref()
        .is_some_and(|s| !s.trim().is_empty())
        && f.codes_since(before).all(|c| c == "state_outdated");
    let pieces = city_pieces(&address.city);
    if pieces.iter().any(|p| names_here(p, &location)) {
        return Some(location);
    }
    match pieces.iter().find_map(|p| names_elsewhere(p)) {
        Some((state, name, city)) if state != pin_state && (city || !state_agrees) => f.add(
            "city",
            "city_mismatch",
            format!(
                "{name} is in {}, but PIN code {pin} is in {place}",
                state_name(state)
            ),
        ),
        // Only a district's name, and the state agrees with the PIN code: as likely a
        // town of the same name (Rampur, Himachal Pradesh) as a wrong city.
        Some((state, name, _)) if state != pin_state => f.add(
            "city",
            "city_elsewhere",
            format!(
                "{name} is a district of {}; PIN code {pin} is in {place}: a town of that \
                 name there, or the wrong city",
                state_name(state)
            ),
        ),
        Some((_, name, _)) => f.add(
            "city",
            "city_other_district",
            format!("{name} is another district of {}; PIN code {pin} is in {place}", state_name(pin_state)),
        ),
        None => f.add(
            "city",
            "city_not_verified",
            format!(
                "`{}` is not PIN code {pin}'s district ({place}) nor a city shipgate knows elsewhere: not checked further",
                address.city
            ),
        ),
    }
    Some(location)
}
