//! Label text: reducing arbitrary input to what the label fonts can show, and measuring it
//! so that nothing runs off the label.
//!
//! The PDF uses the standard Helvetica faces with WinAnsiEncoding, which every PDF reader
//! ships, so nothing is embedded and the bytes stay small and deterministic. The price is
//! a fixed character set: text is reduced here to printable Latin-1 (a subset of WinAnsi
//! whose code points equal their byte values), with common typographic characters spelled
//! in ASCII and anything else shown as `?`. The ZPL label uses the same reduced text so
//! that both formats say the same thing and wrap at the same places.
//!
//! Widths are Helvetica's AFM advance widths (identical in the metric-compatible Nimbus
//! Sans). Zebra's font 0 is narrower, so a line that fits in the PDF fits on the printer.

/// The two faces a label uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Font {
    Regular,
    Bold,
}

impl Font {
    /// Width of `text` at `size` points. Characters outside the label set count as `?`,
    /// which is what they are drawn as.
    pub fn width(self, text: &str, size: f32) -> f32 {
        let units: u32 = text.chars().map(|c| self.advance(c)).sum();
        units as f32 * size / 1000.0
    }

    fn advance(self, c: char) -> u32 {
        let (ascii, latin1) = match self {
            Font::Regular => (&HELVETICA_ASCII, &HELVETICA_LATIN1),
            Font::Bold => (&HELVETICA_BOLD_ASCII, &HELVETICA_BOLD_LATIN1),
        };
        let code = c as usize;
        let units = match code {
            0x20..=0x7e => ascii[code - 0x20],
            0xa0..=0xff => latin1[code - 0xa0],
            _ => ascii[usize::from(b'?' - 0x20)],
        };
        u32::from(units)
    }
}

/// Reduces `text` to one line of printable Latin-1: whitespace runs (including newlines)
/// become one space, typographic quotes and dashes become ASCII, combining accents are
/// dropped, and any other character becomes `?`.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        let replacement: &str = match c {
            '\u{20}'..='\u{7e}' | '\u{a1}'..='\u{ff}' => {
                push_with_space(&mut out, &mut pending_space, c.encode_utf8(&mut [0; 4]));
                continue;
            }
            // Invisible: control characters, zero-width marks, combining accents (the base
            // letter is kept, so "é" written as e + U+0301 still reads as "e").
            '\u{0}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{300}'..='\u{36f}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2060}'
            | '\u{feff}' => continue,
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{2032}' => "'",
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{2033}' => "\"",
            '\u{2010}'..='\u{2015}' | '\u{2212}' => "-",
            '\u{2022}' => "*",
            '\u{2026}' => "...",
            '\u{20ac}' => "EUR",
            '\u{20b9}' => "Rs.",
            _ => "?",
        };
        push_with_space(&mut out, &mut pending_space, replacement);
    }
    out
}

fn push_with_space(out: &mut String, pending_space: &mut bool, s: &str) {
    if std::mem::take(pending_space) {
        out.push(' ');
    }
    out.push_str(s);
}

/// `text` cut to fit `max_width`, ending in "..." when something was cut.
pub fn fit(text: &str, font: Font, size: f32, max_width: f32) -> String {
    if font.width(text, size) <= max_width {
        return text.to_string();
    }
    let budget = max_width - font.width("...", size);
    let mut used = 0.0;
    let mut out = String::new();
    for c in text.chars() {
        used += font.advance(c) as f32 * size / 1000.0;
        if used > budget {
            break;
        }
        out.push(c);
    }
    let kept = out.trim_end().len();
    out.truncate(kept);
    out.push_str("...");
    out
}

