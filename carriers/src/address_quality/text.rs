//! Text helpers the address checks share: folding to a comparable form and a bounded
//! edit distance, so `Bangalore`, `BANGALORE.` and `Bangalroe` compare as the same place.

/// Lower case ASCII, `&` as `and`, every run of other characters (spaces, dots, commas,
/// dashes) as one space, trimmed. Letters outside ASCII are kept as they are.
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '&' {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            out.push_str("and ");
            continue;
        }
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The Levenshtein distance of `a` and `b`, or `None` once it exceeds `max` (the usual
/// case for unrelated names: stopping early keeps a scan of every district cheap).
pub(crate) fn distance_within(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut row = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        row[0] = i + 1;
        let mut best = row[0];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            row[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(row[j] + 1);
            best = best.min(row[j + 1]);
        }
        if best > max {
            return None;
        }
        std::mem::swap(&mut prev, &mut row);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}

/// Whether two folded names are the same name, allowing for typing: exact for short
/// names (up to 4 characters), one edit for up to 7, two beyond. Spaces do not count
/// (`tamilnadu` is `tamil nadu`).
pub(crate) fn close(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let a: String = a.chars().filter(|c| *c != ' ').collect();
    let b: String = b.chars().filter(|c| *c != ' ').collect();
    let shorter = a.chars().count().min(b.chars().count());
    let max = match shorter {
        0..=4 => 0,
        5..=7 => 1,
        _ => 2,
    };
    distance_within(&a, &b, max).is_some()
}

/// The words of folded text.
pub(crate) fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(' ').filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        for (raw, folded) in [
            ("  Bengaluru  Urban ", "bengaluru urban"),
            ("J&K", "j and k"),
            ("Y.S.R.", "y s r"),
            ("Andaman & Nicobar", "andaman and nicobar"),
            ("---", ""),
            ("Flat #302,  2nd Floor", "flat 302 2nd floor"),
        ] {
            assert_eq!(fold(raw), folded, "{raw}");
        }
    }

    #[test]
    fn distances_stop_at_the_bound() {
        assert_eq!(distance_within("kitten", "sitting", 3), Some(3));
        assert_eq!(distance_within("kitten", "sitting", 2), None);
        assert_eq!(distance_within("", "abc", 3), Some(3));
        assert_eq!(distance_within("abc", "abc", 0), Some(0));
    }

    #[test]
    fn closeness_grows_with_length() {
        assert!(close("bangalroe", "bangalore"));
        assert!(close("karnatka", "karnataka"));
        assert!(close("tamilnadu", "tamil nadu"));
        assert!(close("maharastra", "maharashtra"));
        assert!(!close("goa", "gao"));
        assert!(!close("kerala", "karnataka"));
        assert!(!close("pune", "puri"));
    }
}
