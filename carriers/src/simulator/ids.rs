//! Numbers a simulator hands out (waybills, order and shipment ids): never the same twice
//! in one run and, when seeded from the clock, not the same as an earlier run's, so a
//! restarted sandbox does not issue an AWB the gateway has already stored.

use chrono::Utc;

#[derive(Debug, Clone, Default)]
pub struct Counter(u64);

impl Counter {
    /// Counting from 1.
    pub fn new() -> Self {
        Counter(0)
    }

    /// Counting on from the clock's milliseconds.
    pub fn from_clock() -> Self {
        Counter(u64::try_from(Utc::now().timestamp_millis()).unwrap_or(0))
    }

    pub fn issue(&mut self) -> u64 {
        self.0 += 1;
        self.0
    }

    /// The number last handed out (the seed before the first).
    pub fn current(&self) -> u64 {
        self.0
    }

    /// The next number as exactly `digits` digits, the first of them 1 (at most 19).
    pub fn issue_fixed(&mut self, digits: u32) -> String {
        let span = 10_u64.pow(digits.clamp(1, 19) - 1);
        (span + self.issue() % span).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_up_from_one_or_from_the_clock() {
        let mut c = Counter::new();
        assert_eq!([c.issue(), c.issue()], [1, 2]);
        assert_eq!(c.current(), 2);
        let clock = Counter::from_clock();
        assert!(
            clock.current() > 1_700_000_000_000,
            "milliseconds since 1970"
        );
    }

    #[test]
    fn fixed_width_numbers_keep_their_width() {
        let mut c = Counter(99);
        assert_eq!(c.issue_fixed(3), "100");
        assert_eq!(c.issue_fixed(3), "101");
        let mut clock = Counter::from_clock();
        let waybill = clock.issue_fixed(14);
        assert_eq!(waybill.len(), 14);
        assert!(waybill.starts_with('1'));
        assert_ne!(waybill, clock.issue_fixed(14));
    }
}
