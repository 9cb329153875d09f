//! Pricing a shipment from a rate card: pure arithmetic on integers, explained line by line.
//!
//! The rules, in order:
//!
//! 1. **Zone** from the two PIN codes ([`super::zone`]).
//! 2. **Chargeable weight**: for each parcel the larger of its dead weight and its
//!    volumetric weight, summed over the parcels. Volumetric grams are
//!    `length × width × height` (mm) / `volumetric_divisor`, rounded up to the gram —
//!    the usual cm³ / kg formula, since mm³ / 1000 = cm³ and kg × 1000 = g.
//! 3. **Billed weight and freight**: the first slab covers up to `first_slab_g`; every
//!    further `additional_slab_g` or part of one is another slab. Freight is the zone's
//!    `first_slab` price plus `ceil((chargeable − first_slab_g) / additional_slab_g)` ×
//!    its `additional_slab` price.
//! 4. **Fuel surcharge**: its percentage of freight (not of COD or tax).
//! 5. **COD charge** (cash-on-delivery only): the larger of its percentage of the amount
//!    collected and its minimum.
//! 6. **GST**: its percentage of freight + fuel surcharge + COD charge.
//!
//! Rounding: each percentage line is rounded on its own to the nearest minor unit (paisa),
//! halves up, and the total is the sum of the rounded lines, so a breakdown always adds
//! up to its total. Intermediate products are 128-bit and checked, so nothing overflows
//! silently; a line or total over [`Money::MAX_AMOUNT`] — the most shipgate reads or
//! writes as an amount anywhere — fails the quote ([`PriceError::AmountOutOfRange`])
//! rather than quoting a figure no client (or JSON number) holds exactly.

use std::fmt::{self, Write as _};

use crate::schema::{Charge, ChargeKind, Major, Money, Parcel, RateQuote};

use super::card::RateCard;
use super::pincodes::Location;
use super::zone::{self, Zone, ZoneDecision};

/// The carrier id rate-card quotes carry.
pub const CARRIER_ID: &str = "ratecard";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PriceError {
    #[error("the card does not price the {0} zone")]
    ZoneNotServed(Zone),
    #[error("chargeable weight {chargeable_g} g is over the card's maximum of {max_g} g")]
    OverMaxWeight { chargeable_g: u64, max_g: u32 },
    #[error("the card has no COD charge, so the contract does not take cash on delivery")]
    CodNotOffered,
    #[error("the amount is in {given} but the card is priced in {card}")]
    CurrencyMismatch { given: String, card: String },
    #[error("the shipment is too large to price")]
    Overflow,
    /// A breakdown line or the total is over [`Money::MAX_AMOUNT`].
    #[error(
        "the {line} comes to {amount} minor units, over the limit of {limit} minor units \
         an amount may be",
        limit = Money::MAX_AMOUNT
    )]
    AmountOutOfRange { line: &'static str, amount: i128 },
}

impl PriceError {
    /// A stable code for `errors[].code` in rate responses.
    pub fn code(&self) -> &'static str {
        match self {
            PriceError::ZoneNotServed(_) | PriceError::CodNotOffered => "not_serviceable",
            PriceError::OverMaxWeight { .. } => "over_max_weight",
            PriceError::CurrencyMismatch { .. } => "currency_mismatch",
            PriceError::Overflow => "too_large",
            PriceError::AmountOutOfRange { .. } => "amount_out_of_range",
        }
    }
}

/// The weights a quote is priced on, in grams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weights {
    pub dead_g: u64,
    /// Summed over parcels with dimensions; 0 when none has them.
    pub volumetric_g: u64,
    /// Per parcel the larger of dead and volumetric, summed.
    pub chargeable_g: u64,
    /// The chargeable weight rounded up to whole slabs.
    pub billed_g: u64,
    /// Slabs beyond the first.
    pub additional_slabs: u64,
}

/// The COD line: the larger of the percentage and the minimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodLine {
    pub collected: i64,
    pub by_percent: i64,
    pub minimum: i64,
    pub amount: i64,
}

