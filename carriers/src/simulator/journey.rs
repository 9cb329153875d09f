//! Scan journeys as data. A [`Journey`] is the steps every parcel takes (each a carrier's
//! own status codes and a place), the detours a request's destination pincode chooses
//! (failed delivery attempts, return to origin, lost, misrouted), and what a cancel
//! leaves before and after pickup. A booking gets a [`Trip`] along it, and the simulator
//! reveals one step per track call, so a test watches a parcel move by tracking it.
//!
//! Steps carry a [`Mark`] only where the kit must know what they mean (picked up, a
//! failed delivery attempt, delivered, returning, lost); everything else about a step is
//! the carrier's.
//!
//! A failed delivery attempt waits for the seller's instruction (an NDR action): an
//! accepted one replaces the rest of the trip ([`Trip::instruct`]) with the journey's
//! steps for it, a new delivery ([`Journey::redelivered`]) or the way back
//! ([`Journey::rto`]). A trip nobody instructs goes on as its detours planned it, as a
//! carrier acts on its own after a failed attempt. What words the carrier accepts an
//! instruction in, and refuses it in, is the carrier simulator's business.

use std::collections::VecDeque;

use chrono::{DateTime, Duration, SubsecRound, Utc};

use super::rules::Pins;

/// Where a step happens; each trip names its places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Origin,
    Transit,
    Destination,
}

/// What a step means to the kit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Scan,
    /// From here a cancel sends the parcel back instead of cancelling it.
    PickedUp,
    /// A failed delivery attempt (an NDR): while it is the latest scan, the trip takes
    /// one instruction ([`Trip::instruct`]).
    Undelivered,
    /// The end of a forward journey; failed attempts and returns go in before it.
    Delivered,
    /// On its way back (RTO); no cancel from here.
    Returning,
    /// Gone; no cancel from here.
    Lost,
}

/// One scan a parcel will show: the carrier's codes for it, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step<C> {
    pub code: C,
    pub place: Place,
    pub mark: Mark,
}

impl<C: Copy> Step<C> {
    pub const fn new(code: C, place: Place) -> Self {
        Step {
            code,
            place,
            mark: Mark::Scan,
        }
    }

    pub const fn marked(self, mark: Mark) -> Self {
        Step {
            code: self.code,
            place: self.place,
            mark,
        }
    }
}

/// A step at `place` with the carrier's `code`, for journey tables.
pub const fn step<C: Copy>(code: C, place: Place) -> Step<C> {
    Step::new(code, place)
}

/// Where a detour joins the forward steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anchor {
    /// Just before the delivered step.
    Delivery,
    /// Just before the first step at the destination.
    Arrival,
}

/// A change to the forward steps, chosen per booking by [`Journey::detours`].
#[derive(Debug, Clone, Copy)]
pub struct Detour<C: 'static> {
    at: Anchor,
    steps: &'static [Step<C>],
    times: usize,
    /// Whether the journey goes on as planned after the detour, or ends with it.
    rejoins: bool,
}

impl<C> Detour<C> {
    /// `times` failed delivery attempts before delivery, each these steps (a failure
    /// scan, then out for delivery again).
    pub const fn attempts(steps: &'static [Step<C>], times: usize) -> Self {
        Detour {
            at: Anchor::Delivery,
            steps,
            times,
            rejoins: true,
        }
    }

    /// Back to the origin instead of delivery (after any attempts listed before it).
    pub const fn returned(steps: &'static [Step<C>]) -> Self {
        Detour {
            at: Anchor::Delivery,
            steps,
            times: 1,
            rejoins: false,
        }
    }

    /// Lost on the way: these steps instead of reaching the destination.
    pub const fn lost(steps: &'static [Step<C>]) -> Self {
        Detour {
            at: Anchor::Arrival,
            steps,
            times: 1,
            rejoins: false,
        }
    }

    /// Sent the wrong way before reaching the destination, then on as planned.
    pub const fn misrouted(steps: &'static [Step<C>]) -> Self {
        Detour {
            at: Anchor::Arrival,
            steps,
            times: 1,
            rejoins: true,
        }
    }
}

