//! The generic cell rate algorithm (GCRA), as plain arithmetic on microseconds.
//!
//! GCRA keeps one number per bucket, the *theoretical arrival time* (TAT): the moment the
//! bucket would be full again if no further request came. That single number is what
//! makes it cheap to share through Redis (one key, one atomic script) and gives exact
//! answers for the headers: how many requests are left, when the bucket is full again,
//! and how long a refused client must wait. The Lua script in `redis_backend` is a line
//! for line transcription of [`Gcra::decide`]; the two backends must agree, so change
//! them together.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use crate::config::Limit;

/// One limit in the units GCRA works in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gcra {
    /// Time one request "costs": 1 / rate.
    pub interval_us: u64,
    /// How far ahead of now the TAT may run: `burst` requests' worth.
    pub capacity_us: u64,
    pub burst: u32,
}

/// The answer for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    /// Requests that could still be made right now.
    pub remaining: u64,
    /// Until the bucket is full again (nothing consumed).
    pub reset_us: u64,
    /// Refused only: until this same request would be allowed.
    pub retry_after_us: u64,
}

impl Gcra {
    pub fn from_limit(limit: &Limit) -> Result<Gcra, String> {
        if !(limit.per_second.is_finite() && limit.per_second > 0.0) {
            return Err(format!(
                "per_second must be a positive number, not {}",
                limit.per_second
            ));
        }
        if limit.burst == 0 {
            return Err("burst must be at least 1".into());
        }
        // Rounded to whole microseconds; below 1 µs (over a million per second) the limit
        // is meaningless anyway.
        let interval_us = ((1_000_000.0 / limit.per_second).round() as u64).max(1);
        Ok(Gcra {
            interval_us,
            capacity_us: interval_us * u64::from(limit.burst),
            burst: limit.burst,
        })
    }

    /// Whole seconds for the policy's window: the time an empty bucket takes to fill.
    /// Rounded up, so the advertised rate (`q / w`) is never above the enforced one.
    pub fn window_secs(&self) -> u64 {
        ceil_secs(self.capacity_us).max(1)
    }

    /// Decides one request at `now` given the stored TAT; returns the TAT to store when
    /// the request is allowed.
    pub fn decide(&self, stored_tat: Option<u64>, now: u64) -> (Decision, Option<u64>) {
        let tat = stored_tat.unwrap_or(now).max(now);
        let new_tat = tat + self.interval_us;
        let ahead = new_tat - now;
        if ahead > self.capacity_us {
            let decision = Decision {
                allowed: false,
                remaining: 0,
                reset_us: tat - now,
                retry_after_us: ahead - self.capacity_us,
            };
            return (decision, None);
        }
        let decision = Decision {
            allowed: true,
            remaining: (self.capacity_us - ahead) / self.interval_us,
            reset_us: ahead,
            retry_after_us: 0,
        };
        (decision, Some(new_tat))
    }
}

/// Microseconds to whole seconds, rounded up: a client told "wait N seconds" must not be
/// refused again after waiting exactly N.
pub fn ceil_secs(us: u64) -> u64 {
    us.div_ceil(1_000_000)
}

/// The in-process backend: TATs in a map, on this process's monotonic clock.
///
/// A plain mutex is enough: the critical section is a hash lookup and an addition, far
/// shorter than anything else a request does, and the map holds three entries per active
/// tenant.
pub struct LocalBuckets {
    epoch: Instant,
    tats: Mutex<HashMap<String, u64>>,
}

/// Above this many buckets, buckets that are full again are dropped (a missing bucket
/// and a full one mean the same thing), so the map follows active tenants only.
const PRUNE_ABOVE: usize = 10_000;

impl Default for LocalBuckets {
    fn default() -> Self {
        LocalBuckets {
            epoch: Instant::now(),
            tats: Mutex::new(HashMap::new()),
        }
    }
}

impl LocalBuckets {
    pub fn now_us(&self) -> u64 {
        self.epoch.elapsed().as_micros() as u64
    }

    pub fn decide(&self, key: &str, gcra: &Gcra) -> Decision {
        let now = self.now_us();
        let mut tats = self.tats.lock().unwrap_or_else(|e| e.into_inner());
        let (decision, new_tat) = gcra.decide(tats.get(key).copied(), now);
        if let Some(tat) = new_tat {
            if tats.len() >= PRUNE_ABOVE && !tats.contains_key(key) {
                tats.retain(|_, tat| *tat > now);
            }
            tats.insert(key.to_string(), tat);
        }
        decision
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gcra(per_second: f64, burst: u32) -> Gcra {
        Gcra::from_limit(&Limit { per_second, burst }).unwrap()
    }

    #[test]
    fn a_full_bucket_allows_the_burst_then_refuses() {
        let g = gcra(10.0, 3);
        let mut tat = None;
        let mut remaining = Vec::new();
        for _ in 0..3 {
            let (d, t) = g.decide(tat, 0);
            assert!(d.allowed);
            remaining.push(d.remaining);
            tat = t;
        }
        assert_eq!(remaining, [2, 1, 0]);
        let (d, t) = g.decide(tat, 0);
        assert!(!d.allowed);
        assert_eq!(t, None);
        // The next slot opens one interval (100 ms) from now; full again in 300 ms.
        assert_eq!(d.retry_after_us, 100_000);
        assert_eq!(d.reset_us, 300_000);
    }

    #[test]
    fn retry_after_is_exact() {
        let g = gcra(2.0, 1);
        let (_, tat) = g.decide(None, 0);
        let (refused, _) = g.decide(tat, 200_000);
        assert!(!refused.allowed);
        assert_eq!(refused.retry_after_us, 300_000);
        let (early, _) = g.decide(tat, 499_999);
        assert!(!early.allowed);
        let (on_time, _) = g.decide(tat, 500_000);
        assert!(on_time.allowed);
    }

    #[test]
    fn sustained_rate_is_the_configured_rate() {
        // Over 10 s of requests every millisecond, a 5/s limit with burst 5 admits the
        // burst plus 5 per second.
        let g = gcra(5.0, 5);
        let mut tat = None;
        let mut allowed = 0;
        for ms in 0..10_000u64 {
            let (d, t) = g.decide(tat, ms * 1000);
            if d.allowed {
                allowed += 1;
                tat = t;
            }
        }
        assert_eq!(allowed, 5 + 50 - 1);
    }

    #[test]
    fn window_is_rounded_up() {
        assert_eq!(gcra(200.0, 400).window_secs(), 2);
        assert_eq!(gcra(3.0, 5).window_secs(), 2);
        assert_eq!(gcra(1000.0, 1).window_secs(), 1);
    }

    #[test]
    fn invalid_limits_are_refused() {
        assert!(
            Gcra::from_limit(&Limit {
                per_second: 0.0,
                burst: 1
            })
            .is_err()
        );
        assert!(
            Gcra::from_limit(&Limit {
                per_second: 1.0,
                burst: 0
            })
            .is_err()
        );
        assert!(
            Gcra::from_limit(&Limit {
                per_second: f64::NAN,
                burst: 1
            })
            .is_err()
        );
    }

    #[test]
    fn local_buckets_are_independent() {
        let b = LocalBuckets::default();
        let g = gcra(0.001, 1);
        assert!(b.decide("a", &g).allowed);
        assert!(!b.decide("a", &g).allowed);
        assert!(b.decide("b", &g).allowed);
    }
}
