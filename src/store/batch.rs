//! Multi-row statements with few distinct shapes.
//!
//! Writing many rows in one statement saves a round trip per row (a network hop on
//! PostgreSQL, a hop to the connection's worker thread on SQLite). But every distinct SQL
//! text is a separately prepared statement, and a `VALUES` list as long as whatever batch
//! came along would prepare (and evict from the statement cache) a new one almost every
//! time. So rows go in chunks of a few fixed sizes, whose statements stay prepared.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

/// Chunk sizes, largest first; the last must be 1.
const SHAPES: [usize; 4] = [64, 16, 4, 1];

/// `items` cut into chunks whose lengths are all in [`SHAPES`], largest first.
pub(crate) fn shaped<T>(items: &[T]) -> Vec<&[T]> {
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
pub(crate) fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `($1, …, $w), ($w+1, …), …` for `rows` rows of `width` values.
pub(crate) fn value_rows(rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", placeholders(r * width + 1, width)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The SQL text of statement `name` for `rows` rows, built by `build` the first time and
/// kept for the life of the process: building a long `VALUES` list for every batch costs
/// more than it seems, and with [`shaped`] chunks there are only a handful per statement.
pub(crate) fn statement(
    name: &'static str,
    rows: usize,
    build: impl FnOnce(usize) -> String,
) -> &'static str {
    type Texts = Mutex<HashMap<(&'static str, usize), &'static str>>;
    static TEXTS: OnceLock<Texts> = OnceLock::new();
    let texts = TEXTS.get_or_init(Texts::default);
    if let Some(text) = texts
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&(name, rows))
    {
        return text;
    }
    let built: &'static str = Box::leak(build(rows).into_boxed_str());
    let mut texts = texts.lock().unwrap_or_else(PoisonError::into_inner);
    let text: &'static str = texts.entry((name, rows)).or_insert(built);
    text
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
        let a = statement("test", 2, |n| value_rows(n, 1));
        let b = statement("test", 2, |_| unreachable!("built once"));
        assert_eq!((a, std::ptr::eq(a, b)), ("($1), ($2)", true));
    }
}
