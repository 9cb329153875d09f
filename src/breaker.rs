//! A circuit breaker per carrier.
//!
//! When a carrier is down, every request would otherwise wait out its full timeout, tying
//! up connections and making each OMS call slow for nothing. After a run of consecutive
//! transport failures (no connection, timeouts, 5xx) the breaker opens and calls fail fast
//! with "not sent" — which is safe to retry — until a cool-down passes; then a single probe
//! is let through, and its outcome closes or re-opens the breaker. Carrier *rejections*
//! (4xx) are answers, not failures: they never trip it.
//!
//! A call cut short by a caller's deadline (a rate request's overall deadline, a client
//! that went away) says nothing about the carrier's health: it neither counts as a
//! failure nor closes the breaker, and a probe cut short re-opens it for another
//! cool-down rather than leaving it waiting for a verdict that never comes.

use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Closed {
        failures: u32,
    },
    Open {
        until: Instant,
    },
    /// One probe is in flight; everyone else is refused until it reports.
    HalfOpen,
}

/// The state shown to operators (metrics, `/readyz`) and used to skip carriers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerState {
    Closed,
    /// The cool-down has passed: the next call is a probe (or one is in flight).
    HalfOpen,
    Open,
}

impl BreakerState {
    pub fn as_str(self) -> &'static str {
        match self {
            BreakerState::Closed => "closed",
            BreakerState::HalfOpen => "half_open",
            BreakerState::Open => "open",
        }
    }

    /// The value of the `shipgate_carrier_breaker_state` gauge.
    pub fn gauge(self) -> f64 {
        match self {
            BreakerState::Closed => 0.0,
            BreakerState::HalfOpen => 1.0,
            BreakerState::Open => 2.0,
        }
    }
}

pub struct Breaker {
    state: Mutex<State>,
    threshold: u32,
    cool_down: Duration,
}

/// Why a call was refused without being sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub retry_in: Duration,
}

impl Breaker {
    pub fn new(threshold: u32, cool_down: Duration) -> Self {
        Breaker {
            state: Mutex::new(State::Closed { failures: 0 }),
            threshold,
            cool_down,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn threshold(&self) -> u32 {
        self.threshold
    }

    pub fn cool_down(&self) -> Duration {
        self.cool_down
    }

    pub fn state(&self) -> BreakerState {
        match *self.lock() {
            State::Closed { .. } => BreakerState::Closed,
            State::Open { until } if Instant::now() < until => BreakerState::Open,
            State::Open { .. } | State::HalfOpen => BreakerState::HalfOpen,
        }
    }

    /// Whether a call now would be refused, and for how long, without taking the probe.
    pub fn refusing(&self) -> Option<Refused> {
        match *self.lock() {
            State::Closed { .. } => None,
            State::Open { until } => {
                let now = Instant::now();
                (now < until).then(|| Refused {
                    retry_in: until - now,
                })
            }
            State::HalfOpen => Some(Refused {
                retry_in: Duration::from_secs(1),
            }),
        }
    }

    /// An admitted call ended without a verdict on the carrier (cut short by a deadline or
    /// dropped). Returns true when that re-opened the breaker (the call was the probe).
    pub fn abandon(&self) -> bool {
        let mut state = self.lock();
        if *state == State::HalfOpen {
            *state = State::Open {
                until: Instant::now() + self.cool_down,
            };
            return true;
        }
        false
    }

    /// May a call go out now?
    pub fn admit(&self) -> Result<(), Refused> {
        let mut state = self.lock();
        match *state {
            State::Closed { .. } => Ok(()),
            State::Open { until } => {
                let now = Instant::now();
                if now >= until {
                    *state = State::HalfOpen;
                    Ok(())
                } else {
                    Err(Refused {
                        retry_in: until - now,
                    })
                }
            }
            State::HalfOpen => Err(Refused {
                retry_in: Duration::from_secs(1),
            }),
        }
    }

    /// Reports a call's outcome; returns true when this report opened the breaker.
    pub fn record(&self, failed: bool) -> bool {
        let mut state = self.lock();
        match (*state, failed) {
            (_, false) => {
                *state = State::Closed { failures: 0 };
                false
            }
            (State::Closed { failures }, true) if failures + 1 < self.threshold => {
                *state = State::Closed {
                    failures: failures + 1,
                };
                false
            }
            (State::Open { .. }, true) => false,
            (_, true) => {
                *state = State::Open {
                    until: Instant::now() + self.cool_down,
                };
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_threshold_and_probes_after_cool_down() {
        let b = Breaker::new(3, Duration::from_millis(50));
        for _ in 0..2 {
            assert!(b.admit().is_ok());
            assert!(!b.record(true));
        }
        assert!(b.admit().is_ok());
        assert!(b.record(true), "third failure opens");
        assert!(b.admit().is_err());
        std::thread::sleep(Duration::from_millis(60));
        assert!(b.admit().is_ok(), "one probe after the cool-down");
        assert!(b.admit().is_err(), "only one probe at a time");
        assert!(b.record(true), "a failed probe re-opens");
        assert!(b.admit().is_err());
        std::thread::sleep(Duration::from_millis(60));
        assert!(b.admit().is_ok());
        b.record(false);
        assert!(
            b.admit().is_ok() && b.admit().is_ok(),
            "a good probe closes it"
        );
    }

    #[test]
    fn states_and_an_abandoned_probe() {
        let b = Breaker::new(1, Duration::from_millis(40));
        assert_eq!(b.state(), BreakerState::Closed);
        assert!(b.refusing().is_none());
        assert!(!b.abandon(), "nothing to abandon when closed");
        b.admit().unwrap();
        assert!(b.record(true));
        assert_eq!(b.state(), BreakerState::Open);
        assert!(b.refusing().is_some());
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(b.state(), BreakerState::HalfOpen);
        assert!(b.refusing().is_none(), "a probe may go");
        b.admit().unwrap();
        assert!(b.refusing().is_some(), "the probe is in flight");
        assert!(b.abandon(), "a probe without a verdict re-opens");
        assert_eq!(b.state(), BreakerState::Open);
    }

    #[test]
    fn a_success_resets_the_count() {
        let b = Breaker::new(2, Duration::from_secs(60));
        b.record(true);
        b.record(false);
        assert!(!b.record(true));
        assert!(b.admit().is_ok());
    }
}
