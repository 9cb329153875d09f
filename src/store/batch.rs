//! Multi-row statements with few distinct shapes.
//!
//! Writing many rows in one statement saves a round trip per row (a network hop on
//! PostgreSQL, a hop to the connection's worker thread on SQLite). But every distinct SQL
//! text is a separately prepared statement, and a `VALUES` list as long as whatever batch
//! came along would prepare (and evict from the statement cache) a new one almost every
//! time. So rows go in chunks of a few fixed sizes, whose statements stay prepared.

/// Chunk sizes, largest first; the last must be 1.
const SHAPES: [usize; 4] = [64, 16, 4, 1];

/// `items` cut into chunks whose lengths are all in [`SHAPES`], largest first.
pub(super) fn shaped<T>(items: &[T]) -> Vec<&[T]> {
    let mut chunks = Vec::new();
    let mut rest = items;
    for size in SHAPES {
        while rest.len() >= size {
            let (chunk, tail) = rest.split_at(size);
            chunks.push(chunk);
            rest = tail;
        }
    }
    chunks
}

/// `$from, $from+1, …` (n placeholders).
pub(super) fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `($1, …, $w), ($w+1, …), …` for `rows` rows of `width` values.
pub(super) fn value_rows(rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", placeholders(r * width + 1, width)))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_use_few_shapes() {
        let items: Vec<u32> = (0..150).collect();
        let lens: Vec<usize> = shaped(&items).iter().map(|c| c.len()).collect();
        assert_eq!(lens, [64, 64, 16, 4, 1, 1]);
        assert_eq!(shaped(&items).concat(), items);
        assert!(shaped::<u32>(&[]).is_empty());
        assert_eq!(value_rows(2, 2), "($1, $2), ($3, $4)");
    }
}
