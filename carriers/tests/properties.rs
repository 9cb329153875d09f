//! Property tests for the arithmetic and rules every quote and every status rests on:
//! money, weights, rate-card zones and charges, and the tracking status fold.
//!
//! Example-based tests pin the documented numbers; these check the rules hold for every
//! input proptest can think of (and shrink a failure to its smallest case), which is
//! where overflows, rounding drift and order-dependence hide. Case counts stay at
//! proptest's default or below so the file runs in a few seconds.

use carriers::delhivery::chargeable_weight_g;
use carriers::kit::units::{self, kg_text};
use carriers::ratecard::{Location, PriceError, RateCard, Zone, india, price, zone};
use carriers::schema::{
    Currency, Money, Parcel, ParcelInput, RateRequest, RateRequestInput, TrackingEvent, Violations,
    status_of,
};
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

fn try_rate_request(
    parcels: Vec<serde_json::Value>,
) -> Result<RateRequest, Vec<carriers::schema::FieldError>> {
    let input: RateRequestInput = serde_json::from_value(serde_json::json!({
        "from": address("560001"), "to": address("110001"),
        "parcels": parcels, "payment": { "mode": "prepaid" },
    }))
    .expect("a rate request input");
    RateRequest::parse(&input)
}

fn rate_request(parcels: Vec<serde_json::Value>) -> RateRequest {
    try_rate_request(parcels).expect("a valid rate request")
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

    /// Declared values of up to 50 parcels, each up to the cap, add up exactly when their
    /// total is within the cap too, and are refused at `/parcels` (never wrapped) when not.
    #[test]
    fn declared_values_sum_exactly_or_are_refused(
        values in prop::collection::vec(
            prop_oneof![0i64..=Money::MAX_AMOUNT, 0i64..=Money::MAX_AMOUNT / 50],
            1..=50,
        )
    ) {
        let parcels = values.iter().map(|v| parcel_json(100, None, Some(*v))).collect();
        let total: i128 = values.iter().map(|v| i128::from(*v)).sum();
        match try_rate_request(parcels) {
            Ok(req) => {
                prop_assert!(total <= i128::from(Money::MAX_AMOUNT));
                let sr = carriers::shiprocket::wire::ShiprocketServiceabilityRequest::try_from(&req)
                    .expect("a domestic request");
                prop_assert_eq!(sr.declared_value.map(|m| i128::from(m.amount)), Some(total));
            }
            Err(errors) => {
                prop_assert!(total > i128::from(Money::MAX_AMOUNT));
                prop_assert_eq!(errors.len(), 1);
                prop_assert_eq!(
                    (errors[0].pointer.as_str(), errors[0].code.as_str()),
                    ("/parcels", "too_large")
                );
            }
        }
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
        let cm = units::whole_cm(mm);
        prop_assert!(u64::from(cm) * 10 >= u64::from(mm));
        prop_assert!(cm == 1 || u64::from(cm - 1) * 10 < u64::from(mm));
    }

    /// Out to imperial units rounds up, by less than one step, and what comes back in
    /// is never less than what went out (to the gram, the millimetre).
    #[test]
    fn imperial_rounds_up_by_less_than_a_step(grams in 0u32..=100_000_000, mm in 0u32..=10_000_000, decimals in 0u8..=2) {
        let step = 10f64.powi(-i32::from(decimals));
        let pounds = units::lb(grams, decimals);
        prop_assert!(pounds * 453.592_37 >= f64::from(grams) - 1e-6, "{grams} g -> {pounds} lb");
        prop_assert!((pounds - step) * 453.592_37 < f64::from(grams), "{grams} g -> {pounds} lb");
        prop_assert!(units::grams_from_lb(pounds).unwrap() >= grams);
        let inches = units::inches(mm, decimals);
        prop_assert!(inches * 25.4 >= f64::from(mm) - 1e-6, "{mm} mm -> {inches} in");
        prop_assert!((inches - step) * 25.4 < f64::from(mm), "{mm} mm -> {inches} in");
        prop_assert!(units::mm_from_in(inches).unwrap() >= mm);
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

    /// Heavier never costs less, on any card, lane and payment: and if the lighter
    /// parcel's quote is over the cap, so is the heavier one's.
    #[test]
    fn charges_are_monotone_in_weight(
        p in card_params(), from in location(), to in location(),
        w1 in 1u32..=1_000_000, w2 in 1u32..=1_000_000, d in dims(),
        cod in proptest::option::of(1i64..=Money::MAX_AMOUNT),
    ) {
        let card = card(&p);
        let (light, heavy) = (w1.min(w2), w1.max(w2));
        let cod = cod.map(inr);
        let a = price(&card, &from, &to, &[one_parcel(light, d)], cod.as_ref());
        let b = price(&card, &from, &to, &[one_parcel(heavy, d)], cod.as_ref());
        match (a, b) {
            (Ok(a), Ok(b)) => {
                prop_assert!(a.total <= b.total, "{a:?} vs {b:?}");
                prop_assert!(a.freight <= b.freight);
            }
            (Ok(_), Err(e)) => prop_assert_eq!(e.code(), "amount_out_of_range"),
            (Err(a), b) => {
                prop_assert_eq!(a.code(), "amount_out_of_range");
                prop_assert!(matches!(b, Err(PriceError::AmountOutOfRange { .. })), "{b:?}");
            }
        }
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
        let parcels = std::slice::from_ref(&parcel);
        let pricing = match price(&card, &from, &to, parcels, cod.map(inr).as_ref()) {
            Ok(pricing) => pricing,
            Err(e) => {
                // Only a quote over the cap is refused, as the model below says.
                prop_assert_eq!(Err(e), model(&card, &from, &to, parcels, cod).map(|_| ()));
                return Ok(());
            }
        };
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

    /// Any shipment validation lets through (up to 50 parcels of up to 5 m cubes, COD up
    /// to the cap) on any card: the quote is exactly what 128-bit arithmetic gives, with
    /// every line and the total within `Money::MAX_AMOUNT`, or it is refused with
    /// `amount_out_of_range` naming the first line over it. Never a wrapped figure, and
    /// never the catch-all overflow.
    #[test]
    fn quotes_are_exact_within_the_cap_or_refused(
        p in card_params(), from in location(), to in location(),
        parcels in prop::collection::vec((1u32..=1_000_000, dims()), 1..=50),
        cod in proptest::option::of(prop_oneof![
            1i64..=Money::MAX_AMOUNT,
            Money::MAX_AMOUNT - 1_000_000..=Money::MAX_AMOUNT,
        ]),
        slab_g in prop_oneof![Just(1u32), 1u32..=5_000],
    ) {
        let mut p = p;
        p.additional_slab_g = slab_g;
        let card = card(&p);
        let parcels: Vec<_> = parcels.iter().map(|(w, d)| one_parcel(*w, *d)).collect();
        let got = price(&card, &from, &to, &parcels, cod.map(inr).as_ref());
        let expected = model(&card, &from, &to, &parcels, cod);
        match (&got, &expected) {
            (Ok(pricing), Ok(total)) => {
                prop_assert_eq!(i128::from(pricing.total), *total);
                let quote = pricing.clone().into_quote(&card, "acct");
                for charge in &quote.breakdown {
                    prop_assert!(charge.amount.amount.unsigned_abs() <= Money::MAX_AMOUNT as u64);
                }
                let lines: i64 = quote.breakdown.iter().map(|c| c.amount.amount).sum();
                prop_assert_eq!(lines, quote.total.amount);
                prop_assert!(quote.total.amount <= Money::MAX_AMOUNT);
            }
            (Err(e), Err(model_error)) => {
                prop_assert_eq!(e, model_error);
                prop_assert_eq!(e.code(), "amount_out_of_range");
            }
            _ => prop_assert!(false, "got {got:?}, the model says {expected:?}"),
        }
    }
}

/// The rate-card rules in 128-bit arithmetic, checked against the cap line by line in the
/// order they are priced: the total, or the first line over `Money::MAX_AMOUNT`.
fn model(
    card: &RateCard,
    from: &Location,
    to: &Location,
    parcels: &[Parcel],
    cod: Option<i64>,
) -> Result<i128, PriceError> {
    let percent = |bp: u32, base: i128| (base * i128::from(bp) + 5_000) / 10_000;
    let cap = i128::from(Money::MAX_AMOUNT);
    let check = |line: &'static str, amount: i128| {
        if amount > cap {
            Err(PriceError::AmountOutOfRange { line, amount })
        } else {
            Ok(amount)
        }
    };
    let rate = card.zones[&zone::decide(from, to).zone];
    let chargeable: i128 = parcels
        .iter()
        .map(|p| {
            let volumetric = p
                .volume_mm3()
                .map_or(0, |v| v.div_ceil(u64::from(card.volumetric_divisor)));
            i128::from(u64::from(p.weight_g).max(volumetric))
        })
        .sum();
    let slab = i128::from(card.additional_slab_g);
    let slabs = (chargeable - i128::from(card.first_slab_g)).max(0);
    let slabs = (slabs + slab - 1) / slab;
    let freight = check(
        "freight",
        i128::from(rate.first_slab) + slabs * i128::from(rate.additional_slab),
    )?;
    let fuel = check(
        "fuel surcharge",
        percent(card.fuel_surcharge_percent.basis_points(), freight),
    )?;
    let cod_charge = match (cod, card.cod) {
        (Some(collected), Some(charge)) => check(
            "COD charge",
            percent(charge.percent.basis_points(), i128::from(collected))
                .max(i128::from(charge.minimum)),
        )?,
        _ => 0,
    };
    let taxable = check("taxable amount", freight + fuel + cod_charge)?;
    let gst = check("GST", percent(card.gst_percent.basis_points(), taxable))?;
    check("total", taxable + gst)
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

// ---------------------------------------------------------------------------------------
// Request decoding

/// One field of a shipment request body: its pointer, a value of the right type and one
/// of the wrong type.
fn decode_slots(
    parcels: usize,
    tags: usize,
) -> Vec<(String, serde_json::Value, serde_json::Value)> {
    use serde_json::json;
    let mut slots = vec![
        ("/order_ref".to_string(), json!("ORD-1"), json!(17)),
        ("/carrier".into(), json!("delhivery"), json!(true)),
        ("/from/name".into(), json!("Acme"), json!(["Acme"])),
        ("/from/city".into(), json!("Pune"), json!({"name": "Pune"})),
        ("/to/postal_code".into(), json!("560001"), json!(560001)),
        ("/payment/mode".into(), json!("prepaid"), json!(0)),
    ];
    for i in 0..parcels {
        slots.push((format!("/parcels/{i}/weight_g"), json!(500), json!("500")));
        slots.push((format!("/parcels/{i}/length_mm"), json!(100), json!([100])));
        // Inside a required field's object: taken out, it is not reported missing too.
        slots.push((
            format!("/parcels/{i}/declared_value/amount"),
            json!(49900),
            json!("499.00"),
        ));
    }
    for i in 0..tags {
        slots.push((format!("/tags/{i}"), json!("fragile"), json!(5)));
    }
    slots
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Any subset of a body's fields given the wrong type is reported exactly: one error
    /// per wrong field, at its pointer as sent (array indices included), nothing else.
    #[test]
    fn every_wrong_type_is_reported_at_its_pointer(
        (parcels, tags, wrong) in (1usize..=4, 0usize..=4).prop_flat_map(|(p, t)| {
            (Just(p), Just(t), prop::collection::vec(any::<bool>(), decode_slots(p, t).len()))
        })
    ) {
        let mut body = serde_json::json!({
            "from": {"phone": "9876543210"}, "to": {"name": "Asha"}, "payment": {},
            "parcels": vec![serde_json::json!({"declared_value": {"currency": "INR"}}); parcels],
            "tags": vec!["x"; tags],
        });
        let mut expected = std::collections::BTreeSet::new();
        for ((pointer, good, bad), wrong) in decode_slots(parcels, tags).into_iter().zip(wrong) {
            let (parent, key) = pointer.rsplit_once('/').unwrap();
            let value = if wrong {
                expected.insert(pointer.clone());
                bad
            } else {
                good
            };
            match body.pointer_mut(parent).unwrap() {
                serde_json::Value::Object(map) => {
                    map.insert(key.to_string(), value);
                }
                serde_json::Value::Array(items) => items[key.parse::<usize>().unwrap()] = value,
                other => panic!("{other}"),
            }
        }
        let text = body.to_string();
        match carriers::schema::decode::<carriers::schema::ShipmentRequestInput>(text.as_bytes()) {
            Ok(_) => prop_assert!(expected.is_empty(), "{text}"),
            Err(carriers::schema::DecodeError::Invalid(errors)) => {
                let got: std::collections::BTreeSet<_> =
                    errors.iter().map(|e| e.pointer.clone()).collect();
                prop_assert_eq!(got.len(), errors.len(), "{:?}", errors);
                prop_assert_eq!(got, expected, "{}", text);
            }
            Err(other) => prop_assert!(false, "{other:?}"),
        }
    }
}