impl<C: Copy> Detour<C> {
    fn apply(&self, steps: &mut Vec<Step<C>>) {
        let at = match self.at {
            Anchor::Delivery => steps.iter().position(|s| s.mark == Mark::Delivered),
            Anchor::Arrival => steps.iter().position(|s| s.place == Place::Destination),
        };
        let Some(at) = at else { return };
        let detour = (0..self.times).flat_map(|_| self.steps.iter().copied());
        let end = if self.rejoins { at } else { steps.len() };
        steps.splice(at..end, detour);
    }
}

/// The scans a carrier's parcels show.
#[derive(Debug)]
pub struct Journey<C: 'static> {
    /// Every parcel's way from booking to delivery, one step marked [`Mark::Delivered`].
    pub forward: &'static [Step<C>],
    /// What a cancel before pickup leaves.
    pub cancelled: &'static [Step<C>],
    /// What a cancel after pickup leaves: the way back.
    pub returned: &'static [Step<C>],
    /// What an accepted re-attempt (on a new date, address or phone too) shows after a
    /// failed attempt: out for delivery again, then delivered.
    pub redelivered: &'static [Step<C>],
    /// What an accepted return instruction shows after a failed attempt: the way back,
    /// ending with the carrier's RTO-delivered scan.
    pub rto: &'static [Step<C>],
    /// Detours for destination pincodes, applied in order where the pincode matches.
    pub detours: &'static [(Pins, &'static [Detour<C>])],
    /// Fraction-of-second digits the carrier writes in scan times (3: milliseconds).
    pub time_digits: u16,
}

impl<C: Copy> Journey<C> {
    /// A one-way journey (a return picked up at the buyer's): `forward`, and
    /// `redelivered` after a failed attempt; no cancel scans, no way back, no detours,
    /// whole-second scan times.
    pub const fn one_way(forward: &'static [Step<C>], redelivered: &'static [Step<C>]) -> Self {
        Journey {
            forward,
            cancelled: &[],
            returned: &[],
            redelivered,
            rto: &[],
            detours: &[],
            time_digits: 0,
        }
    }

    /// The trip a parcel bound for `pin` takes, between these places.
    pub fn trip(&'static self, pin: &str, places: Places) -> Trip<C> {
        let mut steps = self.forward.to_vec();
        for (pins, detours) in self.detours {
            if pins.contains(pin) {
                detours.iter().for_each(|d| d.apply(&mut steps));
            }
        }
        Trip {
            journey: self,
            places,
            scans: Vec::new(),
            pending: steps.into(),
            cancelled: false,
            instructed: None,
        }
    }
}

/// The names a trip's places go by in scans.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Places {
    pub origin: String,
    pub transit: String,
    pub destination: String,
}

impl Places {
    pub fn new(origin: &str, transit: &str, destination: &str) -> Self {
        let [origin, transit, destination] = [origin, transit, destination].map(String::from);
        Places {
            origin,
            transit,
            destination,
        }
    }

    /// A facility name in the carriers' style: `Pune_DC (Maharashtra)`, or `Pune_DC`
    /// without a state.
    pub fn facility(city: &str, kind: &str, state: &str) -> String {
        if state.is_empty() {
            format!("{city}_{kind}")
        } else {
            format!("{city}_{kind} ({state})")
        }
    }
}

/// A step revealed, at a time.
#[derive(Debug, Clone, Copy)]
pub struct Scan<C> {
    pub step: Step<C>,
    pub time: DateTime<Utc>,
}

/// Cancelling a parcel that is delivered, returning or lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLate;

/// What a seller tells the carrier after a failed delivery attempt, as far as the scans
/// go: every re-attempt, new date, address or phone is a new delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Instruction {
    /// Out for delivery again, then delivered ([`Journey::redelivered`]).
    Redeliver,
    /// Back to the origin ([`Journey::rto`]).
    Return,
}

/// An instruction for a trip whose latest scan is no failed delivery attempt awaiting
/// one (not yet attempted, delivered, returning, cancelled, or already instructed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAwaiting;

