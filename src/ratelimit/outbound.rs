//! Outbound quotas: how fast shipgate may call each carrier.
//!
//! Carriers publish API limits and answer bursts above them with 429s, temporary key
//! blocks or silently dropped bookings. The executor therefore takes a slot from the
//! carrier's quota before anything is sent. A call that finds no free slot waits in line
//! (first come, first served) for a short while — a burst of rate requests is smoothed
//! rather than failed — and when no slot will come in time it fails with
//! [`CarrierError::NotSent`]: nothing reached the carrier, so the caller may retry safely,
//! and the client sees a 503 naming the carrier.
//!
//! The quota is a governor GCRA with a burst of one: requests are paced at exactly the
//! published rate, so no one-second window ever sees a burst above it. It is per process:
//! with several gateway processes, give each its share of the carrier's limit.
//!
//! Each quota also counts the slots it gave and the calls it refused over the last
//! minute ([`OutboundQuota::usage`]), in one-second buckets, so an operator can see how
//! close an account runs to its limit (`GET /v1/carriers`) without scraping metrics: the
//! governor keeps no history of its own.

use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use carriers::CarrierError;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

/// How long a call may wait for a slot before it is refused.
pub const MAX_QUOTA_WAIT: Duration = Duration::from_secs(2);

pub struct OutboundQuota {
    carrier: &'static str,
    per_second: f64,
    limiter: DefaultDirectRateLimiter,
    clock: DefaultClock,
    /// Fair queueing: only the head of the line watches the limiter, so a call that has
    /// waited longest is served first and a newcomer cannot take its slot.
    line: tokio::sync::Mutex<()>,
    max_wait: Duration,
    /// The last minute's slots given and calls refused, one bucket a second.
    recent: Mutex<Window>,
}

/// How much of its quota an account used over the last minute (this process only).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QuotaUsage {
    pub per_second: f64,
    /// Calls let through in the last 60 seconds.
    pub used_last_minute: u64,
    /// Calls refused for want of a slot in the last 60 seconds.
    pub refused_last_minute: u64,
}

/// A minute of one-second buckets: `(unix second, given, refused)`, indexed by second mod 60.
struct Window([(u64, u32, u32); WINDOW_SECS as usize]);

impl Default for Window {
    fn default() -> Window {
        Window([(0, 0, 0); WINDOW_SECS as usize])
    }
}

const WINDOW_SECS: u64 = 60;

fn unix_second() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Window {
    fn count(&mut self, now: u64, given: bool) {
        let bucket = &mut self.0[(now % WINDOW_SECS) as usize];
        if bucket.0 != now {
            *bucket = (now, 0, 0);
        }
        if given {
            bucket.1 = bucket.1.saturating_add(1);
        } else {
            bucket.2 = bucket.2.saturating_add(1);
        }
    }

    /// Given and refused over the minute up to `now` (buckets older than that are stale).
    fn totals(&self, now: u64) -> (u64, u64) {
        self.0
            .iter()
            .filter(|(at, _, _)| *at + WINDOW_SECS > now && *at <= now)
            .fold((0, 0), |(g, r), (_, given, refused)| {
                (g + u64::from(*given), r + u64::from(*refused))
            })
    }
}

impl OutboundQuota {
    /// A quota of `per_second` calls, which must be positive and finite.
    pub fn new(carrier: &'static str, per_second: f64) -> Result<OutboundQuota, String> {
        if !(per_second.is_finite() && per_second > 0.0) {
            return Err(format!(
                "quota_per_second for `{carrier}` must be a positive number, not {per_second}"
            ));
        }
        let period = Duration::from_secs_f64(1.0 / per_second);
        let quota = Quota::with_period(period)
            .ok_or_else(|| format!("quota_per_second for `{carrier}` is too large"))?
            .allow_burst(NonZeroU32::MIN);
        let clock = DefaultClock::default();
        Ok(OutboundQuota {
            carrier,
            per_second,
            limiter: RateLimiter::direct_with_clock(quota, clock.clone()),
            clock,
            line: tokio::sync::Mutex::new(()),
            max_wait: MAX_QUOTA_WAIT,
            recent: Mutex::new(Window::default()),
        })
    }

    fn note(&self, given: bool) {
        self.recent
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .count(unix_second(), given);
    }

    /// What the last minute used of this quota.
    pub fn usage(&self) -> QuotaUsage {
        let (used, refused) = self
            .recent
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .totals(unix_second());
        QuotaUsage {
            per_second: self.per_second,
            used_last_minute: used,
            refused_last_minute: refused,
        }
    }

    #[cfg(test)]
    fn with_max_wait(mut self, max_wait: Duration) -> OutboundQuota {
        self.max_wait = max_wait;
        self
    }

    pub fn per_second(&self) -> f64 {
        self.per_second
    }

