//! Air waybill numbers fetched ahead of booking.
//!
//! Some Indian carriers book a shipment under an AWB the client already holds: it fetches
//! a series from the carrier (XpressBees' `AWBNumberSeriesGeneration`, Ecom Express'
//! fetch-AWB) and names one number in each booking. An [`AwbPool`] keeps the numbers
//! fetched and not yet used, per lot (a carrier's series differ by direction and payment
//! mode: an XpressBees COD number is refused on a prepaid booking as "Invalid AWB
//! Prefix"), hands each out once, and refills a lot through the carrier's fetch only when
//! it is empty.
//!
//! The pool lives in one process. Numbers fetched and never used are not lost at the
//! carrier (a series is the client's until manifested); a restarted process fetches a
//! new series. Two callers finding a lot empty at once may both fetch: each series is
//! the carrier's own, so neither number is handed out twice.

use std::collections::{HashMap, HashSet, VecDeque};
use std::future::Future;
use std::sync::Mutex;

use crate::CarrierError;
use crate::kit::adapter::not_booked;
use crate::kit::memory::Memory;
use crate::kit::tracking::stored_awb;
use crate::schema::ShipmentRef;

/// Unused AWBs per lot, each handed out once.
pub struct AwbPool {
    lots: Mutex<Lots>,
    /// The most numbers kept per lot; a fetched series longer than this keeps its first
    /// numbers (a carrier that answers ten thousand at once does not fill memory).
    max_per_lot: usize,
}

#[derive(Default)]
struct Lots {
    unused: HashMap<String, VecDeque<String>>,
    /// Every number ever handed out or queued, so a series fetched again (the carrier
    /// repeating a batch) never hands a number out twice. Bounded like the lots.
    seen: HashSet<String>,
}

impl AwbPool {
    pub fn new(max_per_lot: usize) -> AwbPool {
        AwbPool {
            lots: Mutex::new(Lots::default()),
            max_per_lot: max_per_lot.max(1),
        }
    }

    /// The next unused number of `lot`, if there is one.
    pub fn take(&self, lot: &str) -> Option<String> {
        let mut lots = self.lock();
        lots.unused.get_mut(lot)?.pop_front()
    }

    /// Adds fetched numbers to `lot`: trimmed, blanks, duplicates and numbers seen before
    /// skipped, up to the lot's bound. How many were added.
    pub fn refill(&self, lot: &str, awbs: impl IntoIterator<Item = String>) -> usize {
        let mut lots = self.lock();
        let Lots { unused, seen } = &mut *lots;
        // Forgetting what was seen once it grows far past any pool keeps it bounded; a
        // carrier repeats a batch right away, not after thousands of others.
        if seen.len() > self.max_per_lot.saturating_mul(64) {
            seen.clear();
            seen.extend(unused.values().flatten().cloned());
        }
        let queue = unused.entry(lot.to_string()).or_default();
        let mut added = 0;
        for awb in awbs {
            let awb = awb.trim();
            if awb.is_empty() || queue.len() >= self.max_per_lot || !seen.insert(awb.into()) {
                continue;
            }
            queue.push_back(awb.to_string());
            added += 1;
        }
        added
    }

    /// How many unused numbers `lot` holds.
    pub fn len(&self, lot: &str) -> usize {
        self.lock().unused.get(lot).map_or(0, VecDeque::len)
    }

    pub fn is_empty(&self, lot: &str) -> bool {
        self.len(lot) == 0
    }

