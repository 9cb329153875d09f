//! The street lines, read the way a delivery agent reads them: a house or flat number, a
//! building, a street, a locality, and a landmark (`near …`, `opp …`, `behind …`), which
//! in India often finds a door better than the street does.
//!
//! Lines are cut at commas (and semicolons, new lines), and each piece is placed by the
//! words in it (`Road`, `Marg`, `Cross` for a street; `Nagar`, `Colony`, `Layout`,
//! `Sector` for a locality; `Apartments`, `Residency`, `Towers` for a building). What
//! fits nowhere becomes the locality if there is none yet. The parse is a reading aid and
//! a completeness signal, not a rewrite: the address the carrier gets is the one sent.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::text::{fold, words};

/// The parts found in the street lines; any may be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Parts {
    /// House, flat, door or plot number, with the word before it (`Flat 302`, `#45`).
    pub house: Option<String>,
    /// Building, apartment block or society.
    pub building: Option<String>,
    pub street: Option<String>,
    /// Locality, area, sector, layout or village.
    pub locality: Option<String>,
    /// A landmark: the `landmark` field, or a `near …`/`opp …` phrase in the lines.
    pub landmark: Option<String>,
}

/// Words that start a landmark phrase (folded; several words separated by spaces).
const LANDMARK_WORDS: &[&str] = &[
    "near",
    "nr",
    "opp",
    "oppo",
    "opposite",
    "behind",
    "beside",
    "besides",
    "next to",
    "in front of",
    "infront of",
    "adjacent to",
    "adj to",
    "adj",
    "across",
    "close to",
    "above",
    "below",
    "beneath",
    "facing",
];

/// Words before a house number.
const HOUSE_WORDS: &[&str] = &[
    "flat", "house", "h", "hno", "door", "d", "dno", "plot", "no", "number", "apt", "room", "shop",
    "unit", "villa", "bungalow", "qtr", "quarter", "quarters", "wz", "rz",
];

const BUILDING_WORDS: &[&str] = &[
    "apartment",
    "apartments",
    "apt",
    "apts",
    "residency",
    "residence",
    "residences",
    "tower",
    "towers",
    "heights",
    "complex",
    "society",
    "soc",
    "chs",
    "bhavan",
    "bhawan",
    "building",
    "bldg",
    "mansion",
    "plaza",
    "villas",
    "gardens",
    "court",
    "enclave",
];

const STREET_WORDS: &[&str] = &[
    "road",
    "rd",
    "street",
    "st",
    "marg",
    "lane",
    "ln",
    "main",
    "cross",
    "avenue",
    "ave",
    "path",
    "gali",
    "highway",
    "hwy",
    "salai",
    "veedhi",
    "rasta",
    "boulevard",
];

const LOCALITY_WORDS: &[&str] = &[
    "nagar",
    "colony",
    "layout",
    "sector",
    "sec",
    "phase",
    "extension",
    "extn",
    "vihar",
    "puram",
    "pet",
    "peth",
    "palya",
    "halli",
    "pura",
    "ganj",
    "bagh",
    "wadi",
    "gaon",
    "village",
    "vill",
    "town",
    "township",
    "park",
    "block",
    "stage",
    "kunj",
    "mohalla",
    "basti",
    "tola",
    "para",
    "area",
    "market",
    "chowk",
    "bazar",
    "bazaar",
    "post",
    "taluk",
    "tehsil",
    "mandal",
];

/// Abbreviations spelt out in the normalised lines (folded form, replacement).
const EXPANSIONS: &[(&str, &str)] = &[
    ("rd", "Road"),
    ("nr", "Near"),
    ("opp", "Opposite"),
    ("apts", "Apartments"),
    ("bldg", "Building"),
    ("extn", "Extension"),
    ("soc", "Society"),
    ("ngr", "Nagar"),
    ("clny", "Colony"),
];