/// A priced shipment, every line in minor units of the card's currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pricing {
    pub zone: ZoneDecision,
    pub weights: Weights,
    pub freight: i64,
    pub fuel_surcharge: i64,
    pub cod: Option<CodLine>,
    pub gst: i64,
    pub total: i64,
    pub transit_days: Option<u32>,
}

/// `amount` as the `line` of a quote: within [`Money::MAX_AMOUNT`] either way.
fn line(line: &'static str, amount: Option<i128>) -> Result<i64, PriceError> {
    let amount = amount.ok_or(PriceError::Overflow)?;
    if amount.unsigned_abs() > u128::from(Money::MAX_AMOUNT.unsigned_abs()) {
        return Err(PriceError::AmountOutOfRange { line, amount });
    }
    i64::try_from(amount).map_err(|_| PriceError::Overflow)
}

/// Prices `parcels` from `from` to `to` on `card`; `cod_amount` is the cash to collect
/// for a COD shipment.
pub fn price(
    card: &RateCard,
    from: &Location,
    to: &Location,
    parcels: &[Parcel],
    cod_amount: Option<&Money>,
) -> Result<Pricing, PriceError> {
    let zone = zone::decide(from, to);
    let rate = *card
        .zones
        .get(&zone.zone)
        .ok_or(PriceError::ZoneNotServed(zone.zone))?;

    let divisor = u64::from(card.volumetric_divisor).max(1);
    let (mut dead_g, mut volumetric_g, mut chargeable_g) = (0u64, 0u64, 0u64);
    for parcel in parcels {
        let volumetric = parcel.volume_mm3().map_or(0, |v| v.div_ceil(divisor));
        let weight_g = u64::from(parcel.weight_g);
        let sum = |total: u64, add: u64| total.checked_add(add).ok_or(PriceError::Overflow);
        dead_g = sum(dead_g, weight_g)?;
        volumetric_g = sum(volumetric_g, volumetric)?;
        chargeable_g = sum(chargeable_g, weight_g.max(volumetric))?;
    }
    if let Some(max_g) = card.max_weight_g
        && chargeable_g > max_g as u64
    {
        return Err(PriceError::OverMaxWeight {
            chargeable_g,
            max_g,
        });
    }
    let first_g = u64::from(card.first_slab_g);
    let slab_g = u64::from(card.additional_slab_g).max(1);
    let additional_slabs = chargeable_g.saturating_sub(first_g).div_ceil(slab_g);
    let billed_g = additional_slabs
        .checked_mul(slab_g)
        .and_then(|g| g.checked_add(first_g))
        .ok_or(PriceError::Overflow)?;
    let freight = line(
        "freight",
        i128::from(additional_slabs)
            .checked_mul(i128::from(rate.additional_slab))
            .and_then(|a| a.checked_add(i128::from(rate.first_slab))),
    )?;

    let fuel_surcharge = line(
        "fuel surcharge",
        Some(i128::from(card.fuel_surcharge_percent.of(freight))),
    )?;
    let cod = match cod_amount {
        None => None,
        Some(money) => {
            if money.currency != card.currency {
                return Err(PriceError::CurrencyMismatch {
                    given: money.currency.as_str().into(),
                    card: card.currency.as_str().into(),
                });
            }
            let charge = card.cod.ok_or(PriceError::CodNotOffered)?;
            let by_percent = charge.percent.of(money.amount);
            Some(CodLine {
                collected: money.amount,
                by_percent,
                minimum: charge.minimum,
                amount: line(
                    "COD charge",
                    Some(i128::from(by_percent.max(charge.minimum))),
                )?,
            })
        }
    };
    let cod_charge = cod.map_or(0, |c| c.amount);
    // Each line is within the cap, so three of them (and GST on them) fit in an i64; the
    // taxable amount is not a line of its own but is checked all the same.
    let taxable = line(
        "taxable amount",
        i128::from(freight)
            .checked_add(i128::from(fuel_surcharge))
            .and_then(|t| t.checked_add(i128::from(cod_charge))),
    )?;
    let gst = line("GST", Some(i128::from(card.gst_percent.of(taxable))))?;
    let total = line("total", i128::from(taxable).checked_add(i128::from(gst)))?;
    Ok(Pricing {
        zone,
        weights: Weights {
            dead_g,
            volumetric_g,
            chargeable_g,
            billed_g,
            additional_slabs,
        },
        freight,
        fuel_surcharge,
        cod,
        gst,
        total,
        transit_days: rate.transit_days,
    })
}

