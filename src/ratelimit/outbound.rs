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

use std::num::NonZeroU32;
use std::time::{Duration, Instant};

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
        })
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
    fn nonsense_quotas_are_refused() {
        assert!(OutboundQuota::new("x", 0.0).is_err());
        assert!(OutboundQuota::new("x", -1.0).is_err());
        assert!(OutboundQuota::new("x", f64::INFINITY).is_err());
    }
}