/// A line tidied: runs of spaces as one, a space after each comma, no empty pieces or
/// trailing punctuation, and the abbreviations of [`EXPANSIONS`] spelt out.
pub(crate) fn normalise_line(line: &str) -> String {
    line.split([',', ';', '\n'])
        .map(|piece| {
            piece
                .split_whitespace()
                .map(|w| {
                    let bare = w.trim_end_matches('.');
                    let key = bare.to_ascii_lowercase();
                    EXPANSIONS
                        .iter()
                        .find(|(short, _)| *short == key)
                        .map_or_else(|| w.to_string(), |(_, long)| long.to_string())
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .map(|p| {
            p.trim_matches(|c: char| c == '.' || c == '-' || c.is_whitespace())
                .to_string()
        })
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

fn has_word(folded: &str, list: &[&str]) -> bool {
    words(folded).any(|w| list.contains(&w))
}

/// An ordinal (`1st`, `2nd`, `14th`): a floor, a cross or a main, not a house number.
fn ordinal(word: &str) -> bool {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && matches!(suffix, "st" | "nd" | "rd" | "th")
}

/// Where a landmark phrase starts in `piece` (a byte offset), if it has one.
///
/// Tried at every word boundary, each of [`LANDMARK_WORDS`] against the words from there
/// on. The words are read once, not once per boundary and phrase: that was some sixty
/// lower-cased copies for each booking's address (heaptrack, issue 22).
fn landmark_start(piece: &str) -> Option<usize> {
    let words: Vec<(usize, String)> = words_at(piece).collect();
    let mut at = 0;
    for raw in piece.split_inclusive(char::is_whitespace) {
        // A boundary follows whitespace, which separates words: the words of
        // `piece[at..]` are exactly those that start at or after it.
        let rest = &words[words.partition_point(|(start, _)| *start < at)..];
        for phrase in LANDMARK_WORDS {
            let mut probe = rest.iter().map(|(_, w)| w.as_str());
            if phrase.split(' ').all(|p| probe.next() == Some(p)) {
                return Some(at);
            }
        }
        at += raw.len();
    }
    None
}

/// Words of raw text, lower case, without the punctuation around them, each with the
/// byte offset in `text` where its run of characters starts.
fn words_at(text: &str) -> impl Iterator<Item = (usize, String)> + '_ {
    text.split(|c: char| c.is_whitespace() || c == '.' || c == ':')
        .filter(|w| !w.is_empty())
        .map(move |w| {
            // `w` is a slice of `text`: its offset is the distance between the two.
            let start = w.as_ptr() as usize - text.as_ptr() as usize;
            let word = w
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            (start, word)
        })
        .filter(|(_, w)| !w.is_empty())
}

/// A house number at the start of `piece`: (the number with its words, the rest).
fn house_at_start(piece: &str) -> Option<(String, String)> {
    let tokens: Vec<&str> = piece.split_whitespace().collect();
    let mut i = 0;
    while i < tokens.len() && i < 3 {
        let key: String = tokens[i]
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        if HOUSE_WORDS.contains(&key.as_str()) {
            i += 1;
        } else {
            break;
        }
    }
    let token = tokens.get(i)?;
    let bare = token.trim_matches(|c: char| c == ',' || c == '.');
    let numbered = bare.chars().any(|c| c.is_ascii_digit())
        && !ordinal(&bare.to_lowercase())
        && bare.chars().count() <= 12;
    if !numbered {
        return None;
    }
    Some((tokens[..=i].join(" "), tokens[i + 1..].join(" ")))
}

/// Reads the parts of `lines` (the street lines, in order) and the `landmark` field.
pub(crate) fn parse(lines: &[&str], landmark: Option<&str>) -> Parts {
    let mut parts = Parts {
        landmark: landmark.map(normalise_line).filter(|l| !l.is_empty()),
        ..Parts::default()
    };
    let mut loose: Vec<String> = Vec::new();
    let pieces = lines.iter().flat_map(|l| {
        normalise_line(l)
            .split(", ")
            .map(str::to_string)
            .collect::<Vec<_>>()
    });
    for piece in pieces {
        let mut piece = piece;
        if let Some(at) = landmark_start(&piece) {
            let phrase = piece[at..].trim().to_string();
            if parts.landmark.is_none() {
                parts.landmark = Some(phrase);
            }
            piece = piece[..at].trim().to_string();
        }
        if piece.is_empty() {
            continue;
        }
        if parts.house.is_none()
            && let Some((house, rest)) = house_at_start(&piece)
        {
            parts.house = Some(house);
            piece = rest;
            if piece.is_empty() {
                continue;
            }
        }
        let folded = fold(&piece);
        let slot = if has_word(&folded, BUILDING_WORDS) {
            &mut parts.building
        } else if has_word(&folded, STREET_WORDS) {
            &mut parts.street
        } else if has_word(&folded, LOCALITY_WORDS) {
            &mut parts.locality
        } else {
            loose.push(piece);
            continue;
        };
        match slot {
            None => *slot = Some(piece),
            Some(_) => loose.push(piece),
        }
    }
    if !loose.is_empty() {
        match &mut parts.locality {
            None => parts.locality = Some(loose.join(", ")),
            Some(l) => {
                for piece in loose {
                    l.push_str(", ");
                    l.push_str(&piece);
                }
            }
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(lines: &[&str], landmark: Option<&str>) -> [Option<String>; 5] {
        let p = parse(lines, landmark);
        [p.house, p.building, p.street, p.locality, p.landmark]
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn lines_are_read_into_parts() {
        assert_eq!(
            parts(
                &[
                    "Flat 302, Sunshine Apartments",
                    "12th Main Rd, Indiranagar near CMH Hospital"
                ],
                None
            ),
            [
                s("Flat 302"),
                s("Sunshine Apartments"),
                s("12th Main Road"),
                s("Indiranagar"),
                s("near CMH Hospital"),
            ]
        );
        assert_eq!(
            parts(
                &["H.No. 4-5-67, Street No 8", "Himayatnagar"],
                Some("Opp. Sai Baba Temple")
            ),
            [
                s("H.No. 4-5-67"),
                None,
                s("Street No 8"),
                s("Himayatnagar"),
                s("Opposite Sai Baba Temple"),
            ]
        );
        assert_eq!(
            parts(&["#45, 2nd Cross, HSR Layout Sector 2"], None),
            [
                s("#45"),
                None,
                s("2nd Cross"),
                s("HSR Layout Sector 2"),
                None
            ]
        );
        assert_eq!(
            parts(&["Behind Govt School, Village Rampur"], None),
            [
                None,
                None,
                None,
                s("Village Rampur"),
                s("Behind Govt School")
            ]
        );
        assert_eq!(
            parts(&["12 MG Road"], None),
            [s("12"), None, s("MG Road"), None, None]
        );
        assert_eq!(
            parts(&["2nd Floor"], None),
            [None, None, None, s("2nd Floor"), None]
        );
    }

    // The landmark search as first written (every phrase against the words of every
    // suffix, each read afresh) is the reference the faster one must agree with.
    fn landmark_start_as_specified(piece: &str) -> Option<usize> {
        let words_of = |text: &str| -> Vec<String> {
            text.split(|c: char| c.is_whitespace() || c == '.' || c == ':')
                .filter(|w| !w.is_empty())
                .map(|w| {
                    w.trim_matches(|c: char| !c.is_alphanumeric())
                        .to_lowercase()
                })
                .filter(|w| !w.is_empty())
                .collect()
        };
        let mut at = 0;
        for raw in piece.split_inclusive(char::is_whitespace) {
            let rest = words_of(&piece[at..]);
            for phrase in LANDMARK_WORDS {
                let mut probe = rest.iter();
                if phrase
                    .split(' ')
                    .all(|p| probe.next().is_some_and(|w| w == p))
                {
                    return Some(at);
                }
            }
            at += raw.len();
        }
        None
    }

    #[test]
    fn landmarks_are_found_where_the_specified_search_finds_them() {
        let words = [
            "Near", "nr.", "OPP:", "next", "to", "in", "front", "of", "Temple", "12/3", "(near)",
            ".", "\u{212a}", "Behind,",
        ];
        let seps = [" ", "  ", "\t", ". ", ":", " \u{a0}"];
        // Every piece of up to four of these words, with varied separators.
        let pieces = crate::kit::text_cases::every_joining(&words, &seps, 4);
        for piece in &pieces {
            assert_eq!(
                landmark_start(piece),
                landmark_start_as_specified(piece),
                "{piece:?}"
            );
        }
        let checked = pieces.len();
        assert!(checked > 40_000, "{checked}");
    }

    #[test]
    fn lines_are_tidied() {
        assert_eq!(
            normalise_line("  Flat 12 ,, Nr. City  Mall ; Sector 5 ."),
            "Flat 12, Near City Mall, Sector 5"
        );
        assert_eq!(normalise_line("Bldg 7 Rd no. 3"), "Building 7 Road no. 3");
    }
}
