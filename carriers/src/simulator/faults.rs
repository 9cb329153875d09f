//! Faults a sandbox or a test stand-in injects, so the failures that make carrier calls
//! dangerous can be rehearsed: the carrier acted but its answer was lost (a 5xx page or a
//! cut-off body after the booking happened), an error page before it acted, a slow answer.
//! The simulators stay pure: a fault says what the caller hears and how late, and the
//! HTTP layer serving the simulator waits and answers. Expired tokens are the token
//! issuer's ([`super::tokens::Tokens::expire_all`]), since only the simulator can refuse
//! its own token.

use std::time::Duration;

use super::SimResponse;

/// Text every spoiled answer carries, so a test can prove a carrier's raw body never
/// reaches a client.
pub const NOTE: &str = "sandbox fault";

/// What the caller hears instead of the simulator's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spoil {
    /// An HTML error page with this status: a proxy's, or the carrier's CDN's.
    Page(u16),
    /// A plain-text error with this status.
    Text(u16),
    /// The answer cut off halfway, as a 200: a connection that died mid-answer.
    Truncated,
}

impl Spoil {
    /// The spoiled answer; `real` is what the simulator answered, when it acted.
    pub fn answer(self, real: Option<&SimResponse>) -> SimResponse {
        match self {
            Spoil::Page(status) => error_page(status),
            Spoil::Text(status) => {
                SimResponse::raw(status, "text/plain", format!("upstream failure ({NOTE})"))
            }
            Spoil::Truncated => {
                let mut cut = real
                    .cloned()
                    .unwrap_or_else(|| SimResponse::raw(200, "application/json", "{}"));
                cut.body.truncate(cut.body.len() / 2);
                cut.status = 200;
                cut
            }
        }
    }
}

/// One fault, for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fault {
    /// Whether the simulator acts first, so what is lost is the answer to something that
    /// happened: the failure that makes a blind retry book twice.
    pub acts: bool,
    /// How much later the answer comes.
    pub delay: Duration,
    /// `None`: the real answer, only late.
    pub spoil: Option<Spoil>,
}

impl Fault {
    /// The simulator acts, and answers `delay` later.
    pub fn slow(delay: Duration) -> Self {
        Fault {
            acts: true,
            delay,
            spoil: None,
        }
    }

    /// An HTML error page with `status` before the simulator acts: nothing happened.
    pub fn page(status: u16) -> Self {
        Fault {
            acts: false,
            delay: Duration::ZERO,
            spoil: Some(Spoil::Page(status)),
        }
    }

    /// The simulator acts, and its answer is lost: the caller hears `spoil`.
    pub fn lost(spoil: Spoil) -> Self {
        Fault {
            acts: true,
            delay: Duration::ZERO,
            spoil: Some(spoil),
        }
    }

    /// What the caller hears instead of `real` (the simulator's answer, `None` when it
    /// did not act); `None` leaves the real answer, or lets the simulator act.
    pub fn answer(&self, real: Option<&SimResponse>) -> Option<SimResponse> {
        self.spoil.map(|s| s.answer(real))
    }
}

/// Faults waiting for the requests they match, each for a number of them.
#[derive(Debug, Clone, Default)]
pub struct Armed(Vec<Waiting>);

#[derive(Debug, Clone)]
struct Waiting {
    contains: String,
    /// Matching requests still let through before the fault applies.
    after: u32,
    times: u32,
    fault: Fault,
}

impl Armed {
    /// `fault` for the next `times` requests whose target (a path, or whatever the
    /// caller matches on) contains `contains`; empty matches every request.
    pub fn arm(&mut self, contains: &str, times: u32, fault: Fault) {
        self.arm_after(contains, 0, times, fault);
    }

    /// As [`Armed::arm`], after letting `after` matching requests through untouched: how
    /// the answer to the third call of a booking is lost and not the first.
    pub fn arm_after(&mut self, contains: &str, after: u32, times: u32, fault: Fault) {
        if times > 0 {
            self.0.push(Waiting {
                contains: contains.to_string(),
                after,
                times,
                fault,
            });
        }
    }

    /// How many faults still wait.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first fault armed for `target`, spending one of its times; a fault still
    /// letting requests through counts this one and applies to none.
    pub fn take(&mut self, target: &str) -> Option<Fault> {
        let i = self
            .0
            .iter()
            .position(|w| target.contains(w.contains.as_str()))?;
        let waiting = &mut self.0[i];
        if waiting.after > 0 {
            waiting.after -= 1;
            return None;
        }
        let fault = waiting.fault;
        waiting.times -= 1;
        if waiting.times == 0 {
            self.0.remove(i);
        }
        Some(fault)
    }
}

/// An error page as proxies and CDNs in front of carriers answer: HTML, not the
/// carrier's format.
pub fn error_page(status: u16) -> SimResponse {
    let reason = match status {
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    };
    SimResponse::raw(
        status,
        "text/html",
        format!(
            "<html><head><title>{status} {reason}</title></head><body><h1>{status} {reason}</h1><p>{NOTE}</p></body></html>"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn real() -> SimResponse {
        SimResponse::raw(201, "application/json", r#"{"waybill":"123"}"#)
    }

    #[test]
    fn spoiled_answers_carry_the_note_and_their_status() {
        let page = Fault::page(503).answer(None).unwrap();
        assert_eq!((page.status, page.content_type), (503, "text/html"));
        let body = String::from_utf8(page.body).unwrap();
        assert!(
            body.contains("503 Service Unavailable") && body.contains(NOTE),
            "{body}"
        );
        let text = Fault::lost(Spoil::Text(500)).answer(Some(&real())).unwrap();
        assert_eq!((text.status, text.content_type), (500, "text/plain"));
        assert!(String::from_utf8(text.body).unwrap().contains(NOTE));
    }

    #[test]
    fn a_lost_answer_may_be_cut_off_as_a_200() {
        let cut = Fault::lost(Spoil::Truncated).answer(Some(&real())).unwrap();
        assert_eq!(cut.status, 200);
        assert_eq!(cut.body, br#"{"waybil"#);
    }

    #[test]
    fn slow_faults_keep_the_real_answer_and_say_when_the_simulator_acts() {
        let slow = Fault::slow(Duration::from_millis(20));
        assert!(slow.acts && slow.answer(Some(&real())).is_none());
        assert_eq!(slow.delay, Duration::from_millis(20));
        assert!(
            !Fault::page(502).acts,
            "an error page before acting books nothing"
        );
        assert!(Fault::lost(Spoil::Page(502)).acts);
    }

    #[test]
    fn armed_faults_match_their_targets_for_their_times() {
        let mut armed = Armed::default();
        armed.arm("create", 2, Fault::page(502));
        armed.arm("", 1, Fault::page(503));
        armed.arm("never", 0, Fault::page(500));
        assert_eq!(armed.take("/api/track"), Some(Fault::page(503)));
        assert_eq!(armed.take("/api/track"), None, "spent");
        assert_eq!(armed.take("/api/create.json"), Some(Fault::page(502)));
        assert_eq!(armed.take("/api/create.json"), Some(Fault::page(502)));
        assert_eq!(armed.take("/api/create.json"), None);
    }

    #[test]
    fn a_fault_armed_after_some_requests_lets_them_through_first() {
        let mut armed = Armed::default();
        armed.arm_after("", 2, 1, Fault::page(502));
        assert_eq!(armed.take("/login"), None);
        assert_eq!(armed.take("/orders"), None);
        assert_eq!(armed.take("/awb"), Some(Fault::page(502)));
        assert_eq!(armed.take("/label"), None, "spent");
    }
}