    /// The next number of `lot`, fetching a series with `fetch` first when the lot is
    /// empty. A fetch that brings no new number is the carrier's failure
    /// ([`CarrierError::BadResponse`]: it answered, but nothing usable).
    pub async fn draw<F, Fut>(&self, lot: &str, fetch: F) -> Result<String, CarrierError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Vec<String>, CarrierError>>,
    {
        if let Some(awb) = self.take(lot) {
            return Ok(awb);
        }
        let fetched = fetch().await?;
        self.refill(lot, fetched);
        self.take(lot).ok_or_else(|| {
            CarrierError::bad_response(format!(
                "the AWB series fetched for {lot} holds no new number"
            ))
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Lots> {
        self.lots
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The AWB drawn from a pool for each shipment id, remembered (bounded, expiring), so a
/// retried booking names the number its first attempt named and a booking is found by
/// its AWB before the gateway has stored it.
pub struct AssignedAwbs {
    assigned: Memory<String>,
}

impl AssignedAwbs {
    pub fn new(ttl: std::time::Duration, max: usize) -> AssignedAwbs {
        AssignedAwbs {
            assigned: Memory::new(ttl, max),
        }
    }

    /// The AWB drawn for shipment id `key` before, if any.
    pub fn get(&self, key: &str) -> Option<String> {
        self.assigned.get(key)
    }

    /// The AWB for shipment id `key`: the one drawn for it before, or `pool`'s next of
    /// `lot` (fetching a series with `fetch` when the lot is empty), remembered. A failure
    /// here cannot have booked anything ([`not_booked`]).
    pub async fn draw<F, Fut>(
        &self,
        pool: &AwbPool,
        key: &str,
        lot: &str,
        fetch: F,
    ) -> Result<String, CarrierError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Vec<String>, CarrierError>>,
    {
        if let Some(awb) = self.assigned.get(key) {
            return Ok(awb);
        }
        let awb = pool.draw(lot, fetch).await.map_err(not_booked)?;
        self.assigned.put(key, awb.clone());
        Ok(awb)
    }

    /// The AWB a shipment is known by: stored by the gateway, or drawn by this process.
    pub fn known(&self, shipment: &ShipmentRef) -> Option<String> {
        stored_awb(shipment)
            .map(str::to_string)
            .or_else(|| self.assigned.get(shipment.shipment_id.trim()))
    }

    /// [`Self::known`], else not sent: "shipment … has no `carrier` AWB to `what`".
    pub fn known_or(
        &self,
        shipment: &ShipmentRef,
        carrier: &str,
        what: &str,
    ) -> Result<String, CarrierError> {
        self.known(shipment).ok_or_else(|| {
            CarrierError::NotSent(format!(
                "shipment {} has no {carrier} AWB to {what}",
                shipment.shipment_id
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(numbers: &[&str]) -> Vec<String> {
        numbers.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn numbers_are_handed_out_once_per_lot() {
        let pool = AwbPool::new(3);
        assert_eq!(pool.take("cod"), None);
        let added = pool.refill("cod", series(&[" 11 ", "", "12", "11", "13", "14"]));
        assert_eq!(added, 3, "blank and repeated skipped, bounded at 3");
        assert_eq!(pool.len("cod"), 3);
        assert!(pool.is_empty("prepaid"), "lots are separate");
        assert_eq!(pool.take("cod").as_deref(), Some("11"));
        // A series repeated by the carrier adds nothing already handed out or queued.
        assert_eq!(pool.refill("cod", series(&["11", "12"])), 0);
        assert_eq!(pool.take("cod").as_deref(), Some("12"));
        assert_eq!(pool.take("cod").as_deref(), Some("13"));
        assert_eq!(pool.take("cod"), None);
    }

    #[tokio::test]
    async fn a_draw_fetches_only_when_the_lot_is_empty() {
        let pool = AwbPool::new(10);
        let fetches = std::sync::atomic::AtomicUsize::new(0);
        let fetch = || async {
            fetches.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(series(&["21", "22"]))
        };
        assert_eq!(pool.draw("lot", fetch).await.unwrap(), "21");
        let no_fetch = || async { panic!("the lot still holds 22") };
        assert_eq!(pool.draw("lot", no_fetch).await.unwrap(), "22");
        assert_eq!(fetches.load(std::sync::atomic::Ordering::SeqCst), 1);
        // The carrier repeats the same series: nothing new, an error, never a reuse.
        let again = pool.draw("lot", fetch).await.unwrap_err();
        assert!(matches!(again, CarrierError::BadResponse(_)), "{again}");
        // A failed fetch is the fetch's error, unchanged.
        let refused = || async { Err(CarrierError::rejected("x", "no", 200)) };
        let err = pool.draw("other", refused).await.unwrap_err();
        assert_eq!(err, CarrierError::rejected("x", "no", 200));
    }

    #[tokio::test]
    async fn an_assigned_awb_is_drawn_once_per_shipment_and_known_after() {
        let pool = AwbPool::new(10);
        let assigned = AssignedAwbs::new(std::time::Duration::from_secs(60), 10);
        let fetch = || async { Ok(series(&["31", "32"])) };
        assert_eq!(
            assigned.draw(&pool, "s1", "lot", fetch).await.unwrap(),
            "31"
        );
        let no_fetch = || async { panic!("s1 holds 31 already") };
        assert_eq!(
            assigned.draw(&pool, "s1", "lot", no_fetch).await.unwrap(),
            "31"
        );
        assert_eq!(assigned.get("s1").as_deref(), Some("31"));

        let mut shipment = ShipmentRef {
            shipment_id: " s1 ".into(),
            order_ref: String::new(),
            awb: None,
            carrier_refs: Default::default(),
        };
        assert_eq!(assigned.known(&shipment).as_deref(), Some("31"));
        shipment.awb = Some(" 99 ".into());
        assert_eq!(
            assigned.known(&shipment).as_deref(),
            Some("99"),
            "the stored AWB wins"
        );
        shipment.awb = None;
        shipment.shipment_id = "s2".into();
        let err = assigned.known_or(&shipment, "Acme", "cancel").unwrap_err();
        assert_eq!(
            err,
            CarrierError::NotSent("shipment s2 has no Acme AWB to cancel".into())
        );

        // A fetch that may have reached the carrier still booked nothing: not sent.
        let timeout = || async { Err(CarrierError::bad_response("garbled")) };
        let err = assigned
            .draw(&pool, "s3", "empty", timeout)
            .await
            .unwrap_err();
        assert!(matches!(err, CarrierError::NotSent(_)), "{err}");
    }
}
