//! Leases: limits shared through Redis without a Redis round trip per request.
//!
//! With Redis, every gateway process draws from one bucket per tenant and route class.
//! Asking Redis for every request costs a round trip each, which on a cheap route (a quote
//! from rate cards) is most of the request. Instead a process takes a small *lease* of
//! tokens from the shared bucket in one script call (`redis_backend::LEASE_LUA`) and spends them
//! locally; when the lease is spent or expires it takes the next one, handing back in the
//! same call what it did not use.
//!
//! The tolerance this buys, stated for operators (`docs/idempotency-and-limits.md`):
//! - The sustained rate holds exactly across processes: every token spent was drawn from
//!   the shared bucket.
//! - In a short window a tenant may get up to one lease per process beyond its burst
//!   (tokens drawn a moment earlier and spent now), and a process may refuse while another
//!   holds unspent tokens, for at most [`LEASE_TTL_US`].
//! - A lease is at most [`LEASE_TTL_US`] worth of the rate and a tenth of the burst, at
//!   least one token. Limits of a few dozen a second lease one token at a time: exactly the
//!   per-request behaviour. A tenant allowed 1,000 a second with a burst of 500 leases 50
//!   tokens: one round trip per 50 requests.
//! - A refusal is remembered until a lease's worth of tokens has come back (at most one
//!   lease time), so a client hammering past its limit costs no round trip per request
//!   either; it still gets its rate, in leases.

use std::collections::HashMap;
use std::sync::Mutex;

use super::gcra::{Decision, Gcra};

/// How long a lease may be spent from, and how much of the rate it may hold.
pub const LEASE_TTL_US: u64 = 50_000;

/// Tokens to draw at once for a limit.
pub fn lease_size(gcra: &Gcra) -> u64 {
    let by_rate = LEASE_TTL_US / gcra.interval_us;
    let by_burst = u64::from(gcra.burst) / 10;
    by_rate.min(by_burst).max(1)
}

/// This process's leases, by bucket key, on the process's monotonic clock (µs).
#[derive(Default)]
pub struct Leases {
    held: Mutex<HashMap<String, Held>>,
}

#[derive(Default)]
struct Held {
    tokens: u64,
    expires_us: u64,
    granted_us: u64,
    /// The shared bucket's remaining requests and time to full when the lease was drawn.
    remaining: u64,
    reset_us: u64,
    /// Unspent tokens of an expired lease, handed back with the next draw.
    refund: u64,
    /// Refused until then (a refusal remembered; see the module docs).
    refused_until_us: u64,
    retry_after_us: u64,
    /// A draw is on its way: others draw one token for themselves meanwhile.
    drawing: bool,
}

/// What to ask Redis for when the lease could not answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Draw {
    pub want: u64,
    pub refund: u64,
    /// Whether this caller is the one drawing the lease (it must report back).
    leader: bool,
}

/// Above this many keys, spent and expired ones are dropped.
const PRUNE_ABOVE: usize = 10_000;

impl Leases {
    /// Spends a token of `key`'s lease, or says what to draw.
    pub fn take(&self, key: &str, gcra: &Gcra, now: u64) -> Result<Decision, Draw> {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        if held.len() >= PRUNE_ABOVE && !held.contains_key(key) {
            held.retain(|_, h| {
                h.drawing || h.refund > 0 || now < h.expires_us.max(h.refused_until_us)
            });
        }
        let h = held.entry(key.to_string()).or_default();
        if now < h.refused_until_us {
            return Ok(Decision {
                allowed: false,
                remaining: 0,
                reset_us: h.reset_us,
                retry_after_us: h.refused_until_us - now + h.retry_after_us,
            });
        }
        if now >= h.expires_us && h.tokens > 0 {
            h.refund += h.tokens;
            h.tokens = 0;
        }
        if h.tokens > 0 {
            h.tokens -= 1;
            let spent_for = now.saturating_sub(h.granted_us);
            return Ok(Decision {
                allowed: true,
                remaining: h.remaining + h.tokens,
                reset_us: h.reset_us.saturating_sub(spent_for),
                retry_after_us: 0,
            });
        }
        if h.drawing {
            return Err(Draw {
                want: 1,
                refund: 0,
                leader: false,
            });
        }
        h.drawing = true;
        Err(Draw {
            want: lease_size(gcra),
            refund: std::mem::take(&mut h.refund),
            leader: true,
        })
    }