    /// Takes one slot, waiting up to [`MAX_QUOTA_WAIT`] for it.
    pub async fn acquire(&self) -> Result<(), CarrierError> {
        // The common case: nobody waiting and a slot free. Checking the line first keeps
        // a newcomer from overtaking callers already queued.
        if let Ok(_head) = self.line.try_lock()
            && self.limiter.check().is_ok()
        {
            self.note(true);
            return Ok(());
        }
        let start = Instant::now();
        let deadline = tokio::time::Instant::now() + self.max_wait;
        let Ok(_head) = tokio::time::timeout_at(deadline, self.line.lock()).await else {
            return Err(self.refuse());
        };
        loop {
            match self.limiter.check() {
                Ok(()) => {
                    metrics::counter!("shipgate_carrier_quota_waits_total", "carrier" => self.carrier)
                        .increment(1);
                    metrics::histogram!("shipgate_carrier_quota_wait_seconds", "carrier" => self.carrier)
                        .record(start.elapsed().as_secs_f64());
                    self.note(true);
                    return Ok(());
                }
                Err(not_until) => {
                    let wait = not_until.wait_time_from(self.clock.now());
                    let ready = tokio::time::Instant::now() + wait;
                    // Waiting for a slot past the deadline would only add latency to a
                    // refusal: refuse now, and let the next in line try.
                    if ready > deadline {
                        return Err(self.refuse());
                    }
                    tokio::time::sleep_until(ready).await;
                }
            }
        }
    }

    fn refuse(&self) -> CarrierError {
        self.note(false);
        metrics::counter!("shipgate_carrier_quota_refusals_total", "carrier" => self.carrier)
            .increment(1);
        tracing::warn!(
            carrier = self.carrier,
            quota_per_second = self.per_second,
            "outbound quota exhausted; carrier call refused before sending"
        );
        CarrierError::Paused {
            reason: format!(
                "outbound quota of {}/s for {} exhausted (no free slot within {} s); nothing was sent, retry later",
                self.per_second,
                self.carrier,
                self.max_wait.as_secs_f64()
            ),
            // The next slot is at most one interval away.
            retry_after_secs: (1.0 / self.per_second).ceil().max(1.0) as u64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn calls_queue_for_a_slot_then_fail_without_sending() {
        // 20/s: a slot every 50 ms, so of 16 calls at once about 11 fit in 500 ms.
        let quota = std::sync::Arc::new(
            OutboundQuota::new("testcarrier", 20.0)
                .unwrap()
                .with_max_wait(Duration::from_millis(500)),
        );
        let start = Instant::now();
        let calls = (0..16).map(|_| {
            let q = quota.clone();
            tokio::spawn(async move { q.acquire().await })
        });
        let results = futures::future::join_all(calls).await;
        let elapsed = start.elapsed();
        let ok = results.iter().filter(|r| matches!(r, Ok(Ok(())))).count();
        let refused: Vec<_> = results
            .into_iter()
            .filter_map(|r| r.unwrap().err())
            .collect();
        // The pacing holds: one at once, then one per 50 ms of elapsed time (a fifth of an
        // interval of slack for clock granularity).
        let most = 1 + (elapsed.as_secs_f64() / 0.05 + 0.2).floor() as usize;
        assert!(ok <= most, "{ok} calls passed in {elapsed:?}");
        assert!(ok >= 6, "only {ok} calls got a slot within 500 ms");
        assert!(!refused.is_empty());
        for e in refused {
            assert!(
                matches!(&e, CarrierError::Paused { reason: m, retry_after_secs: 1 } if m.contains("testcarrier") && m.contains("20/s")),
                "{e}"
            );
        }
    }

    #[test]
    fn the_window_counts_the_last_minute_only() {
        let mut w = Window::default();
        w.count(1_000, true);
        w.count(1_000, true);
        w.count(1_030, false);
        w.count(1_059, true);
        assert_eq!(w.totals(1_059), (3, 1));
        // A minute after the first second it has left the window.
        assert_eq!(w.totals(1_060), (1, 1));
        // Its bucket is reused, not added to.
        w.count(1_060, true);
        assert_eq!(w.totals(1_060), (2, 1));
        assert_eq!(w.totals(2_000), (0, 0));
    }

    #[tokio::test]
    async fn usage_counts_the_slots_given_and_refused() {
        let quota = OutboundQuota::new("testcarrier", 1.0)
            .unwrap()
            .with_max_wait(Duration::from_millis(10));
        assert!(quota.acquire().await.is_ok());
        assert!(
            quota.acquire().await.is_err(),
            "the next slot is a second away"
        );
        let usage = quota.usage();
        assert_eq!(usage.per_second, 1.0);
        assert_eq!((usage.used_last_minute, usage.refused_last_minute), (1, 1));
    }

    #[test]
    fn nonsense_quotas_are_refused() {
        assert!(OutboundQuota::new("x", 0.0).is_err());
        assert!(OutboundQuota::new("x", -1.0).is_err());
        assert!(OutboundQuota::new("x", f64::INFINITY).is_err());
    }
}
