//! Invariants of parsed carrier and request data, asserted by the fuzz targets (a failed
//! assertion is a crash, and libFuzzer keeps its input).

use carriers::CarrierError;
use carriers::schema::{
    Currency, FieldError, Money, PushedUpdate, RateQuote, TrackingEvent, TrackingUpdate,
};
use carriers::taxonomy::{Status, SubStatus, Unified};

/// An event is inside the unified taxonomy, its flags follow from its sub-status, and
/// it survives the JSON the API and the outbound webhooks write.
pub fn event(e: &TrackingEvent) {
    assert_eq!(e.sub_status.status(), e.status, "{e:?}");
    let text = format!("{}/{}", e.status, e.sub_status);
    assert_eq!(
        text.parse::<Unified>().map(|u| u.sub_status),
        Ok(e.sub_status)
    );
    assert_eq!(e.status.as_str().parse::<Status>(), Ok(e.status));
    assert_eq!(e.sub_status.as_str().parse::<SubStatus>(), Ok(e.sub_status));
    assert_eq!(e.terminal, e.sub_status.is_terminal(), "{e:?}");
    assert_eq!(e.action_required, e.sub_status.action_required(), "{e:?}");
    assert_eq!(
        e.ndr_reason.is_some(),
        e.status == Status::DeliveryFailed,
        "{e:?}"
    );
    let json = serde_json::to_string(e).expect("an event serialises");
    let back: TrackingEvent = serde_json::from_str(&json).expect("an event reads back");
    assert_eq!(&back, e, "{json}");
}

/// Events of one shipment, oldest first.
pub fn events(events: &[TrackingEvent]) {
    events.iter().for_each(event);
    assert!(
        events
            .windows(2)
            .all(|w| w[0].event_time <= w[1].event_time),
        "events out of order: {events:?}"
    );
}

fn awb(awb: &str) {
    assert!(!awb.trim().is_empty(), "empty AWB");
}

pub fn tracking(update: &TrackingUpdate) {
    awb(&update.awb);
    events(&update.events);
}

pub fn pushes(pushed: &[PushedUpdate]) {
    assert!(!pushed.is_empty(), "a readable push carries something");
    for p in pushed {
        awb(&p.awb);
        events(&p.events);
        if let Some(reference) = &p.reference {
            assert!(!reference.trim().is_empty());
        }
    }
}

/// An amount within the cap, in a valid currency, that survives the decimal text
/// carriers are sent.
pub fn money(m: &Money) {
    assert!(
        m.amount.unsigned_abs() <= Money::MAX_AMOUNT.unsigned_abs(),
        "{m:?}"
    );
    assert!(Currency::parse(m.currency.as_str()).is_some(), "{m:?}");
    let text = m.to_major_string();
    assert_eq!(
        Money::from_major_str(&text, m.currency.clone()).as_ref(),
        Some(m),
        "{text}"
    );
}

pub fn quote(q: &RateQuote) {
    money(&q.total);
    for charge in &q.breakdown {
        money(&charge.amount);
        assert_eq!(charge.amount.currency, q.total.currency, "{q:?}");
    }
    assert!(!q.service.trim().is_empty(), "{q:?}");
}

/// A carrier error is one of the classes the gateway acts on; a refusal names a code.
pub fn error(e: &CarrierError) {
    assert!(!e.to_string().is_empty());
    if let CarrierError::Rejected { code, .. } = e {
        assert!(!code.trim().is_empty(), "a refusal without a code: {e:?}");
    }
}

thread_local! {
    /// Results read successfully on this thread: how [`crate::Parser::accepts`] tells
    /// which reader a payload is for.
    static READ: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many results this thread has read successfully so far.
pub fn read_so_far() -> usize {
    READ.with(std::cell::Cell::get)
}

pub fn result<T>(r: &Result<T, CarrierError>, ok: impl FnOnce(&T)) {
    match r {
        Ok(value) => {
            READ.with(|n| n.set(n.get() + 1));
            ok(value)
        }
        Err(e) => error(e),
    }
}

/// Field errors of a request: at least one, each with a code, and each pointing into the
/// document sent (the field itself, or the object that lacks it).
pub fn field_errors(document: Option<&serde_json::Value>, errors: &[FieldError]) {
    assert!(!errors.is_empty());
    for e in errors {
        assert!(!e.code.is_empty() && !e.detail.is_empty(), "{e:?}");
        assert!(
            e.pointer.is_empty() || e.pointer.starts_with('/'),
            "not a JSON pointer: {e:?}"
        );
        let Some(document) = document else { continue };
        let parent = e.pointer.rsplit_once('/').map_or("", |(parent, _)| parent);
        assert!(
            document.pointer(&e.pointer).is_some() || document.pointer(parent).is_some(),
            "{e:?} points outside {document}"
        );
    }
}

/// A push body read as its updates and as the single update of the older reader: the
/// events of a readable push.
pub fn push_events(
    pushes: &Result<Vec<PushedUpdate>, CarrierError>,
    one: &Result<TrackingUpdate, CarrierError>,
) -> Vec<TrackingEvent> {
    let mut events = Vec::new();
    result(pushes, |p| {
        self::pushes(p);
        events.extend(p.iter().flat_map(|u| u.events.iter().cloned()));
    });
    result(one, tracking);
    events
}
