//! What an adapter remembers between calls in one process (a booking that got past its
//! first step, say): kept for a while, and never more than a bound, so a carrier that
//! keeps failing half-way cannot grow the process without limit.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Entries by key, each for `ttl` from when it was first remembered; at most `max`, the
/// oldest going first.
#[derive(Debug)]
pub struct Memory<V> {
    ttl: Duration,
    max: usize,
    entries: Mutex<HashMap<String, (V, Instant)>>,
}

impl<V: Clone> Memory<V> {
    pub fn new(ttl: Duration, max: usize) -> Self {
        Memory {
            ttl,
            max,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<String, (V, Instant)>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The entry, unless it has expired.
    pub fn get(&self, key: &str) -> Option<V> {
        let entries = self.entries();
        let (value, since) = entries.get(key)?;
        (since.elapsed() < self.ttl).then(|| value.clone())
    }

    /// Remembers `value` under `key`; replacing an entry keeps its age (and makes no room).
    pub fn put(&self, key: &str, value: V) {
        let mut entries = self.entries();
        if !entries.contains_key(key) && entries.len() >= self.max {
            entries.retain(|_, (_, since)| since.elapsed() < self.ttl);
            let oldest = entries.iter().min_by_key(|(_, (_, since))| *since);
            if entries.len() >= self.max
                && let Some(oldest) = oldest.map(|(k, _)| k.clone())
            {
                entries.remove(&oldest);
            }
        }
        let since = entries
            .get(key)
            .map_or_else(Instant::now, |(_, since)| *since);
        entries.insert(key.to_string(), (value, since));
    }

    pub fn forget(&self, key: &str) {
        self.entries().remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_and_expiring() {
        let memory = Memory::new(Duration::from_secs(60), 2);
        memory.put("a", 1);
        std::thread::sleep(Duration::from_millis(2));
        memory.put("b", 2);
        memory.put("a", 3);
        assert_eq!(memory.get("a"), Some(3));
        memory.put("c", 4);
        // Full: the oldest entry ("a", first remembered before "b") made room.
        assert_eq!(
            (memory.get("a"), memory.get("b"), memory.get("c")),
            (None, Some(2), Some(4))
        );
        memory.forget("b");
        assert_eq!(memory.get("b"), None);
        let expired = Memory::new(Duration::ZERO, 2);
        expired.put("a", 1);
        assert_eq!(expired.get("a"), None);
    }
}
