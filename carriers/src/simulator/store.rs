//! The bookings a simulator keeps: found by the store's own id or by secondary keys (the
//! client's reference, the AWB, the carrier's own ids), oldest forgotten first past a
//! bound, and a reused client reference refused while its booking is kept.
//!
//! Records are numbered by the store in the order they arrive, so forgetting the oldest
//! never moves the others under their keys, and "newest first" is the reverse of the ids.

use std::collections::{BTreeMap, HashMap};

/// What a record can be found by besides its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    /// The client's own reference (Delhivery's `order`, Shiprocket's channel `order_id`):
    /// a second record with a kept reference is refused.
    Reference,
    Awb,
    /// The carrier's order id, where it has one besides the AWB.
    OrderId,
    /// The carrier's shipment id, where it has one besides the AWB.
    ShipmentId,
}

pub struct Store<B> {
    kept: usize,
    records: BTreeMap<u64, B>,
    /// Every key given for a kept record, so forgetting it removes exactly those.
    keys: HashMap<u64, Vec<(Key, String)>>,
    index: HashMap<(Key, String), u64>,
    next_id: u64,
    bookings: usize,
}

/// A reference that is free: the place to put its record.
pub struct Vacant<'a, B> {
    store: &'a mut Store<B>,
    reference: String,
}

impl<B> Store<B> {
    /// A store that keeps the most recent `kept` records (at least one).
    pub fn new(kept: usize) -> Self {
        Store {
            kept: kept.max(1),
            records: BTreeMap::new(),
            keys: HashMap::new(),
            index: HashMap::new(),
            next_id: 0,
            bookings: 0,
        }
    }

    /// The place for a record under `reference`, or the kept record that already has
    /// it. Refusing here, before anything is allocated, is what keeps a retried booking
    /// from getting a second AWB.
    pub fn vacant(&mut self, reference: &str) -> Result<Vacant<'_, B>, &B> {
        if let Some(id) = self.find(Key::Reference, reference)
            && self.records.contains_key(&id)
        {
            return Err(&self.records[&id]);
        }
        Ok(Vacant {
            store: self,
            reference: reference.to_string(),
        })
    }

    /// Gives kept record `id` one more key (an AWB assigned after the order was made).
    pub fn add_key(&mut self, id: u64, key: Key, value: &str) {
        if let Some(keys) = self.keys.get_mut(&id) {
            keys.push((key, value.to_string()));
            self.index.insert((key, value.to_string()), id);
        }
    }

    /// The kept record's id under `key`. The carrier's order and shipment ids are
    /// numbers, found by their value: `007` finds 7, and `abc` nothing.
    pub fn find(&self, key: Key, value: &str) -> Option<u64> {
        let value = match key {
            Key::OrderId | Key::ShipmentId => value.trim().parse::<u64>().ok()?.to_string(),
            Key::Reference | Key::Awb => value.to_string(),
        };
        self.index.get(&(key, value)).copied()
    }

    /// The kept records under any of `keys`, each once, in the order first named.
    pub fn find_all<'v>(&self, keys: impl IntoIterator<Item = (Key, &'v str)>) -> Vec<u64> {
        let mut found = Vec::new();
        for id in keys.into_iter().filter_map(|(key, v)| self.find(key, v)) {
            if !found.contains(&id) {
                found.push(id);
            }
        }
        found
    }

    pub fn get(&self, id: u64) -> Option<&B> {
        self.records.get(&id)
    }

    pub fn get_mut(&mut self, id: u64) -> Option<&mut B> {
        self.records.get_mut(&id)
    }

    /// The kept record under `key`.
    pub fn by(&self, key: Key, value: &str) -> Option<&B> {
        self.get(self.find(key, value)?)
    }

    pub fn by_mut(&mut self, key: Key, value: &str) -> Option<&mut B> {
        let id = self.find(key, value)?;
        self.get_mut(id)
    }

    /// Acts on the kept record under `key` for each of `values` (a cancel by several ids);
    /// the refusals, each `value: reason`, `missing` the reason for a value nobody kept.
    pub fn act_on<E: std::fmt::Display>(
        &mut self,
        key: Key,
        values: impl IntoIterator<Item = String>,
        missing: E,
        mut act: impl FnMut(&mut B) -> Result<(), E>,
    ) -> Vec<String> {
        let mut refused = Vec::new();
        for value in values {
            let outcome = match self.by_mut(key, &value) {
                None => Err(missing.to_string()),
                Some(record) => act(record).map_err(|reason| reason.to_string()),
            };
            if let Err(reason) = outcome {
                refused.push(format!("{value}: {reason}"));
            }
        }
        refused
    }

    /// Kept records, newest first.
    pub fn newest_first(&self) -> impl Iterator<Item = &B> {
        self.records.values().rev()
    }

    /// Kept records, oldest first, to change (a pickup at a warehouse touches all its
    /// parcels).
    pub fn each_mut(&mut self) -> impl Iterator<Item = &mut B> {
        self.records.values_mut()
    }

    /// Counts one booking. What a booking is belongs to the carrier (an AWB issued), so
    /// it is counted apart from records kept: an order without an AWB is no booking.
    pub fn count_booking(&mut self) {
        self.bookings += 1;
    }

    /// Bookings ever counted, forgotten ones included: it never goes down.
    pub fn bookings(&self) -> usize {
        self.bookings
    }

    fn forget_oldest(&mut self) {
        while self.records.len() > self.kept {
            let Some((id, _)) = self.records.pop_first() else {
                break;
            };
            for key in self.keys.remove(&id).unwrap_or_default() {
                self.index.remove(&key);
            }
        }
    }
}