/// One parcel's way along a journey: the scans revealed so far and those to come.
#[derive(Debug)]
pub struct Trip<C: 'static> {
    journey: &'static Journey<C>,
    places: Places,
    scans: Vec<Scan<C>>,
    pending: VecDeque<Step<C>>,
    cancelled: bool,
    /// How many scans were revealed when the trip took its latest instruction: one per
    /// failed attempt, so a second waits for the next failure.
    instructed: Option<usize>,
}

impl<C: Copy> Trip<C> {
    /// Reveals the next step at `now`, if any is left.
    pub fn advance(&mut self, now: DateTime<Utc>) -> Option<&Scan<C>> {
        let step = self.pending.pop_front()?;
        let time = self.next_time(now);
        self.scans.push(Scan { step, time });
        self.scans.last()
    }

    /// Scan times strictly increase at the carrier's precision, even for calls within
    /// the same tick, so event order never rests on a tie.
    fn next_time(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let digits = self.journey.time_digits.min(9);
        let now = now.trunc_subsecs(digits);
        let tick = Duration::nanoseconds(10_i64.pow(9 - u32::from(digits)));
        match self.scans.last() {
            Some(last) if now <= last.time => last.time + tick,
            _ => now,
        }
    }

    /// Cancels the trip: before pickup it ends with the journey's cancelled steps, after
    /// pickup it goes back to the origin. Cancelling again changes nothing, like the
    /// carriers' own APIs.
    pub fn cancel(&mut self) -> Result<(), TooLate> {
        if self.cancelled {
            return Ok(());
        }
        if [Mark::Delivered, Mark::Returning, Mark::Lost]
            .iter()
            .any(|m| self.reached(*m))
        {
            return Err(TooLate);
        }
        let rest = if self.reached(Mark::PickedUp) {
            self.journey.returned
        } else {
            self.journey.cancelled
        };
        self.pending = rest.iter().copied().collect();
        self.cancelled = true;
        Ok(())
    }

    /// Whether the latest scan shown is a failed delivery attempt that has had no
    /// instruction yet (and the trip is not cancelled). `unseen` is how many revealed
    /// scans no answer has shown yet: a carrier that reveals after answering
    /// ([`super::sandbox::Reveal::After`]) is one ahead of what its client saw.
    pub fn awaits_instruction(&self, unseen: usize) -> bool {
        let shown = self.scans.len().saturating_sub(unseen);
        let latest = shown.checked_sub(1).map(|i| self.scans[i].step.mark);
        latest == Some(Mark::Undelivered) && !self.cancelled && self.instructed != Some(shown)
    }

    /// Takes the seller's instruction after a failed attempt: the steps still to come,
    /// and the `unseen` scans revealed but not yet shown, are replaced by the journey's
    /// for it (an unseen scan keeps its time), so the following track calls show them.
    pub fn instruct(&mut self, instruction: Instruction, unseen: usize) -> Result<(), NotAwaiting> {
        if !self.awaits_instruction(unseen) {
            return Err(NotAwaiting);
        }
        let steps = match instruction {
            Instruction::Redeliver => self.journey.redelivered,
            Instruction::Return => self.journey.rto,
        };
        let mut rest: VecDeque<Step<C>> = steps.iter().copied().collect();
        let shown = self.scans.len() - unseen;
        for Scan { time, .. } in self.scans.split_off(shown) {
            let Some(step) = rest.pop_front() else { break };
            self.scans.push(Scan { step, time });
        }
        self.pending = rest;
        self.instructed = Some(shown);
        Ok(())
    }

    /// A collection that failed: `steps` (the carrier's "not picked" scans) are shown
    /// next, then the trip goes on as planned (the carrier comes again). Only for a trip
    /// not yet picked up (revealed or not) and not cancelled; whether it applied.
    pub fn pickup_failed(&mut self, steps: &'static [Step<C>]) -> bool {
        if self.cancelled || self.reached(Mark::PickedUp) {
            return false;
        }
        for step in steps.iter().rev() {
            self.pending.push_front(*step);
        }
        true
    }

    pub fn scans(&self) -> &[Scan<C>] {
        &self.scans
    }

