//! Code 128 (ISO/IEC 15417) for the AWB barcode.
//!
//! Only code sets B (printable ASCII) and C (digit pairs) are used: AWBs are printable, and
//! mostly long digit runs, where set C halves the symbol count and so lets each bar be
//! wider on a 4-inch label, which is what makes a 203 dpi print scan reliably. Set A
//! exists for control characters, which no AWB has.
//!
//! A symbol is 6 elements (bar, space, bar, space, bar, space) spanning 11 modules; the
//! stop pattern has a seventh, final bar (13 modules).

use thiserror::Error;

pub const START_B: u8 = 104;
pub const START_C: u8 = 105;
/// Switches to set C; only valid in set B.
pub const CODE_C: u8 = 99;
/// Switches to set B; only valid in set C.
pub const CODE_B: u8 = 100;

/// The stop pattern, including its terminating 2-module bar.
pub const STOP: [u8; 7] = [2, 3, 3, 1, 1, 1, 2];

/// Element widths (in modules) of symbol values 0..=105.
#[rustfmt::skip]
pub const PATTERNS: [[u8; 6]; 106] = [
    [2, 1, 2, 2, 2, 2], [2, 2, 2, 1, 2, 2], [2, 2, 2, 2, 2, 1], [1, 2, 1, 2, 2, 3], [1, 2, 1, 3, 2, 2], [1, 3, 1, 2, 2, 2], [1, 2, 2, 2, 1, 3], [1, 2, 2, 3, 1, 2],
    [1, 3, 2, 2, 1, 2], [2, 2, 1, 2, 1, 3], [2, 2, 1, 3, 1, 2], [2, 3, 1, 2, 1, 2], [1, 1, 2, 2, 3, 2], [1, 2, 2, 1, 3, 2], [1, 2, 2, 2, 3, 1], [1, 1, 3, 2, 2, 2],
    [1, 2, 3, 1, 2, 2], [1, 2, 3, 2, 2, 1], [2, 2, 3, 2, 1, 1], [2, 2, 1, 1, 3, 2], [2, 2, 1, 2, 3, 1], [2, 1, 3, 2, 1, 2], [2, 2, 3, 1, 1, 2], [3, 1, 2, 1, 3, 1],
    [3, 1, 1, 2, 2, 2], [3, 2, 1, 1, 2, 2], [3, 2, 1, 2, 2, 1], [3, 1, 2, 2, 1, 2], [3, 2, 2, 1, 1, 2], [3, 2, 2, 2, 1, 1], [2, 1, 2, 1, 2, 3], [2, 1, 2, 3, 2, 1],
    [2, 3, 2, 1, 2, 1], [1, 1, 1, 3, 2, 3], [1, 3, 1, 1, 2, 3], [1, 3, 1, 3, 2, 1], [1, 1, 2, 3, 1, 3], [1, 3, 2, 1, 1, 3], [1, 3, 2, 3, 1, 1], [2, 1, 1, 3, 1, 3],
    [2, 3, 1, 1, 1, 3], [2, 3, 1, 3, 1, 1], [1, 1, 2, 1, 3, 3], [1, 1, 2, 3, 3, 1], [1, 3, 2, 1, 3, 1], [1, 1, 3, 1, 2, 3], [1, 1, 3, 3, 2, 1], [1, 3, 3, 1, 2, 1],
    [3, 1, 3, 1, 2, 1], [2, 1, 1, 3, 3, 1], [2, 3, 1, 1, 3, 1], [2, 1, 3, 1, 1, 3], [2, 1, 3, 3, 1, 1], [2, 1, 3, 1, 3, 1], [3, 1, 1, 1, 2, 3], [3, 1, 1, 3, 2, 1],
    [3, 3, 1, 1, 2, 1], [3, 1, 2, 1, 1, 3], [3, 1, 2, 3, 1, 1], [3, 3, 2, 1, 1, 1], [3, 1, 4, 1, 1, 1], [2, 2, 1, 4, 1, 1], [4, 3, 1, 1, 1, 1], [1, 1, 1, 2, 2, 4],
    [1, 1, 1, 4, 2, 2], [1, 2, 1, 1, 2, 4], [1, 2, 1, 4, 2, 1], [1, 4, 1, 1, 2, 2], [1, 4, 1, 2, 2, 1], [1, 1, 2, 2, 1, 4], [1, 1, 2, 4, 1, 2], [1, 2, 2, 1, 1, 4],
    [1, 2, 2, 4, 1, 1], [1, 4, 2, 1, 1, 2], [1, 4, 2, 2, 1, 1], [2, 4, 1, 2, 1, 1], [2, 2, 1, 1, 1, 4], [4, 1, 3, 1, 1, 1], [2, 4, 1, 1, 1, 2], [1, 3, 4, 1, 1, 1],
    [1, 1, 1, 2, 4, 2], [1, 2, 1, 1, 4, 2], [1, 2, 1, 2, 4, 1], [1, 1, 4, 2, 1, 2], [1, 2, 4, 1, 1, 2], [1, 2, 4, 2, 1, 1], [4, 1, 1, 2, 1, 2], [4, 2, 1, 1, 1, 2],
    [4, 2, 1, 2, 1, 1], [2, 1, 2, 1, 4, 1], [2, 1, 4, 1, 2, 1], [4, 1, 2, 1, 2, 1], [1, 1, 1, 1, 4, 3], [1, 1, 1, 3, 4, 1], [1, 3, 1, 1, 4, 1], [1, 1, 4, 1, 1, 3],
    [1, 1, 4, 3, 1, 1], [4, 1, 1, 1, 1, 3], [4, 1, 1, 3, 1, 1], [1, 1, 3, 1, 4, 1], [1, 1, 4, 1, 3, 1], [3, 1, 1, 1, 4, 1], [4, 1, 1, 1, 3, 1], [2, 1, 1, 4, 1, 2],
    [2, 1, 1, 2, 1, 4], [2, 1, 1, 2, 3, 2],
];

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EncodeError {
    #[error("nothing to encode")]
    Empty,
    #[error("{0:?} is not printable ASCII, which is all a label barcode carries")]
    Unsupported(char),
}

