//! Whether the phone reaches somebody. Parsing has already made it E.164; what is left
//! are the numbers people type when a checkout form insists on one: one digit ten times,
//! `9876543210`, `9898989898`, `9000000000`. In India a courier calls before delivering
//! (and for a COD order must), so such a number is a failed delivery in waiting.

use crate::schema::Address;

use super::Findings;

/// Checks the phone; `india` adds the mobile rule (10 digits starting 6–9).
pub(super) fn check(address: &Address, india: bool, f: &mut Findings) {
    let digits: String = if india {
        address.phone.national().to_string()
    } else {
        address
            .phone
            .e164()
            .chars()
            .filter(char::is_ascii_digit)
            .collect()
    };
    if india && (digits.len() != 10 || !matches!(digits.as_bytes()[0], b'6'..=b'9')) {
        f.add(
            "phone",
            "phone_not_mobile",
            format!("{digits} is not an Indian mobile number (10 digits starting 6, 7, 8 or 9)"),
        );
        return;
    }
    let bytes = digits.as_bytes();
    if bytes.is_empty() {
        return;
    }
    if bytes.iter().all(|b| *b == bytes[0]) {
        f.add(
            "phone",
            "phone_repeated_digits",
            format!("{digits} is one digit repeated: nobody answers it"),
        );
    } else if longest_step_run(bytes) >= 8 {
        f.add(
            "phone",
            "phone_sequence",
            format!("{digits} is a run of consecutive digits, a placeholder rather than a number"),
        );
    } else if distinct(bytes) <= 2 || longest_same_run(bytes) >= 6 {
        f.add(
            "phone",
            "phone_low_variety",
            format!("{digits} has too little variety to be a real number"),
        );
    }
}

/// The longest run of digits each one above or each one below the last (wrapping 9→0).
fn longest_step_run(d: &[u8]) -> usize {
    let mut best = 1;
    for step in [1i8, -1] {
        let mut run = 1;
        for w in d.windows(2) {
            let next = (w[0] as i8 - b'0' as i8 + step).rem_euclid(10) as u8 + b'0';
            run = if w[1] == next { run + 1 } else { 1 };
            best = best.max(run);
        }
    }
    best
}

fn longest_same_run(d: &[u8]) -> usize {
    let mut best = 1;
    let mut run = 1;
    for w in d.windows(2) {
        run = if w[0] == w[1] { run + 1 } else { 1 };
        best = best.max(run);
    }
    best
}

fn distinct(d: &[u8]) -> usize {
    let mut seen = [false; 256];
    d.iter()
        .filter(|b| !std::mem::replace(&mut seen[**b as usize], true))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs() {
        assert_eq!(longest_step_run(b"9876543210"), 10);
        assert_eq!(longest_step_run(b"6789012345"), 10);
        assert_eq!(longest_step_run(b"9123456789"), 9);
        assert_eq!(longest_step_run(b"9845012345"), 6);
        assert_eq!(longest_same_run(b"9000000001"), 8);
        assert_eq!(distinct(b"9898989898"), 2);
    }
}
