//! Text nobody lives at: placeholder words (`test`, `asdf`, `xyz`, `dummy`), runs along
//! the keyboard or the alphabet (`qwerty`, `sdfg`, `abcd`), one letter held down
//! (`aaaa`), a syllable repeated (`hahaha`), long strings without a vowel (`sdfghk`).
//! What checkout forms collect from a buyer who will not (or cannot) say where they live.

use super::text::{fold, words};

/// How much of a text is junk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Junk {
    None,
    /// A junk word among real ones.
    Some,
    /// Junk throughout (at least half its words), or nothing but punctuation.
    Mostly,
}

const WORDS: &[&str] = &[
    "test", "testing", "tester", "asdf", "asd", "qwe", "qwerty", "xyz", "abc", "abcd", "dummy",
    "sample", "fake", "na", "nil", "null", "none", "xxx", "xx", "aaa", "foo", "blah", "sdf", "dfg",
    "jkl", "lorem", "ipsum", "nothing", "unknown", "hjkl", "zxc",
];

const ROWS: &[&str] = &[
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "abcdefghijklmnopqrstuvwxyz",
    "1234567890",
];

/// Whether one folded word is junk.
pub(crate) fn junk_word(w: &str) -> bool {
    if WORDS.contains(&w) {
        return true;
    }
    let chars: Vec<char> = w.chars().collect();
    let n = chars.len();
    // Digits need one more: flat 1234 is floor 12, flat 34.
    let digits = chars.iter().all(char::is_ascii_digit);
    if n >= 4 + usize::from(digits) {
        let reversed: String = w.chars().rev().collect();
        if ROWS.iter().any(|r| r.contains(w) || r.contains(&reversed)) {
            return true;
        }
    }
    // A letter three times in a row (digits repeat in real numbers: 1000, 111).
    if chars
        .windows(3)
        .any(|t| t[0].is_alphabetic() && t[0] == t[1] && t[1] == t[2])
    {
        return true;
    }
    // A unit of two or three repeated to six letters or more (`hahaha`, `abcabc`).
    if n >= 6 && chars.iter().all(|c| c.is_alphabetic()) {
        for unit in 2..=3 {
            if n.is_multiple_of(unit) && chars.chunks(unit).all(|c| c == &chars[..unit]) {
                return true;
            }
        }
    }
    // Six ASCII letters or more without a vowel.
    n >= 6
        && chars.iter().all(char::is_ascii_alphabetic)
        && !chars.iter().any(|c| "aeiouy".contains(*c))
}

/// How much of `text` is junk.
pub(crate) fn junk(text: &str) -> Junk {
    let folded = fold(text);
    let all: Vec<&str> = words(&folded).collect();
    if all.is_empty() {
        return if text.trim().is_empty() {
            Junk::None
        } else {
            Junk::Mostly
        };
    }
    let bad = all.iter().filter(|w| junk_word(w)).count();
    if bad == 0 {
        Junk::None
    } else if bad * 2 >= all.len() {
        Junk::Mostly
    } else {
        Junk::Some
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn junk_is_told_from_addresses() {
        for (text, want) in [
            ("test", Junk::Mostly),
            ("Test Address", Junk::Mostly),
            ("asdfgh", Junk::Mostly),
            ("qwerty 123", Junk::Mostly),
            ("xyz xyz", Junk::Mostly),
            ("aaaaaa", Junk::Mostly),
            ("hahaha", Junk::Mostly),
            ("...", Junk::Mostly),
            ("sdfghk lkjhg", Junk::Mostly),
            ("Flat 302, Sunshine Apartments, test", Junk::Some),
            ("12 MG Road", Junk::None),
            ("Shree Krishna Nagar, 1000 Pillar Road", Junk::None),
            ("Plot 4-5-67, Street No 8, Himayatnagar", Junk::None),
            ("Bldg 7, CHS, Rly Stn Rd", Junk::None),
            ("", Junk::None),
        ] {
            assert_eq!(junk(text), want, "{text}");
        }
    }
}
