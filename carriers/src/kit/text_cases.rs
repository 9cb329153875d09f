//! Test inputs for text functions rewritten for speed: every string built from a few
//! pieces, to check the new function against the one it replaced (kept in the tests as
//! the specification) on far more cases than anyone would write by hand.

/// Every string of one to `depth` of `pieces`, each joined to the one before by the
/// next of `seps` in turn (or directly, with no separators).
pub(crate) fn every_joining(pieces: &[&str], seps: &[&str], depth: usize) -> Vec<String> {
    let mut all = Vec::new();
    let mut shorter = vec![String::new()];
    for _ in 0..depth {
        let mut longer = Vec::with_capacity(shorter.len() * pieces.len());
        for (i, text) in shorter.iter().enumerate() {
            for (j, piece) in pieces.iter().enumerate() {
                let sep = match seps {
                    _ if text.is_empty() => "",
                    [] => "",
                    seps => seps[(i + j) % seps.len()],
                };
                longer.push(format!("{text}{sep}{piece}"));
            }
        }
        all.extend(longer.iter().cloned());
        shorter = longer;
    }
    all
}

#[cfg(test)]
mod tests {
    use super::every_joining;

    #[test]
    fn joinings_are_every_sequence_of_pieces() {
        let all = every_joining(&["a", "b"], &["-"], 2);
        assert_eq!(all, ["a", "b", "a-a", "a-b", "b-a", "b-b"]);
        assert_eq!(every_joining(&["x"], &[], 3), ["x", "xx", "xxx"]);
    }
}
