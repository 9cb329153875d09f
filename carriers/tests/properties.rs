//! Property tests for the arithmetic and rules every quote and every status rests on:
//! money, weights, rate-card zones and charges, and the tracking status fold.
//!
//! Example-based tests pin the documented numbers; these check the rules hold for every
//! input proptest can think of (and shrink a failure to its smallest case), which is
//! where overflows, rounding drift and order-dependence hide. Case counts stay at
//! proptest's default or below so the file runs in a few seconds.

use carriers::delhivery::wire::chargeable_weight_g;
use carriers::ratecard::{Location, RateCard, Zone, india, price, zone};
use carriers::schema::{
    Currency, Money, Parcel, ParcelInput, RateRequest, RateRequestInput, TrackingEvent, Violations,
    status_of,
};
use carriers::shiprocket::wire::{kg_text, mm_to_cm};
use carriers::taxonomy::{Status, SubStatus, Unified, fold_status};
use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use strum::VariantArray;

fn inr(amount: i64) -> Money {
    Money::inr(amount)
}

fn within_cap() -> impl Strategy<Value = i64> {
    -Money::MAX_AMOUNT..=Money::MAX_AMOUNT
}

// ---------------------------------------------------------------------------------------
// Money

proptest! {
    #[test]
    fn money_text_round_trips(amount in within_cap()) {
        let m = inr(amount);
        prop_assert_eq!(Money::from_major_str(&m.to_major_string(), Currency::inr()), Some(m));
    }

    #[test]
    fn money_text_rounds_the_third_decimal_half_up(
        int in 0i64..10_000_000_000_000,
        d1 in 0i64..10, d2 in 0i64..10, d3 in 0i64..10,
        rest in "[0-9]{0,6}",
    ) {
        let text = format!("{int}.{d1}{d2}{d3}{rest}");
        let expected = int * 100 + d1 * 10 + d2 + i64::from(d3 >= 5);
        prop_assert_eq!(
            Money::from_major_str(&text, Currency::inr()).map(|m| m.amount),
            (expected <= Money::MAX_AMOUNT).then_some(expected)
        );
    }

    /// Whatever a carrier writes, reading it never panics or overflows, and what is read is
    /// within the cap.
    #[test]
    fn any_money_text_reads_within_the_cap(text in "[-0-9.,]{0,30}|\\PC{0,40}") {
        if let Some(m) = Money::from_major_str(&text, Currency::inr()) {
            prop_assert!(m.amount.abs() <= Money::MAX_AMOUNT, "{text} -> {m:?}");
        }
    }

    #[test]
    fn any_float_reads_within_the_cap_or_not_at_all(value in any::<f64>()) {
        if let Some(m) = Money::from_major_f64(value, Currency::inr()) {
            prop_assert!(m.amount.abs() <= Money::MAX_AMOUNT, "{value} -> {m:?}");
        }
    }

    #[test]
    fn floats_of_exact_amounts_read_exactly(amount in -1_000_000_000_000i64..=1_000_000_000_000) {
        let value = amount as f64 / 100.0;
        prop_assert_eq!(Money::from_major_f64(value, Currency::inr()), Some(inr(amount)));
    }

    /// A request amount is refused over the cap at its own pointer, accepted up to it.
    #[test]
    fn request_amounts_are_capped(amount in 0i64..=i64::MAX) {
        let input = ParcelInput {
            weight_g: Some(500),
            declared_value: Some(inr(amount)),
            ..ParcelInput::default()
        };
        let mut v = Violations::default();
        let parsed = Parcel::parse(&input, "/parcels/3", &mut v);
        let errors = v.into_vec();
        if amount <= Money::MAX_AMOUNT {
            prop_assert!(parsed.is_some() && errors.is_empty(), "{errors:?}");
        } else {
            prop_assert!(parsed.is_none());
            prop_assert_eq!(errors.len(), 1);
            prop_assert_eq!(errors[0].pointer.as_str(), "/parcels/3/declared_value/amount");
            prop_assert_eq!(errors[0].code.as_str(), "too_large");
        }
    }
}

/// Regression: 19 nines overflowed `int * 100 + 99` (a panic in debug builds).
#[test]
fn huge_money_text_is_refused_not_overflowed() {
    for text in [
        "92233720368547758.99",
        "92233720368547758",
        "9223372036854775807",
        "99999999999999999999",
        "-92233720368547758.07",
    ] {
        assert_eq!(Money::from_major_str(text, Currency::inr()), None, "{text}");
    }
}