    /// Records what a draw brought (`granted` tokens, one of them spent by the caller) and
    /// answers the caller's request.
    pub fn drawn(
        &self,
        key: &str,
        gcra: &Gcra,
        draw: Draw,
        granted: u64,
        d: Decision,
        now: u64,
    ) -> Decision {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        let h = held.entry(key.to_string()).or_default();
        if draw.leader {
            h.drawing = false;
        }
        if granted == 0 {
            // Remembered until a lease's worth has come back (for one-token leases: until
            // the bucket admits again), and no longer than a lease time: a tenant at its
            // limit then costs a round trip per lease too, and still gets its rate, as
            // tokens build up in the shared bucket meanwhile.
            let rest_of_lease = (lease_size(gcra) - 1) * gcra.interval_us;
            let wait = (d.retry_after_us + rest_of_lease).min(LEASE_TTL_US);
            h.refused_until_us = now + wait;
            h.retry_after_us = d.retry_after_us.saturating_sub(wait);
            h.reset_us = d.reset_us;
            return Decision {
                allowed: false,
                ..d
            };
        }
        let extra = granted - 1;
        if extra > 0 {
            h.tokens += extra;
            h.expires_us = now + LEASE_TTL_US;
            h.granted_us = now;
            h.remaining = d.remaining;
            h.reset_us = d.reset_us;
        }
        Decision {
            allowed: true,
            remaining: d.remaining + h.tokens,
            reset_us: d.reset_us,
            retry_after_us: 0,
        }
    }

    /// Watches a draw on its way: if the caller's future is dropped before the answer (its
    /// client went away), the draw counts as failed, so the next caller draws the lease
    /// instead of every caller drawing single tokens from then on.
    pub fn watch<'a>(&'a self, key: &'a str, draw: Draw) -> Watched<'a> {
        Watched {
            leases: self,
            key,
            draw: Some(draw),
        }
    }

    /// The draw failed (Redis unavailable): nothing was taken, a later caller draws again.
    pub fn failed(&self, key: &str, draw: Draw) {
        if draw.leader {
            let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(h) = held.get_mut(key) {
                h.drawing = false;
                h.refund += draw.refund;
            }
        }
    }
}

/// A draw on its way ([`Leases::watch`]).
pub struct Watched<'a> {
    leases: &'a Leases,
    key: &'a str,
    draw: Option<Draw>,
}

impl Watched<'_> {
    /// The answer arrived: it is recorded by [`Leases::drawn`], not by the drop.
    pub fn answered(mut self) -> Draw {
        self.draw.take().expect("answered once")
    }
}