impl<B> Vacant<'_, B> {
    /// Keeps `record` under its reference and `keys`, forgetting the oldest past the
    /// bound; its id.
    pub fn insert(self, record: B, keys: impl IntoIterator<Item = (Key, String)>) -> u64 {
        let store = self.store;
        store.next_id += 1;
        let id = store.next_id;
        let keys: Vec<(Key, String)> = std::iter::once((Key::Reference, self.reference))
            .chain(keys)
            .collect();
        for key in &keys {
            store.index.insert(key.clone(), id);
        }
        store.keys.insert(id, keys);
        store.records.insert(id, record);
        store.forget_oldest();
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(store: &mut Store<&'static str>, reference: &str, awb: &str) -> u64 {
        let slot = store.vacant(reference).ok().unwrap();
        let id = slot.insert("record", [(Key::Awb, awb.to_string())]);
        store.count_booking();
        id
    }

    #[test]
    fn finds_records_by_id_reference_and_awb() {
        let mut store = Store::new(10);
        let id = book(&mut store, "ORD-1", "AWB-1");
        assert_eq!(store.find(Key::Reference, "ORD-1"), Some(id));
        assert_eq!(store.find(Key::Awb, "AWB-1"), Some(id));
        assert_eq!(store.get(id), Some(&"record"));
        assert_eq!(store.find(Key::Awb, "ORD-1"), None, "keys of one kind only");
    }

    #[test]
    fn refuses_a_kept_reference() {
        let mut store = Store::new(10);
        book(&mut store, "ORD-1", "AWB-1");
        *store.by_mut(Key::Awb, "AWB-1").unwrap() = "kept";
        assert_eq!(store.vacant("ORD-1").err(), Some(&"kept"));
        assert!(store.vacant("ORD-2").is_ok());
    }

    #[test]
    fn forgets_the_oldest_past_the_bound_with_all_its_keys() {
        let mut store = Store::new(2);
        let first = book(&mut store, "ORD-1", "AWB-1");
        store.add_key(first, Key::ShipmentId, "7");
        let second = book(&mut store, "ORD-2", "AWB-2");
        let third = book(&mut store, "ORD-3", "AWB-3");
        assert_eq!(store.get(first), None);
        for (key, value) in [
            (Key::Reference, "ORD-1"),
            (Key::Awb, "AWB-1"),
            (Key::ShipmentId, "7"),
        ] {
            assert_eq!(store.find(key, value), None, "{key:?} {value}");
        }
        assert_eq!(store.find(Key::Awb, "AWB-2"), Some(second));
        assert_eq!(store.find(Key::Awb, "AWB-3"), Some(third));
        // A forgotten reference is free again.
        assert!(store.vacant("ORD-1").is_ok());
        assert_eq!(store.bookings(), 3, "forgotten bookings still count");
    }

    #[test]
    fn lists_newest_first_and_keys_added_later_are_found() {
        let mut store = Store::new(5);
        for n in 1..=3 {
            let id = store
                .vacant(&format!("ORD-{n}"))
                .ok()
                .unwrap()
                .insert(n, []);
            store.add_key(id, Key::Awb, &format!("AWB-{n}"));
        }
        assert_eq!(store.newest_first().copied().collect::<Vec<_>>(), [3, 2, 1]);
        assert_eq!(store.by(Key::Awb, "AWB-2"), Some(&2));
        *store.by_mut(Key::Reference, "ORD-2").unwrap() = 20;
        assert_eq!(store.by(Key::Awb, "AWB-2"), Some(&20));
        assert_eq!(
            store.bookings(),
            0,
            "records are not bookings until counted"
        );
    }

    #[test]
    fn acts_on_each_record_named_and_lists_the_refusals() {
        let mut store = Store::new(5);
        book(&mut store, "ORD-1", "AWB-1");
        book(&mut store, "ORD-2", "AWB-2");
        *store.by_mut(Key::Awb, "AWB-2").unwrap() = "done";
        let awbs = ["AWB-1", "AWB-2", "AWB-9"].map(String::from);
        let refused = store.act_on(Key::Awb, awbs, "not found", |record| match *record {
            "done" => Err("too late"),
            _ => {
                *record = "done";
                Ok(())
            }
        });
        assert_eq!(refused, ["AWB-2: too late", "AWB-9: not found"]);
        assert_eq!(store.by(Key::Awb, "AWB-1"), Some(&"done"));
    }

    #[test]
    fn numbers_are_found_by_value_and_several_keys_each_once() {
        let mut store = Store::new(5);
        let id = store.vacant("ref").ok().unwrap().insert(
            1,
            [
                (Key::ShipmentId, "7".to_string()),
                (Key::Awb, "A1".to_string()),
            ],
        );
        assert_eq!(store.find(Key::ShipmentId, "007"), Some(id));
        assert_eq!(store.find(Key::ShipmentId, "abc"), None);
        assert_eq!(store.find(Key::Awb, "a1"), None, "AWBs are text");
        let keys = [
            (Key::Awb, "A1"),
            (Key::Reference, "ref"),
            (Key::Awb, "nope"),
        ];
        assert_eq!(store.find_all(keys), [id]);
    }
}