    pub fn last(&self) -> Option<&Scan<C>> {
        self.scans.last()
    }

    /// The first revealed scan with `mark`.
    pub fn first(&self, mark: Mark) -> Option<&Scan<C>> {
        self.scans.iter().find(|s| s.step.mark == mark)
    }

    pub fn reached(&self, mark: Mark) -> bool {
        self.first(mark).is_some()
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled
    }

    pub fn location(&self, place: Place) -> &str {
        match place {
            Place::Origin => &self.places.origin,
            Place::Transit => &self.places.transit,
            Place::Destination => &self.places.destination,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Place::{Destination, Origin, Transit};

    const FORWARD: [Step<&str>; 5] = [
        step("booked", Origin),
        step("picked", Origin).marked(Mark::PickedUp),
        step("hub", Transit),
        step("out", Destination),
        step("delivered", Destination).marked(Mark::Delivered),
    ];
    const ATTEMPT: [Step<&str>; 2] = [
        step("failed", Destination).marked(Mark::Undelivered),
        step("out", Destination),
    ];
    const REDELIVERED: [Step<&str>; 2] = [
        step("out-again", Destination),
        step("delivered", Destination).marked(Mark::Delivered),
    ];
    const RETURN: [Step<&str>; 2] = [
        step("rto", Destination).marked(Mark::Returning),
        step("rto-delivered", Origin).marked(Mark::Returning),
    ];
    const LOST: [Step<&str>; 1] = [step("lost", Transit).marked(Mark::Lost)];
    const MISROUTE: [Step<&str>; 2] = [step("misrouted", Transit), step("hub", Transit)];
    const CANCELLED: [Step<&str>; 1] = [step("cancelled", Origin)];

    static JOURNEY: Journey<&str> = Journey {
        forward: &FORWARD,
        cancelled: &CANCELLED,
        returned: &RETURN,
        redelivered: &REDELIVERED,
        rto: &RETURN,
        detours: &[
            (Pins::EndingWith("99"), &[Detour::attempts(&ATTEMPT, 1)]),
            (
                Pins::EndingWith("98"),
                &[Detour::attempts(&ATTEMPT, 2), Detour::returned(&RETURN)],
            ),
            (Pins::EndingWith("97"), &[Detour::lost(&LOST)]),
            (Pins::EndingWith("96"), &[Detour::misrouted(&MISROUTE)]),
        ],
        time_digits: 3,
    };

    static ONE_WAY: Journey<&str> = Journey::one_way(&FORWARD, &REDELIVERED);

    #[test]
    fn a_one_way_journey_has_no_way_back_and_no_detours() {
        assert_eq!(ONE_WAY.forward.len(), FORWARD.len());
        assert_eq!(ONE_WAY.redelivered.len(), REDELIVERED.len());
        assert!(ONE_WAY.cancelled.is_empty() && ONE_WAY.returned.is_empty());
        assert!(ONE_WAY.rto.is_empty() && ONE_WAY.detours.is_empty());
        assert_eq!(ONE_WAY.time_digits, 0);
        let mut trip = ONE_WAY.trip("560198", Places::default());
        let mut seen = 0;
        while trip.advance(now()).is_some() {
            seen += 1;
        }
        assert_eq!(seen, FORWARD.len(), "no pincode detours");
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-01T10:00:00.123456Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    /// Every code the trip reveals, tracked to its end.
    fn codes(pin: &str) -> Vec<&'static str> {
        let mut trip = JOURNEY.trip(pin, Places::default());
        while trip.advance(now()).is_some() {}
        trip.scans().iter().map(|s| s.step.code).collect()
    }

    /// The same journey with its detours from the shared pincode rules.
    static RULED: Journey<&str> = Journey {
        forward: &FORWARD,
        cancelled: &CANCELLED,
        returned: &RETURN,
        redelivered: &REDELIVERED,
        rto: &RETURN,
        detours: crate::simulator::rules::rule_detours! {
            attempt: &ATTEMPT,
            refused: &ATTEMPT,
            rto: &RETURN,
            lost: &LOST,
            misrouted: &MISROUTE,
        },
        time_digits: 3,
    };

    #[test]
    fn the_rule_detours_are_the_pincode_rules() {
        for pin in ["560001", "560199", "560198", "560197", "560196"] {
            let mut trip = RULED.trip(pin, Places::default());
            while trip.advance(now()).is_some() {}
            let ruled: Vec<_> = trip.scans().iter().map(|s| s.step.code).collect();
            assert_eq!(ruled, codes(pin), "{pin}");
        }
    }

    #[test]
    fn a_plain_trip_is_the_forward_journey() {
        assert_eq!(
            codes("560001"),
            ["booked", "picked", "hub", "out", "delivered"]
        );
    }

    #[test]
    fn detours_are_chosen_by_the_destination_pincode() {
        let ndr = [
            "booked",
            "picked",
            "hub",
            "out",
            "failed",
            "out",
            "delivered",
        ];
        assert_eq!(codes("560199"), ndr);
        let rto = [
            "booked",
            "picked",
            "hub",
            "out",
            "failed",
            "out",
            "failed",
            "out",
            "rto",
            "rto-delivered",
        ];
        assert_eq!(codes("560198"), rto);
        assert_eq!(codes("560197"), ["booked", "picked", "hub", "lost"]);
        let misrouted = [
            "booked",
            "picked",
            "hub",
            "misrouted",
            "hub",
            "out",
            "delivered",
        ];
        assert_eq!(codes("560196"), misrouted);
    }

    #[test]
    fn one_step_per_advance_with_strictly_increasing_times() {
        let mut trip = JOURNEY.trip("560001", Places::default());
        let first = trip.advance(now()).unwrap().time;
        assert_eq!(
            first.timestamp_subsec_micros(),
            123_000,
            "milliseconds kept"
        );
        let second = trip.advance(now()).unwrap().time;
        assert_eq!(
            second - first,
            Duration::milliseconds(1),
            "a tie moves on a tick"
        );
        assert_eq!(trip.scans().len(), 2);
    }

    #[test]
    fn cancel_before_pickup_cancels_and_after_pickup_returns() {
        let mut trip = JOURNEY.trip("560001", Places::default());
        trip.advance(now());
        trip.cancel().unwrap();
        trip.advance(now());
        assert_eq!(trip.last().unwrap().step.code, "cancelled");
        assert!(trip.advance(now()).is_none(), "a cancelled trip ends there");

        let mut trip = JOURNEY.trip("560001", Places::default());
        trip.advance(now());
        trip.advance(now());
        trip.cancel().unwrap();
        assert_eq!(trip.cancel(), Ok(()), "cancelling again changes nothing");
        while trip.advance(now()).is_some() {}
        let codes: Vec<_> = trip.scans().iter().map(|s| s.step.code).collect();
        assert_eq!(codes, ["booked", "picked", "rto", "rto-delivered"]);
        assert!(trip.is_cancelled());
    }

    #[test]
    fn no_cancel_once_delivered_returning_or_lost() {
        for pin in ["560001", "560197"] {
            let mut trip = JOURNEY.trip(pin, Places::default());
            while trip.advance(now()).is_some() {}
            assert_eq!(trip.cancel(), Err(TooLate), "{pin}");
        }
        let mut trip = JOURNEY.trip("560198", Places::default());
        while trip.last().is_none_or(|s| s.step.code != "rto") {
            trip.advance(now());
        }
        assert_eq!(trip.cancel(), Err(TooLate));
    }

    #[test]
    fn places_are_named_per_trip() {
        let facility = Places::facility;
        let (origin, destination) = (
            facility("Delhi", "Hub", "Delhi"),
            facility("Pune", "DC", ""),
        );
        let places = Places::new(&origin, "Nagpur_Hub", &destination);
        assert_eq!(places.transit, "Nagpur_Hub");
        let trip = JOURNEY.trip("560001", places);
        assert_eq!(trip.location(Place::Origin), "Delhi_Hub (Delhi)");
        assert_eq!(trip.location(Place::Transit), "Nagpur_Hub");
        assert_eq!(trip.location(Place::Destination), "Pune_DC");
    }

    /// Tracks `trip` until its latest scan is `code`; how many scans that took.
    fn until(trip: &mut Trip<&'static str>, code: &str) -> usize {
        let mut n = 0;
        while trip.last().is_none_or(|s| s.step.code != code) {
            assert!(trip.advance(now()).is_some(), "never reached {code}");
            n += 1;
        }
        n
    }

    fn rest(trip: &mut Trip<&'static str>) -> Vec<&'static str> {
        let from = trip.scans().len();
        while trip.advance(now()).is_some() {}
        trip.scans()[from..].iter().map(|s| s.step.code).collect()
    }

    #[test]
    fn an_instruction_after_a_failed_attempt_replaces_the_rest() {
        let mut trip = JOURNEY.trip("560199", Places::default());
        until(&mut trip, "failed");
        assert!(trip.awaits_instruction(0));
        trip.instruct(Instruction::Redeliver, 0).unwrap();
        assert_eq!(
            trip.instruct(Instruction::Return, 0),
            Err(NotAwaiting),
            "one each"
        );
        assert_eq!(rest(&mut trip), ["out-again", "delivered"]);

        let mut trip = JOURNEY.trip("560198", Places::default());
        until(&mut trip, "failed");
        trip.instruct(Instruction::Return, 0).unwrap();
        assert_eq!(rest(&mut trip), ["rto", "rto-delivered"]);
    }

    #[test]
    fn each_failed_attempt_takes_its_own_instruction() {
        let mut trip = JOURNEY.trip("560198", Places::default());
        until(&mut trip, "failed");
        trip.advance(now());
        assert!(!trip.awaits_instruction(0), "out for delivery again");
        assert_eq!(trip.instruct(Instruction::Return, 0), Err(NotAwaiting));
        until(&mut trip, "failed");
        trip.instruct(Instruction::Return, 0).unwrap();
        assert_eq!(rest(&mut trip), ["rto", "rto-delivered"]);
    }

    #[test]
    fn no_instruction_without_a_failed_attempt_awaiting_one() {
        let mut trip = JOURNEY.trip("560001", Places::default());
        assert_eq!(trip.instruct(Instruction::Redeliver, 0), Err(NotAwaiting));
        while trip.advance(now()).is_some() {}
        assert_eq!(trip.instruct(Instruction::Redeliver, 0), Err(NotAwaiting));

        let mut trip = JOURNEY.trip("560199", Places::default());
        until(&mut trip, "failed");
        trip.cancel().unwrap();
        assert_eq!(trip.instruct(Instruction::Redeliver, 0), Err(NotAwaiting));
    }

    #[test]
    fn a_failed_pickup_shows_next_and_only_before_pickup() {
        const NOT_PICKED: [Step<&str>; 1] = [step("not-picked", Origin)];
        let mut trip = JOURNEY.trip("560001", Places::default());
        trip.advance(now());
        assert!(trip.pickup_failed(&NOT_PICKED));
        assert_eq!(
            rest(&mut trip),
            ["not-picked", "picked", "hub", "out", "delivered"]
        );
        assert!(!trip.pickup_failed(&NOT_PICKED), "picked up already");
        let mut trip = JOURNEY.trip("560001", Places::default());
        trip.cancel().unwrap();
        assert!(!trip.pickup_failed(&NOT_PICKED), "cancelled");
    }

    #[test]
    fn a_scan_revealed_but_not_yet_shown_is_replaced_by_the_instruction() {
        let mut trip = JOURNEY.trip("560199", Places::default());
        until(&mut trip, "failed");
        trip.advance(now()); // revealed, not yet shown: out for delivery again
        assert!(!trip.awaits_instruction(0));
        assert!(trip.awaits_instruction(1));
        let unseen_at = trip.last().unwrap().time;
        trip.instruct(Instruction::Return, 1).unwrap();
        let last = trip.last().unwrap();
        assert_eq!((last.step.code, last.time), ("rto", unseen_at));
        assert_eq!(rest(&mut trip), ["rto-delivered"]);
    }
}