/// Regression: `as i64` saturated huge floats to `i64::MAX` paise instead of refusing them.
#[test]
fn huge_floats_are_refused_not_saturated() {
    for value in [1e17, -1e17, 1e300, f64::MAX] {
        assert_eq!(
            Money::from_major_f64(value, Currency::inr()),
            None,
            "{value}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Weight and units

fn address(pin: &str) -> serde_json::Value {
    serde_json::json!({
        "name": "Asha Rao", "phone": "9876543210", "line1": "12 MG Road",
        "city": "Somewhere", "state": "Somewhere", "postal_code": pin,
    })
}

fn parcel_json(
    weight_g: u32,
    dims: Option<(u32, u32, u32)>,
    declared: Option<i64>,
) -> serde_json::Value {
    let mut p = serde_json::json!({ "weight_g": weight_g });
    if let Some((l, w, h)) = dims {
        p["length_mm"] = l.into();
        p["width_mm"] = w.into();
        p["height_mm"] = h.into();
    }
    if let Some(amount) = declared {
        p["declared_value"] = serde_json::json!({ "amount": amount, "currency": "INR" });
    }
    p
}

fn rate_request(parcels: Vec<serde_json::Value>) -> RateRequest {
    let input: RateRequestInput = serde_json::from_value(serde_json::json!({
        "from": address("560001"), "to": address("110001"),
        "parcels": parcels, "payment": { "mode": "prepaid" },
    }))
    .expect("a rate request input");
    RateRequest::parse(&input).expect("a valid rate request")
}

fn dims() -> impl Strategy<Value = Option<(u32, u32, u32)>> {
    proptest::option::of((1u32..=5_000, 1u32..=5_000, 1u32..=5_000))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Chargeable weight is per parcel the larger of dead and volumetric, summed.
    #[test]
    fn chargeable_weight_is_the_larger_per_parcel(
        parcels in prop::collection::vec((1u32..=1_000_000, dims()), 1..=50)
    ) {
        let req = rate_request(parcels.iter().map(|(w, d)| parcel_json(*w, *d, None)).collect());
        let expected: u64 = parcels
            .iter()
            .map(|(w, d)| {
                let volumetric = d.map_or(0, |(l, wd, h)| u64::from(l) * u64::from(wd) * u64::from(h) / 5000);
                u64::from(*w).max(volumetric)
            })
            .sum();
        let chargeable = chargeable_weight_g(&req);
        prop_assert_eq!(chargeable, expected);
        prop_assert!(chargeable >= req.parcels.iter().map(|p| u64::from(p.weight_g)).sum::<u64>());
    }

    /// Declared values of up to 50 parcels, each at the cap, sum without overflow.
    #[test]
    fn declared_values_at_the_cap_sum_without_overflow(
        values in prop::collection::vec(0i64..=Money::MAX_AMOUNT, 1..=50)
    ) {
        let req = rate_request(values.iter().map(|v| parcel_json(100, None, Some(*v))).collect());
        let sr = carriers::shiprocket::wire::ShiprocketServiceabilityRequest::try_from(&req)
            .expect("a domestic request");
        prop_assert_eq!(sr.declared_value.map(|m| m.amount), Some(values.iter().sum::<i64>()));
    }
}

proptest! {
    #[test]
    fn kilogram_text_is_exact(grams in any::<u32>()) {
        let text = kg_text(grams);
        let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
        prop_assert!(frac.len() <= 3 && !frac.ends_with('0'), "{text}");
        let back = int.parse::<u64>().unwrap() * 1000 + format!("{frac:0<3}").parse::<u64>().unwrap();
        prop_assert_eq!(back, u64::from(grams));
    }

    /// Centimetres round up, never down: an under-declared side is billed as a discrepancy.
    #[test]
    fn centimetres_round_up(mm in 0u32..=u32::MAX - 9) {
        let cm = mm_to_cm(mm);
        prop_assert!(u64::from(cm) * 10 >= u64::from(mm));
        prop_assert!(cm == 1 || u64::from(cm - 1) * 10 < u64::from(mm));
    }
}

// ---------------------------------------------------------------------------------------
// Rate cards: zones and charges

/// PIN codes across every zone rule: metros (several districts for Delhi and Mumbai),
/// non-metro cities, special regions, and a code with no district.
const PINS: &[&str] = &[
    "110001", "110075", "400001", "400053", "411001", "560001", "560095", "570001", "600001",
    "700001", "500001", "380001", "302001", "302017", "226001", "781001", "781005", "190001",
    "194101", "744101", "682001", "682555", "737101", "121999", "122001",
];

fn location() -> impl Strategy<Value = Location> {
    prop::sample::select(PINS).prop_map(|pin| india().lookup(pin).expect("a known PIN code"))
}

proptest! {
    #[test]
    fn zones_do_not_depend_on_direction(a in location(), b in location()) {
        prop_assert_eq!(zone::decide(&a, &b).zone, zone::decide(&b, &a).zone);
    }

    #[test]
    fn a_lane_within_one_place_is_never_priced_as_distant(a in location()) {
        let z = zone::decide(&a, &a).zone;
        prop_assert!(matches!(z, Zone::WithinCity | Zone::WithinState | Zone::Special), "{z}");
    }
}

#[derive(Debug, Clone)]
struct CardParams {
    divisor: u32,
    first_slab_g: u32,
    additional_slab_g: u32,
    first_price: i64,
    additional_price: i64,
    fuel_bp: u32,
    gst_bp: u32,
    cod_bp: u32,
    cod_minimum: i64,
}

fn card_params() -> impl Strategy<Value = CardParams> {
    (
        prop::sample::select(vec![4000u32, 5000, 6000]),
        1u32..=5_000,
        1u32..=5_000,
        0i64..=100_000_000,
        0i64..=100_000_000,
        0u32..=10_000,
        0u32..=10_000,
        0u32..=10_000,
        0i64..=100_000_000,
    )
        .prop_map(
            |(divisor, first, additional, fp, ap, fuel, gst, cod, min)| CardParams {
                divisor,
                first_slab_g: first,
                additional_slab_g: additional,
                first_price: fp,
                additional_price: ap,
                fuel_bp: fuel,
                gst_bp: gst,
                cod_bp: cod,
                cod_minimum: min,
            },
        )
}

fn percent_text(bp: u32) -> String {
    format!("{}.{:02}", bp / 100, bp % 100)
}

fn card(p: &CardParams) -> RateCard {
    let rate =
        serde_json::json!({ "first_slab": p.first_price, "additional_slab": p.additional_price });
    let zones: serde_json::Map<String, serde_json::Value> = Zone::ALL
        .iter()
        .map(|z| (z.as_str().to_string(), rate.clone()))
        .collect();
    let json = serde_json::json!({
        "name": "property card",
        "volumetric_divisor": p.divisor,
        "first_slab_g": p.first_slab_g,
        "additional_slab_g": p.additional_slab_g,
        "zones": zones,
        "cod": { "percent": percent_text(p.cod_bp), "minimum": p.cod_minimum },
        "fuel_surcharge_percent": percent_text(p.fuel_bp),
        "gst_percent": percent_text(p.gst_bp),
    });
    RateCard::from_json(&json.to_string()).expect("a valid card")
}

fn one_parcel(weight_g: u32, dims: Option<(u32, u32, u32)>) -> Parcel {
    Parcel {
        weight_g,
        length_mm: dims.map(|d| d.0),
        width_mm: dims.map(|d| d.1),
        height_mm: dims.map(|d| d.2),
        declared_value: None,
        description: None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Heavier never costs less, on any card, lane and payment.
    #[test]
    fn charges_are_monotone_in_weight(
        p in card_params(), from in location(), to in location(),
        w1 in 1u32..=1_000_000, w2 in 1u32..=1_000_000, d in dims(),
        cod in proptest::option::of(1i64..=Money::MAX_AMOUNT),
    ) {
        let card = card(&p);
        let (light, heavy) = (w1.min(w2), w1.max(w2));
        let cod = cod.map(inr);
        let a = price(&card, &from, &to, &[one_parcel(light, d)], cod.as_ref()).unwrap();
        let b = price(&card, &from, &to, &[one_parcel(heavy, d)], cod.as_ref()).unwrap();
        prop_assert!(a.total <= b.total, "{a:?} vs {b:?}");
        prop_assert!(a.freight <= b.freight);
    }

    /// The lines of a quote: chargeable = max(dead, volumetric), billed in whole slabs,
    /// COD the larger of its percentage and minimum, GST on top of everything else, and a
    /// breakdown that adds up to the total.
    #[test]
    fn a_quote_follows_the_card(
        p in card_params(), from in location(), to in location(),
        w in 1u32..=1_000_000, d in dims(),
        cod in proptest::option::of(1i64..=Money::MAX_AMOUNT),
    ) {
        let card = card(&p);
        let parcel = one_parcel(w, d);
        let pricing = price(&card, &from, &to, std::slice::from_ref(&parcel), cod.map(inr).as_ref()).unwrap();
        let weights = pricing.weights;
        let volumetric = parcel.volume_mm3().map_or(0, |v| v.div_ceil(u64::from(p.divisor)));
        prop_assert_eq!(weights.volumetric_g, volumetric);
        prop_assert_eq!(weights.chargeable_g, u64::from(w).max(volumetric));
        prop_assert!(weights.billed_g >= weights.chargeable_g);
        prop_assert!(
            weights.billed_g == u64::from(p.first_slab_g)
                || weights.billed_g - weights.chargeable_g < u64::from(p.additional_slab_g)
        );
        prop_assert_eq!(
            pricing.freight,
            p.first_price + weights.additional_slabs as i64 * p.additional_price
        );
        match (cod, pricing.cod) {
            (None, None) => {}
            (Some(collected), Some(line)) => {
                prop_assert_eq!(line.collected, collected);
                prop_assert!(line.amount >= p.cod_minimum && line.amount >= line.by_percent);
                prop_assert_eq!(line.amount, line.by_percent.max(p.cod_minimum));
            }
            other => prop_assert!(false, "COD line {other:?}"),
        }
        let taxable = pricing.freight + pricing.fuel_surcharge + pricing.cod.map_or(0, |c| c.amount);
        prop_assert_eq!(pricing.gst, card.gst_percent.of(taxable));
        prop_assert_eq!(pricing.total, taxable + pricing.gst);
        let quote = pricing.into_quote(&card, "acct");
        let lines: i64 = quote.breakdown.iter().map(|c| c.amount.amount).sum();
        prop_assert_eq!(lines, quote.total.amount);
    }
}

// ---------------------------------------------------------------------------------------
// Status ordering

fn sub_status() -> impl Strategy<Value = SubStatus> {
    prop::sample::select(SubStatus::VARIANTS)
}

fn event(sub: SubStatus, second: u32) -> TrackingEvent {
    TrackingEvent::new(
        Unified::new(sub),
        sub.as_str(),
        sub.as_str(),
        Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap()
            + chrono::Duration::seconds(i64::from(second)),
    )
}

/// A timeline with distinct event times, in event-time order.
fn timeline() -> impl Strategy<Value = Vec<TrackingEvent>> {
    prop::collection::vec(sub_status(), 1..20).prop_map(|subs| {
        subs.into_iter()
            .enumerate()
            .map(|(i, sub)| event(sub, i as u32 * 60))
            .collect()
    })
}

proptest! {
    /// Arrival order does not matter: a late, older event lands where its time puts it.
    #[test]
    fn the_status_does_not_depend_on_arrival_order(
        events in timeline(), seed in any::<u64>()
    ) {
        let mut arrived = events.clone();
        // A deterministic shuffle driven by the seed (proptest shrinks it too).
        let mut state = seed | 1;
        for i in (1..arrived.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            arrived.swap(i, (state % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(status_of(&arrived), status_of(&events));
    }

    /// Once terminal, a shipment stays there unless the RTO family takes it back, and the
    /// ends of the return leg hold against everything.
    #[test]
    fn terminal_states_hold_except_for_rto(events in timeline()) {
        let mut current: Option<Unified> = None;
        for e in &events {
            let next = fold_status(current, Unified::new(e.sub_status));
            if let Some(cur) = current.filter(|c| c.sub_status.is_terminal())
                && (cur.status == Status::Rto || e.status != Status::Rto)
            {
                prop_assert_eq!(next, Some(cur), "{:?} left by {:?}", cur, e.sub_status);
            }
            current = next;
        }
        prop_assert_eq!(status_of(&events), current);
    }

    /// An event shipgate could not map never replaces a known status.
    #[test]
    fn unknown_never_overrides_a_known_status(events in timeline(), unknown in prop::sample::select(vec![SubStatus::Unmapped, SubStatus::NotFound, SubStatus::Expired])) {
        let before = status_of(&events);
        let mut later = events.clone();
        later.push(event(unknown, 10_000));
        if before.is_some() {
            prop_assert_eq!(status_of(&later), before);
        }
    }

    /// The fold only ever lands on a status some event said (it invents nothing).
    #[test]
    fn the_status_is_one_an_event_said(events in timeline()) {
        let status = status_of(&events).expect("a non-empty timeline has a status");
        prop_assert!(events.iter().any(|e| e.sub_status == status.sub_status));
        prop_assert_eq!(status.status, status.sub_status.status());
    }
}