/// `text` broken at spaces into at most `max_lines` lines no wider than `max_width`. A
/// word longer than a line is broken inside; text left over after the last line is cut
/// with "...". Empty text gives no lines.
pub fn wrap(text: &str, font: Font, size: f32, max_width: f32, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if font.width(&candidate, size) <= max_width {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        // A word wider than the line (a long URL, an AWB-like token) is split by
        // characters rather than overflowing.
        let mut rest = word;
        while font.width(rest, size) > max_width {
            let cut = split_point(rest, font, size, max_width);
            lines.push(rest[..cut].to_string());
            rest = &rest[cut..];
        }
        current = rest.to_string();
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > max_lines {
        let overflow = lines.split_off(max_lines.saturating_sub(1));
        if max_lines > 0 {
            lines.push(fit(
                &format!("{}...", overflow.join(" ")),
                font,
                size,
                max_width,
            ));
        }
    }
    lines
}

/// Byte index at which `text` stops fitting in `max_width`; at least one character so
/// that wrapping always makes progress.
fn split_point(text: &str, font: Font, size: f32, max_width: f32) -> usize {
    let mut used = 0.0;
    for (i, c) in text.char_indices() {
        used += font.advance(c) as f32 * size / 1000.0;
        if used > max_width {
            return if i == 0 { c.len_utf8() } else { i };
        }
    }
    text.len()
}

// Advance widths in 1/1000 em for U+0020..=U+007E and U+00A0..=U+00FF, from the AFM
// files of Helvetica and Helvetica-Bold (the same as NimbusSans-Regular/-Bold).
#[rustfmt::skip]
const HELVETICA_ASCII: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
#[rustfmt::skip]
const HELVETICA_LATIN1: [u16; 96] = [
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];
#[rustfmt::skip]
const HELVETICA_BOLD_ASCII: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];
#[rustfmt::skip]
const HELVETICA_BOLD_LATIN1: [u16; 96] = [
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_keeps_latin1_and_replaces_the_rest() {
        assert_eq!(clean("  Asha\tRao \n"), "Asha Rao");
        assert_eq!(
            clean("Café ₹499 “ok” – done…"),
            "Café Rs.499 \"ok\" - done..."
        );
        assert_eq!(clean("नमस्ते Pune"), "?????? Pune");
        assert_eq!(clean("e\u{301}\u{0}\u{7}x"), "ex");
        assert_eq!(clean(""), "");
    }

    #[test]
    fn widths_follow_the_afm() {
        // "Hi" in Helvetica: H 722 + i 222 = 944 units, so 9.44 pt at 10 pt.
        assert!((Font::Regular.width("Hi", 10.0) - 9.44).abs() < 1e-4);
        // Bold i is wider (278).
        assert!((Font::Bold.width("Hi", 10.0) - 10.0).abs() < 1e-4);
        // Unknown characters measure as the '?' that replaces them.
        assert_eq!(
            Font::Regular.width("\u{4e2d}", 10.0),
            Font::Regular.width("?", 10.0)
        );
    }

    #[test]
    fn fit_cuts_with_an_ellipsis() {
        let long = "A very long consignee name that cannot fit";
        let cut = fit(long, Font::Bold, 12.0, 100.0);
        assert!(cut.ends_with("..."), "{cut}");
        assert!(Font::Bold.width(&cut, 12.0) <= 100.0);
        assert_eq!(fit("short", Font::Bold, 12.0, 100.0), "short");
        assert_eq!(fit("anything", Font::Bold, 12.0, 0.0), "...");
    }

    #[test]
    fn wrap_breaks_at_spaces_and_inside_long_words() {
        let lines = wrap(
            "12 MG Road, Near the big temple, Shivajinagar",
            Font::Regular,
            10.0,
            100.0,
            5,
        );
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| Font::Regular.width(l, 10.0) <= 100.0));
        assert_eq!(
            lines.join(" "),
            "12 MG Road, Near the big temple, Shivajinagar"
        );

        let lines = wrap(&"x".repeat(500), Font::Regular, 10.0, 50.0, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with("..."));
        assert!(lines.iter().all(|l| Font::Regular.width(l, 10.0) <= 50.0));

        assert!(wrap("", Font::Regular, 10.0, 50.0, 3).is_empty());
        assert!(wrap("words", Font::Regular, 10.0, 50.0, 0).is_empty());
    }
}