impl Drop for Watched<'_> {
    fn drop(&mut self) {
        if let Some(draw) = self.draw.take() {
            self.leases.failed(self.key, draw);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Limit;

    fn gcra(per_second: f64, burst: u32) -> Gcra {
        Gcra::from_limit(&Limit { per_second, burst }).unwrap()
    }

    fn allowed(remaining: u64) -> Decision {
        Decision {
            allowed: true,
            remaining,
            reset_us: 1_000,
            retry_after_us: 0,
        }
    }

    #[test]
    fn leases_are_a_tenth_of_the_burst_and_a_lease_time_of_the_rate() {
        assert_eq!(
            lease_size(&gcra(20.0, 40)),
            1,
            "small limits: one at a time"
        );
        assert_eq!(lease_size(&gcra(1000.0, 500)), 50);
        assert_eq!(lease_size(&gcra(1000.0, 100)), 10, "a tenth of the burst");
        assert_eq!(lease_size(&gcra(10_000_000.0, 10_000_000)), 50_000);
    }

    #[test]
    fn a_lease_is_spent_locally_then_drawn_again() {
        let (leases, g) = (Leases::default(), gcra(1000.0, 500));
        let draw = leases.take("k", &g, 0).unwrap_err();
        assert_eq!((draw.want, draw.refund, draw.leader), (50, 0, true));
        // Another request while the draw is on its way draws one token for itself.
        let single = leases.take("k", &g, 1).unwrap_err();
        assert_eq!((single.want, single.leader), (1, false));
        let d = leases.drawn("k", &g, draw, 50, allowed(400), 10);
        assert!(d.allowed);
        assert_eq!(d.remaining, 449, "the bucket's remaining plus the lease's");
        for i in 0..49u64 {
            let d = leases.take("k", &g, 20 + i).expect("spent from the lease");
            assert!(d.allowed);
            assert_eq!(d.remaining, 400 + 48 - i);
        }
        assert!(
            leases.take("k", &g, 100).unwrap_err().leader,
            "spent: draw again"
        );
    }

    #[test]
    fn a_draw_whose_caller_went_away_lets_the_next_caller_draw_the_lease() {
        let (leases, g) = (Leases::default(), gcra(1000.0, 500));
        let draw = leases.take("k", &g, 0).unwrap_err();
        drop(leases.watch("k", draw));
        let next = leases.take("k", &g, 1).unwrap_err();
        assert!(next.leader, "not stuck drawing single tokens");
        assert_eq!(next.want, 50);
    }

    #[test]
    fn unspent_tokens_of_an_expired_lease_are_handed_back_with_the_next_draw() {
        let (leases, g) = (Leases::default(), gcra(1000.0, 500));
        let draw = leases.take("k", &g, 0).unwrap_err();
        leases.drawn("k", &g, draw, 50, allowed(400), 0);
        leases.take("k", &g, 1).unwrap();
        let next = leases.take("k", &g, LEASE_TTL_US).unwrap_err();
        assert_eq!((next.want, next.refund), (50, 48));
        // A failed draw keeps the refund for the one after.
        leases.failed("k", next);
        assert_eq!(
            leases.take("k", &g, LEASE_TTL_US + 1).unwrap_err().refund,
            48
        );
    }

    #[test]
    fn a_refusal_is_remembered_until_a_lease_could_be_drawn_at_most_a_lease_time() {
        let refused = |retry_after_us| Decision {
            allowed: false,
            remaining: 0,
            reset_us: 500_000,
            retry_after_us,
        };
        // One-token leases: until the bucket admits again, exactly.
        let (leases, small) = (Leases::default(), gcra(20.0, 40));
        let draw = leases.take("s", &small, 0).unwrap_err();
        assert!(
            !leases
                .drawn("s", &small, draw, 0, refused(20_000), 0)
                .allowed
        );
        let d = leases.take("s", &small, 5_000).expect("decided locally");
        assert!(!d.allowed);
        assert_eq!(d.retry_after_us, 15_000);
        assert!(
            leases.take("s", &small, 20_000).is_err(),
            "asks Redis again"
        );

        // Larger leases: until a lease's worth is back (10 tokens of 1 ms), not sooner.
        let (leases, g) = (Leases::default(), gcra(1000.0, 100));
        let draw = leases.take("k", &g, 0).unwrap_err();
        leases.drawn("k", &g, draw, 0, refused(1_000), 0);
        assert_eq!(leases.take("k", &g, 4_000).unwrap().retry_after_us, 6_000);
        assert!(leases.take("k", &g, 10_000).is_err());

        // A long wait is remembered for one lease time only, with the honest retry-after.
        let draw = leases.take("j", &g, 0).unwrap_err();
        leases.drawn("j", &g, draw, 0, refused(2_000_000), 0);
        assert_eq!(
            leases.take("j", &g, 10_000).unwrap().retry_after_us,
            1_990_000
        );
        assert!(leases.take("j", &g, LEASE_TTL_US).is_err());
    }
}