/// An encoded Code 128 symbol sequence: start, data, checksum (the stop is implied).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code128 {
    symbols: Vec<u8>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Set {
    B,
    C,
}

impl Code128 {
    /// Encodes printable ASCII, using set C for digit runs long enough to save symbols.
    pub fn encode(text: &str) -> Result<Code128, EncodeError> {
        if let Some(c) = text.chars().find(|c| !matches!(c, ' '..='~')) {
            return Err(EncodeError::Unsupported(c));
        }
        let bytes = text.as_bytes();
        if bytes.is_empty() {
            return Err(EncodeError::Empty);
        }
        let mut symbols = Vec::with_capacity(bytes.len() + 3);
        let mut set = None;
        let mut i = 0;
        while i < bytes.len() {
            let run = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
            let at_start = i == 0;
            let at_end = i + run == bytes.len();
            // Each switch costs a symbol, so set C pays off only for runs of 4 at either end
            // (6 in the middle, with a switch on both sides), or any even run making up
            // the whole text.
            let worth_c = match (at_start, at_end) {
                (true, true) => run >= 2,
                (true, false) | (false, true) => run >= 4,
                (false, false) => run >= 6,
            };
            if !worth_c {
                switch(&mut symbols, &mut set, Set::B);
                symbols.push(bytes[i] - b' ');
                i += 1;
                continue;
            }
            // An odd run leaves one digit for set B: the last one at the start of the text
            // (where B may be needed next anyway), otherwise the first one (while still in B).
            if run % 2 == 1 && !at_start {
                switch(&mut symbols, &mut set, Set::B);
                symbols.push(bytes[i] - b' ');
                i += 1;
            }
            switch(&mut symbols, &mut set, Set::C);
            for pair in bytes[i..i + run - run % 2].chunks_exact(2) {
                symbols.push((pair[0] - b'0') * 10 + (pair[1] - b'0'));
            }
            i += run - run % 2;
        }
        symbols.push(checksum(&symbols));
        Ok(Code128 { symbols })
    }

    /// Start, data and checksum symbol values (not the stop).
    pub fn symbols(&self) -> &[u8] {
        &self.symbols
    }

    pub fn checksum(&self) -> u8 {
        self.symbols.last().copied().unwrap_or_default()
    }

    /// Element widths in modules, alternating bar and space and starting with a bar, from
    /// the start symbol to the stop's final bar (quiet zones not included).
    pub fn widths(&self) -> Vec<u8> {
        self.symbols
            .iter()
            .flat_map(|&s| PATTERNS[usize::from(s)])
            .chain(STOP)
            .collect()
    }

    /// Total width in modules, quiet zones not included.
    pub fn modules(&self) -> usize {
        self.symbols.len() * 11 + 13
    }

    /// Each bar as (first module, width in modules), left to right.
    pub fn bars(&self) -> Vec<(usize, usize)> {
        let mut bars = Vec::new();
        let mut at = 0;
        for (i, w) in self.widths().into_iter().enumerate() {
            let w = usize::from(w);
            if i % 2 == 0 {
                bars.push((at, w));
            }
            at += w;
        }
        bars
    }
}

fn switch(symbols: &mut Vec<u8>, set: &mut Option<Set>, to: Set) {
    match (*set, to) {
        (Some(current), _) if current == to => return,
        (None, Set::B) => symbols.push(START_B),
        (None, Set::C) => symbols.push(START_C),
        (Some(_), Set::B) => symbols.push(CODE_B),
        (Some(_), Set::C) => symbols.push(CODE_C),
    }
    *set = Some(to);
}

