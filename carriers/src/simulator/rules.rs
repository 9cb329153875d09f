//! Which pincodes a sandbox serves, and for what: rules over the pincodes a request
//! names, so a test picks the answer it wants by the pincode it sends. The same matcher
//! chooses journey detours ([`super::journey`]).

/// A set of pincodes, by their digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pins {
    Exactly(&'static str),
    StartingWith(&'static str),
    EndingWith(&'static str),
}

impl Pins {
    pub fn contains(&self, pin: &str) -> bool {
        match self {
            Pins::Exactly(p) => pin == *p,
            Pins::StartingWith(p) => pin.starts_with(p),
            Pins::EndingWith(p) => pin.ends_with(p),
        }
    }
}

/// Destination pincodes that choose a scan journey's detours, the same for every carrier's
/// sandbox so a test or a demo picks a detour the same way whichever carrier it books:
/// failed delivery attempts, then delivery.
pub const NDR: Pins = Pins::EndingWith("99");
/// Failed attempts, then back to the origin (RTO).
pub const RTO: Pins = Pins::EndingWith("98");
/// Lost in transit.
pub const LOST: Pins = Pins::EndingWith("97");
/// Misrouted on the way, then delivered.
pub const MISROUTED: Pins = Pins::EndingWith("96");
/// Not collected when a pickup is scheduled for it (the carrier's "not picked" scan),
/// then collected at the next visit. Only a scheduled pickup shows it: parcels nobody
/// schedules a pickup for travel as before.
pub const PICKUP_FAILS: Pins = Pins::EndingWith("95");

/// A journey's `detours` for the pincode rules above, the same for every sandbox:
/// [`NDR`] fails one `attempt` (a failed-attempt scan and out for delivery again), [`RTO`]
/// fails `refused` twice and goes back the `rto` way, [`LOST`] ends in the `lost` scans,
/// [`MISROUTED`] takes the `misrouted` scans and rejoins. Each argument is a `'static`
/// slice of the carrier's own steps.
macro_rules! rule_detours {
    (attempt: $attempt:expr, refused: $refused:expr, rto: $rto:expr, lost: $lost:expr, misrouted: $misrouted:expr $(,)?) => {
        &[
            (
                $crate::simulator::rules::NDR,
                &[$crate::simulator::journey::Detour::attempts($attempt, 1)],
            ),
            (
                $crate::simulator::rules::RTO,
                &[
                    $crate::simulator::journey::Detour::attempts($refused, 2),
                    $crate::simulator::journey::Detour::returned($rto),
                ],
            ),
            (
                $crate::simulator::rules::LOST,
                &[$crate::simulator::journey::Detour::lost($lost)],
            ),
            (
                $crate::simulator::rules::MISROUTED,
                &[$crate::simulator::journey::Detour::misrouted($misrouted)],
            ),
        ]
    };
}
pub(crate) use rule_detours;

/// Whether `pin` has an Indian pincode's shape: six digits, the first not 0.
pub fn is_pincode(pin: &str) -> bool {
    pin.len() == 6 && pin.bytes().all(|b| b.is_ascii_digit()) && !pin.starts_with('0')
}

/// The pincodes a sandbox serves: every well-formed one but those listed.
#[derive(Debug, Clone, Copy)]
pub struct Serviceability {
    /// Served for nothing.
    pub unserved: &'static [Pins],
    /// Served for prepaid parcels but not for cash on delivery.
    pub prepaid_only: &'static [Pins],
}

impl Serviceability {
    pub fn serves(&self, pin: &str) -> bool {
        is_pincode(pin) && !self.unserved.iter().any(|p| p.contains(pin))
    }

    pub fn serves_cod(&self, pin: &str) -> bool {
        self.serves(pin) && !self.prepaid_only.iter().any(|p| p.contains(pin))
    }

    /// Whether `pin` is served for this payment.
    pub fn serves_for(&self, pin: &str, cod: bool) -> bool {
        if cod {
            self.serves_cod(pin)
        } else {
            self.serves(pin)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: Serviceability = Serviceability {
        unserved: &[Pins::Exactly("999999")],
        prepaid_only: &[Pins::StartingWith("9")],
    };

    #[test]
    fn pins_match_by_whole_start_or_end() {
        assert!(Pins::Exactly("560001").contains("560001"));
        assert!(!Pins::Exactly("560001").contains("5600011"));
        assert!(Pins::StartingWith("9").contains("940001"));
        assert!(!Pins::StartingWith("9").contains("490001"));
        assert!(Pins::EndingWith("99").contains("560199"));
        assert!(!Pins::EndingWith("99").contains("599001"));
    }

    #[test]
    fn serves_well_formed_pins_but_the_listed_ones() {
        assert!(RULES.serves("560001") && RULES.serves_cod("560001"));
        assert!(!RULES.serves("999999") && !RULES.serves_cod("999999"));
        for malformed in ["056000", "56000", "5600011", "56000a", ""] {
            assert!(!RULES.serves(malformed), "{malformed}");
        }
    }

    #[test]
    fn prepaid_only_pins_refuse_cash_on_delivery() {
        assert!(RULES.serves_for("940001", false));
        assert!(!RULES.serves_for("940001", true));
        assert!(RULES.serves_for("560001", true));
    }
}