/// `INR 499.00`: an amount as the breakdown sentences write it.
struct InCurrency<'a> {
    code: &'a str,
    major: Major,
}

impl fmt::Display for InCurrency<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code, self.major)
    }
}

impl Pricing {
    /// The unified quote: `carrier` is `ratecard`, `service` the carrier account the card
    /// belongs to, and each breakdown line says how it was computed.
    pub fn into_quote(self, card: &RateCard, carrier_account: &str) -> RateQuote {
        // Every sentence is written straight into its label: the amounts in it are
        // formatted in place, not as strings of their own (pricing is the rates hot path).
        let m = |amount: i64| InCurrency {
            code: card.currency.as_str(),
            major: card.currency.major(amount),
        };
        let rate = card.zones[&self.zone.zone];
        let w = self.weights;
        let mut freight = String::with_capacity(160);
        let _ = write!(
            freight,
            "freight, zone {}; chargeable {} g (",
            self.zone.reason, w.chargeable_g
        );
        let _ = if w.volumetric_g > w.dead_g {
            write!(
                freight,
                "volumetric {} g (divisor {}) over dead {} g",
                w.volumetric_g, card.volumetric_divisor, w.dead_g
            )
        } else if w.volumetric_g > 0 {
            write!(
                freight,
                "dead {} g over volumetric {} g",
                w.dead_g, w.volumetric_g
            )
        } else {
            write!(freight, "dead weight {} g, no dimensions", w.dead_g)
        };
        let _ = write!(
            freight,
            "), billed {} g = first {} g {}",
            w.billed_g,
            card.first_slab_g,
            m(rate.first_slab)
        );
        if w.additional_slabs > 0 {
            let _ = write!(
                freight,
                " + {} × {} g at {}",
                w.additional_slabs,
                card.additional_slab_g,
                m(rate.additional_slab)
            );
        }
        let mut breakdown = Vec::with_capacity(4);
        breakdown.push(Charge {
            kind: ChargeKind::Freight,
            label: freight,
            amount: Money {
                amount: self.freight,
                currency: card.currency.clone(),
            },
        });
        let mut line = |kind, label: String, amount| {
            breakdown.push(Charge {
                kind,
                label,
                amount: Money {
                    amount,
                    currency: card.currency.clone(),
                },
            })
        };
        if card.fuel_surcharge_percent.basis_points() > 0 {
            line(
                ChargeKind::FuelSurcharge,
                format!(
                    "fuel surcharge {} % of freight {}",
                    card.fuel_surcharge_percent,
                    m(self.freight)
                ),
                self.fuel_surcharge,
            );
        }
        if let (Some(cod), Some(charge)) = (self.cod, card.cod) {
            let label = if cod.by_percent >= cod.minimum {
                format!(
                    "COD charge, {} % of {} collected",
                    charge.percent,
                    m(cod.collected)
                )
            } else {
                format!(
                    "COD charge, minimum {} ({} % of {} collected is {})",
                    m(cod.minimum),
                    charge.percent,
                    m(cod.collected),
                    m(cod.by_percent)
                )
            };
            line(ChargeKind::Cod, label, cod.amount);
        }
        let taxable = self.freight + self.fuel_surcharge + self.cod.map_or(0, |c| c.amount);
        line(
            ChargeKind::Tax,
            format!("GST {} % of {}", card.gst_percent, m(taxable)),
            self.gst,
        );
        RateQuote {
            carrier: CARRIER_ID.into(),
            carrier_account: carrier_account.into(),
            service: carrier_account.into(),
            service_name: card.name.clone(),
            total: Money {
                amount: self.total,
                currency: card.currency.clone(),
            },
            breakdown,
            estimated_delivery: None,
            transit_days: self.transit_days,
            estimated_delivery_source: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::card::Percent;
    use super::super::pincodes::india;
    use super::*;
    use serde_json::json;

    /// The card every case below is computed against, by hand.
    ///
    /// Slabs: first 500 g, then each 500 g. Divisor 5000. Fuel 10 %, GST 18 %,
    /// COD 2 % with a ₹40.00 minimum.
    fn card() -> RateCard {
        let input = json!({
            "name": "Test Surface",
            "volumetric_divisor": 5000,
            "first_slab_g": 500,
            "additional_slab_g": 500,
            "max_weight_g": 10000,
            "zones": {
                "within_city":    {"first_slab": 3000, "additional_slab": 2500, "transit_days": 1},
                "within_state":   {"first_slab": 3500, "additional_slab": 3000, "transit_days": 2},
                "metro_to_metro": {"first_slab": 4200, "additional_slab": 4000, "transit_days": 3},
                "rest_of_india":  {"first_slab": 4800, "additional_slab": 4500, "transit_days": 4},
                "special":        {"first_slab": 6500, "additional_slab": 6000, "transit_days": 7}
            },
            "cod": {"percent": "2", "minimum": 4000},
            "fuel_surcharge_percent": "10",
            "gst_percent": "18"
        });
        RateCard::parse(&serde_json::from_value(input).unwrap()).unwrap()
    }

    fn parcel(weight_g: u32, dims: Option<(u32, u32, u32)>) -> Parcel {
        Parcel {
            weight_g,
            length_mm: dims.map(|d| d.0),
            width_mm: dims.map(|d| d.1),
            height_mm: dims.map(|d| d.2),
            declared_value: None,
            description: None,
        }
    }

    struct Case {
        what: &'static str,
        from: &'static str,
        to: &'static str,
        parcels: Vec<Parcel>,
        cod: Option<i64>,
        zone: Zone,
        chargeable_g: u64,
        billed_g: u64,
        freight: i64,
        fuel: i64,
        cod_charge: Option<i64>,
        gst: i64,
        total: i64,
    }

    fn run(c: &Case) -> Pricing {
        let t = india();
        let cod = c.cod.map(Money::inr);
        price(
            &card(),
            &t.lookup(c.from).unwrap(),
            &t.lookup(c.to).unwrap(),
            &c.parcels,
            cod.as_ref(),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", c.what))
    }

    #[test]
    fn quotes_match_hand_computed_charges() {
        let cases = vec![
            // Within Bengaluru, 500 g exactly: one slab.
            // freight 3000; fuel 10 % = 300; GST 18 % of 3300 = 594; total 3894.
            Case {
                what: "within city, exactly the first slab",
                from: "560001",
                to: "560095",
                parcels: vec![parcel(500, None)],
                cod: None,
                zone: Zone::WithinCity,
                chargeable_g: 500,
                billed_g: 500,
                freight: 3000,
                fuel: 300,
                cod_charge: None,
                gst: 594,
                total: 3894,
            },
            // Bengaluru → Mysuru, 501 g: one gram over, so a second slab.
            // freight 3500 + 1 × 3000 = 6500; fuel 650; GST 18 % of 7150 = 1287; total 8437.
            Case {
                what: "within state, one gram over the first slab",
                from: "560001",
                to: "570001",
                parcels: vec![parcel(501, None)],
                cod: None,
                zone: Zone::WithinState,
                chargeable_g: 501,
                billed_g: 1000,
                freight: 6500,
                fuel: 650,
                cod_charge: None,
                gst: 1287,
                total: 8437,
            },
            // Delhi → Bengaluru, 1000 g exactly: first + 1 additional.
            // freight 4200 + 4000 = 8200; fuel 820; GST 18 % of 9020 = 1623.6 → 1624;
            // total 9020 + 1624 = 10644.
            Case {
                what: "metro to metro, exactly at a slab boundary",
                from: "110001",
                to: "560001",
                parcels: vec![parcel(1000, None)],
                cod: None,
                zone: Zone::MetroToMetro,
                chargeable_g: 1000,
                billed_g: 1000,
                freight: 8200,
                fuel: 820,
                cod_charge: None,
                gst: 1624,
                total: 10644,
            },
            // Delhi → Jaipur, 1001 g: first + 2 additional.
            // freight 4800 + 2 × 4500 = 13800; fuel 1380; GST 18 % of 15180 = 2732.4 → 2732;
            // total 17912.
            Case {
                what: "rest of India, one gram over a boundary",
                from: "110001",
                to: "302001",
                parcels: vec![parcel(1001, None)],
                cod: None,
                zone: Zone::RestOfIndia,
                chargeable_g: 1001,
                billed_g: 1500,
                freight: 13800,
                fuel: 1380,
                cod_charge: None,
                gst: 2732,
                total: 17912,
            },
            // Delhi → Guwahati, 300 g in a 400 × 300 × 200 mm box:
            // volumetric 24,000,000 / 5000 = 4800 g beats dead 300 g; billed 5000 g
            // = first + ceil(4300 / 500) = 9 additional.
            // freight 6500 + 9 × 6000 = 60500; fuel 6050; GST 18 % of 66550 = 11979;
            // total 78529.
            Case {
                what: "special, volumetric weight beats dead weight",
                from: "110001",
                to: "781001",
                parcels: vec![parcel(300, Some((400, 300, 200)))],
                cod: None,
                zone: Zone::Special,
                chargeable_g: 4800,
                billed_g: 5000,
                freight: 60500,
                fuel: 6050,
                cod_charge: None,
                gst: 11979,
                total: 78529,
            },
            // Volumetric rounds up to the gram: 101 × 101 × 101 = 1,030,301 mm³ / 5000
            // = 206.06 → 207 g, under the 800 g dead weight, so dead counts: 800 g →
            // billed 1000 g. Within Mumbai (Fort → Andheri).
            // freight 3000 + 2500 = 5500; fuel 550; GST 18 % of 6050 = 1089; total 7139.
            Case {
                what: "within city across Mumbai's districts, dead weight beats volumetric",
                from: "400001",
                to: "400053",
                parcels: vec![parcel(800, Some((101, 101, 101)))],
                cod: None,
                zone: Zone::WithinCity,
                chargeable_g: 800,
                billed_g: 1000,
                freight: 5500,
                fuel: 550,
                cod_charge: None,
                gst: 1089,
                total: 7139,
            },
            // COD ₹499.00: 2 % = 998 paise, under the 4000 minimum, so 4000.
            // Within Bengaluru 500 g: freight 3000; fuel 300; GST 18 % of
            // (3000 + 300 + 4000) = 7300 → 1314; total 8614.
            Case {
                what: "COD minimum applies",
                from: "560001",
                to: "560095",
                parcels: vec![parcel(500, None)],
                cod: Some(49_900),
                zone: Zone::WithinCity,
                chargeable_g: 500,
                billed_g: 500,
                freight: 3000,
                fuel: 300,
                cod_charge: Some(4000),
                gst: 1314,
                total: 8614,
            },
            // COD ₹2,999.99: 2 % = 5999.98 → 6000, over the minimum.
            // Pune → Mumbai (same state) 2000 g: freight 3500 + 3 × 3000 = 12500;
            // fuel 1250; GST 18 % of (12500 + 1250 + 6000) = 19750 → 3555; total 23305.
            Case {
                what: "COD percentage beats the minimum",
                from: "411001",
                to: "400001",
                parcels: vec![parcel(2000, None)],
                cod: Some(299_999),
                zone: Zone::WithinState,
                chargeable_g: 2000,
                billed_g: 2000,
                freight: 12500,
                fuel: 1250,
                cod_charge: Some(6000),
                gst: 3555,
                total: 23305,
            },
            // Two parcels, chargeable per parcel: 400 g (volumetric 200 × 200 × 100 /
            // 5000 = 800 g) + 700 g (no dimensions) = 1500 g, billed 1500 g.
            // Chennai → Kolkata: freight 4200 + 2 × 4000 = 12200; fuel 1220;
            // GST 18 % of 13420 = 2415.6 → 2416; total 15836.
            Case {
                what: "two parcels, each at its own larger weight",
                from: "600001",
                to: "700001",
                parcels: vec![parcel(400, Some((200, 200, 100))), parcel(700, None)],
                cod: None,
                zone: Zone::MetroToMetro,
                chargeable_g: 1500,
                billed_g: 1500,
                freight: 12200,
                fuel: 1220,
                cod_charge: None,
                gst: 2416,
                total: 15836,
            },
        ];
        for c in &cases {
            let p = run(c);
            assert_eq!(p.zone.zone, c.zone, "{}", c.what);
            assert_eq!(p.weights.chargeable_g, c.chargeable_g, "{}", c.what);
            assert_eq!(p.weights.billed_g, c.billed_g, "{}", c.what);
            assert_eq!(p.freight, c.freight, "{}", c.what);
            assert_eq!(p.fuel_surcharge, c.fuel, "{}", c.what);
            assert_eq!(p.cod.map(|l| l.amount), c.cod_charge, "{}", c.what);
            assert_eq!(p.gst, c.gst, "{}", c.what);
            assert_eq!(p.total, c.total, "{}", c.what);
            assert_eq!(
                p.freight + p.fuel_surcharge + c.cod_charge.unwrap_or(0) + p.gst,
                p.total,
                "{}: lines add up",
                c.what
            );
        }
        let zones: std::collections::BTreeSet<_> = cases.iter().map(|c| c.zone).collect();
        assert_eq!(zones.len(), Zone::ALL.len(), "every zone is covered");
    }

    #[test]
    fn the_quote_explains_itself() {
        let t = india();
        let card = card();
        let pricing = price(
            &card,
            &t.lookup("110001").unwrap(),
            &t.lookup("781001").unwrap(),
            &[parcel(300, Some((400, 300, 200)))],
            Some(&Money::inr(49_900)),
        )
        .unwrap();
        let quote = pricing.into_quote(&card, "delhivery-surface");
        assert_eq!(
            (quote.carrier.as_str(), quote.service.as_str()),
            ("ratecard", "delhivery-surface")
        );
        assert_eq!(quote.service_name, "Test Surface");
        assert_eq!(quote.transit_days, Some(7));
        let labels: Vec<_> = quote.breakdown.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            vec![
                "freight, zone special: destination in the north-east, 110001 (Delhi) → \
                 781001 (KAMRUP METRO, AS); chargeable 4800 g (volumetric 4800 g (divisor \
                 5000) over dead 300 g), billed 5000 g = first 500 g INR 65.00 + 9 × 500 g \
                 at INR 60.00",
                "fuel surcharge 10 % of freight INR 605.00",
                "COD charge, minimum INR 40.00 (2 % of INR 499.00 collected is INR 9.98)",
                "GST 18 % of INR 705.50",
            ]
        );
        let sum: i64 = quote.breakdown.iter().map(|c| c.amount.amount).sum();
        assert_eq!(sum, quote.total.amount);
        // 60500 + 6050 + 4000 = 70550; GST 12699; total 83249.
        assert_eq!(quote.total.amount, 83_249);
    }

    #[test]
    fn what_a_card_cannot_price_is_an_error() {
        let t = india();
        let mut card = card();
        let (delhi, guwahati) = (t.lookup("110001").unwrap(), t.lookup("781001").unwrap());
        // 10,001 g is over the 10,000 g maximum.
        assert_eq!(
            price(&card, &delhi, &delhi, &[parcel(10_001, None)], None),
            Err(PriceError::OverMaxWeight {
                chargeable_g: 10_001,
                max_g: 10_000
            })
        );
        // Exactly the maximum is fine: first + 19 additional.
        let at_max = price(&card, &delhi, &delhi, &[parcel(10_000, None)], None).unwrap();
        assert_eq!(at_max.freight, 3000 + 19 * 2500);
        let usd = Money {
            amount: 100,
            currency: crate::schema::Currency::parse("USD").unwrap(),
        };
        assert!(matches!(
            price(&card, &delhi, &delhi, &[parcel(500, None)], Some(&usd)),
            Err(PriceError::CurrencyMismatch { .. })
        ));
        card.zones.remove(&Zone::Special);
        assert_eq!(
            price(&card, &delhi, &guwahati, &[parcel(500, None)], None),
            Err(PriceError::ZoneNotServed(Zone::Special))
        );
        card.cod = None;
        assert_eq!(
            price(
                &card,
                &delhi,
                &delhi,
                &[parcel(500, None)],
                Some(&Money::inr(100))
            ),
            Err(PriceError::CodNotOffered)
        );
    }

    /// A card at its dearest: ₹10 lakh a slab of 1 g, no fuel surcharge or GST.
    fn dearest_card() -> RateCard {
        let mut card = card();
        card.max_weight_g = None;
        card.additional_slab_g = 1;
        card.fuel_surcharge_percent = Percent::ZERO;
        card.gst_percent = Percent::ZERO;
        for rate in card.zones.values_mut() {
            rate.first_slab = 100_000_000;
            rate.additional_slab = 100_000_000;
        }
        card
    }

    #[test]
    fn the_largest_shipment_on_the_dearest_card_is_refused_not_quoted() {
        // What validation allows at most: 50 parcels of 5 m cubes. 5000³ mm³ / 5000 =
        // 25,000,000 g a parcel, 1,250,000,000 g in all: 1,249,999,500 additional 1 g
        // slabs at ₹10 lakh. The freight, 1.25 × 10^17 paise, is over the cap (and over
        // 2^53, beyond what a JSON number holds exactly).
        let t = india();
        let delhi = t.lookup("110001").unwrap();
        let boxes: Vec<_> = (0..50)
            .map(|_| parcel(1_000_000, Some((5000, 5000, 5000))))
            .collect();
        let err = price(&dearest_card(), &delhi, &delhi, &boxes, None).unwrap_err();
        let freight = 100_000_000 + 1_249_999_500i128 * 100_000_000;
        assert!(freight > 1 << 53);
        assert_eq!(
            err,
            PriceError::AmountOutOfRange {
                line: "freight",
                amount: freight
            }
        );
        assert_eq!(err.code(), "amount_out_of_range");
        assert!(
            err.to_string()
                .contains("over the limit of 1000000000000000 minor units"),
            "{err}"
        );
    }

    #[test]
    fn a_quote_may_reach_the_cap_but_no_line_or_total_may_pass_it() {
        let t = india();
        let delhi = t.lookup("110001").unwrap();
        // 10,000,499 g: the 500 g first slab and 9,999,999 slabs of 1 g, each at
        // 100,000,000 paise: freight exactly Money::MAX_AMOUNT.
        let mut parcels: Vec<_> = (0..10).map(|_| parcel(1_000_000, None)).collect();
        parcels.push(parcel(499, None));
        let mut card = dearest_card();
        let at_cap = price(&card, &delhi, &delhi, &parcels, None).unwrap();
        assert_eq!(at_cap.freight, Money::MAX_AMOUNT);
        assert_eq!(at_cap.total, Money::MAX_AMOUNT);
        let quote = at_cap.into_quote(&card, "dear");
        assert_eq!(quote.total.amount, Money::MAX_AMOUNT);

        // One gram more is one slab more.
        parcels.push(parcel(1, None));
        assert_eq!(
            price(&card, &delhi, &delhi, &parcels, None),
            Err(PriceError::AmountOutOfRange {
                line: "freight",
                amount: i128::from(Money::MAX_AMOUNT) + 100_000_000
            })
        );
        parcels.pop();

        // Freight at the cap, GST on top: the total is over.
        card.gst_percent = Percent::from_basis_points(1800).unwrap();
        assert_eq!(
            price(&card, &delhi, &delhi, &parcels, None),
            Err(PriceError::AmountOutOfRange {
                line: "total",
                amount: i128::from(Money::MAX_AMOUNT) * 118 / 100
            })
        );

        // So is a fuel surcharge line on top of it (the taxable amount, then).
        card.gst_percent = Percent::ZERO;
        card.fuel_surcharge_percent = Percent::from_basis_points(1).unwrap();
        assert!(matches!(
            price(&card, &delhi, &delhi, &parcels, None),
            Err(PriceError::AmountOutOfRange {
                line: "taxable amount",
                ..
            })
        ));
    }
}