/// Mod-103 checksum: the start value plus each later symbol times its position.
fn checksum(symbols: &[u8]) -> u8 {
    let sum: u64 = symbols
        .iter()
        .enumerate()
        .map(|(i, &s)| i.max(1) as u64 * u64::from(s))
        .sum();
    (sum % 103) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_well_formed() {
        for (value, p) in PATTERNS.iter().enumerate() {
            let bars: u8 = p.iter().step_by(2).sum();
            assert_eq!(p.iter().sum::<u8>(), 11, "symbol {value}");
            // Code 128's self-check: every symbol's bars cover an even number of modules.
            assert_eq!(bars % 2, 0, "symbol {value}");
        }
        let mut sorted = PATTERNS.to_vec();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 106);
    }

    #[test]
    fn set_b_text() {
        // "Wikipedia" in set B: W=55 i=73 k=75 i=73 p=80 e=69 d=68 i=73 a=65 (ASCII - 32).
        // 104 + 55*1 + 73*2 + 75*3 + 73*4 + 80*5 + 69*6 + 68*7 + 73*8 + 65*9
        //   = 104 + 55 + 146 + 225 + 292 + 400 + 414 + 476 + 584 + 585 = 3281
        // 3281 = 31 * 103 + 88, so the checksum is 88.
        let code = Code128::encode("Wikipedia").unwrap();
        assert_eq!(
            code.symbols(),
            [104, 55, 73, 75, 73, 80, 69, 68, 73, 65, 88]
        );
        assert_eq!(code.checksum(), 88);
    }

    #[test]
    fn known_module_pattern() {
        // "ABC": Start B 211214, A(33) 111323, B(34) 131123, C(35) 131321,
        // checksum (104 + 33 + 2*34 + 3*35) = 310 = 3*103 + 1 -> 1 = 222122, stop 2331112.
        let code = Code128::encode("ABC").unwrap();
        assert_eq!(code.symbols(), [104, 33, 34, 35, 1]);
        let widths: String = code.widths().iter().map(|w| w.to_string()).collect();
        assert_eq!(widths, "2112141113231311231313212221222331112");
        assert_eq!(code.modules(), 5 * 11 + 13);
    }

    #[test]
    fn digits_use_set_c() {
        // 105 + 12*1 + 34*2 + 56*3 + 78*4 + 90*5 = 105+12+68+168+312+450 = 1115
        // 1115 = 10 * 103 + 85.
        let code = Code128::encode("1234567890").unwrap();
        assert_eq!(code.symbols(), [105, 12, 34, 56, 78, 90, 85]);

        // Odd run at the start: pairs in C, the last digit in B.
        // 105 + 12 + 2*34 + 3*100 + 4*21 = 105+12+68+300+84 = 569 = 5*103 + 54.
        assert_eq!(
            Code128::encode("12345").unwrap().symbols(),
            [105, 12, 34, CODE_B, 21, 54]
        );

        // Letters then 8 digits: B for the letters, C for the run at the end.
        // 104 + 33 + 2*34 + 3*99 + 4*12 + 5*34 + 6*56 + 7*78
        //   = 104+33+68+297+48+170+336+546 = 1602 = 15*103 + 57.
        assert_eq!(
            Code128::encode("AB12345678").unwrap().symbols(),
            [104, 33, 34, CODE_C, 12, 34, 56, 78, 57]
        );
    }

    #[test]
    fn odd_run_after_letters_keeps_its_first_digit_in_b() {
        // "X" then 5 digits at the end: X, 1 in B, then C for 23 45.
        let code = Code128::encode("X12345").unwrap();
        assert_eq!(code.symbols()[..6], [104, 56, 17, CODE_C, 23, 45]);
        // Short runs stay in B: switching would cost more than it saves.
        assert_eq!(
            Code128::encode("A12B").unwrap().symbols()[..5],
            [104, 33, 17, 18, 34]
        );
    }

    #[test]
    fn unencodable_text_is_an_error_not_a_panic() {
        assert_eq!(Code128::encode(""), Err(EncodeError::Empty));
        assert_eq!(
            Code128::encode("AWB\n1"),
            Err(EncodeError::Unsupported('\n'))
        );
        assert_eq!(Code128::encode("é1"), Err(EncodeError::Unsupported('é')));
    }

    #[test]
    fn bars_cover_the_symbol() {
        let code = Code128::encode("SG123456789012").unwrap();
        let bars = code.bars();
        let (last_start, last_width) = *bars.last().unwrap();
        assert_eq!(last_start + last_width, code.modules());
        assert_eq!(bars.len(), code.symbols().len() * 3 + 4);
    }
}
