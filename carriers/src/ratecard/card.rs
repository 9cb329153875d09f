//! A rate card: what a tenant's contract with a carrier says a parcel costs.
//!
//! Cards arrive as JSON ([`RateCardInput`], every field optional so a missing one is
//! reported at its pointer) or CSV (`super::csv`, read into the same input type) and are
//! parsed once into a [`RateCard`] whose every number is already valid, with every
//! violation reported at its JSON pointer. The stored and served form of a card is the
//! [`RateCard`]'s own serialisation, which reads back through the same parser, so one
//! set of rules guards uploads and what is loaded from the database.
//!
//! Money is integer minor units of the card's currency (paise for INR), as everywhere in
//! shipgate; percentages are decimal strings (`"12.5"`) or whole numbers, held as basis
//! points, so no float ever touches a price.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize, Serializer};
use utoipa::openapi::schema::{Object, ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

use super::zone::Zone;
use crate::schema::{Currency, FieldError, Violations};

/// Largest amount a single card price may be: ₹10 lakh in paise. Far above any courier
/// slab, and low enough that no quote arithmetic can overflow.
const MAX_PRICE: i64 = 100_000_000;
const MAX_SLAB_G: i64 = 1_000_000;
const MAX_TRANSIT_DAYS: i64 = 60;

/// A percentage as the card states it: `"12.5"` or `18`. Fractional JSON numbers are
/// refused so that what the tenant wrote is exactly what is stored.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum PercentInput {
    Text(String),
    Number(serde_json::Number),
}

/// The schema of a [`PercentInput`]: a decimal string with at most two decimals
/// (`"12.5"`, `"12.50%"`) or a whole number, 0 to 100 either way.
impl PartialSchema for PercentInput {
    fn schema() -> RefOr<Schema> {
        let text = ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(
                r"^\s*0*(?:100(?:\.0{1,2})?|[0-9]{1,2}(?:\.[0-9]{1,2})?)\s*%?\s*$",
            ))
            .examples(["12.5"]);
        let whole = ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(0))
            .maximum(Some(100));
        OneOfBuilder::new()
            .item(text)
            .item(whole)
            .description(Some(
                "A percentage, 0 to 100: a decimal string with at most two decimals \
                 (`\"12.5\"`, `\"12.50%\"`) or a whole number (`18`). Write a fractional \
                 percentage as a string, so it is kept exactly.",
            ))
            .into()
    }
}

impl ToSchema for PercentInput {}

/// A percentage in basis points (hundredths of a percent), 0 to 100 %.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ToSchema)]
#[schema(value_type = String, example = "12.5")]
pub struct Percent(u32);

impl Percent {
    pub const ZERO: Percent = Percent(0);

    pub fn from_basis_points(bp: u32) -> Option<Percent> {
        (bp <= 10_000).then_some(Percent(bp))
    }

    pub fn basis_points(self) -> u32 {
        self.0
    }

    /// Reads `"12.5"`, `"12.50%"`, `"18"`: at most two decimals, 0 to 100.
    pub fn parse(text: &str) -> Result<Percent, String> {
        let t = text.trim();
        let t = t.strip_suffix('%').unwrap_or(t).trim_end();
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || !digits(int) || !digits(frac) || (t.contains('.') && frac.is_empty()) {
            return Err(format!(
                "`{text}` is not a percentage; write it as a decimal such as \"12.5\""
            ));
        }
        if frac.len() > 2 {
            return Err(format!(
                "`{text}` has more than two decimals; percentages are kept to 0.01"
            ));
        }
        let int: u32 = int
            .parse()
            .ok()
            .filter(|i| *i <= 100)
            .ok_or_else(|| format!("`{text}` is over 100 %"))?;
        let frac: u32 = format!("{frac:0<2}").parse().expect("two digits");
        Percent::from_basis_points(int * 100 + frac)
            .ok_or_else(|| format!("`{text}` is over 100 %"))
    }

    fn from_input(input: &PercentInput) -> Result<Percent, String> {
        match input {
            PercentInput::Text(s) => Percent::parse(s),
            PercentInput::Number(n) if n.is_u64() || n.is_i64() => Percent::parse(&n.to_string()),
            PercentInput::Number(n) => Err(format!(
                "write a fractional percentage as a string (\"{n}\"), so it is kept exactly"
            )),
        }
    }

    /// `percent` of `base` minor units, rounded to the nearest minor unit, halves up.
    /// Exact: integer arithmetic on basis points, wide enough never to overflow.
    pub fn of(self, base: i64) -> i64 {
        let scaled = base as i128 * self.0 as i128;
        let rounded = if scaled >= 0 {
            (scaled + 5_000) / 10_000
        } else {
            (scaled - 5_000) / 10_000
        };
        rounded as i64
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (int, frac) = (self.0 / 100, self.0 % 100);
        match frac {
            0 => write!(f, "{int}"),
            f2 if f2 % 10 == 0 => write!(f, "{int}.{}", f2 / 10),
            f2 => write!(f, "{int}.{f2:02}"),
        }
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A rate card as uploaded. Unknown fields are refused, so a misspelt setting cannot be
/// silently ignored.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateCardInput {
    /// What the card is, as quotes show it (`service_name`): at most 100 characters,
    /// surrounding whitespace not counted.
    #[schema(
        value_type = String,
        example = "Delhivery Surface 2026",
        min_length = 1,
        pattern = r"^\s*[\s\S]{0,100}\s*$"
    )]
    pub name: Option<String>,
    /// The carrier service this contract prices (`surface`, `apex`, …), for a card
    /// uploaded under the account of a carrier with no rate API: its quotes then come as
    /// that carrier's and book this service. Letters, digits, `_` and `-`, 1 to 40.
    #[schema(example = "surface", pattern = r"^\s*[A-Za-z0-9_-]{1,40}\s*$")]
    pub service: Option<String>,
    /// ISO 4217 code (upper case) of every amount on the card; `INR` when absent or empty.
    #[schema(example = "INR", pattern = r"^\s*(?:[A-Z]{3})?\s*$")]
    pub currency: Option<String>,
    /// Volumetric weight in grams is length × width × height in millimetres divided by
    /// this (the usual cm³ / kg divisor: 5000 for most couriers), 1000 to 10000.
    #[schema(value_type = i64, example = 5000, minimum = 1000, maximum = 10000)]
    pub volumetric_divisor: Option<i64>,
    /// The first weight slab, in grams, priced at each zone's `first_slab`.
    #[schema(value_type = i64, example = 500, minimum = 1, maximum = 1000000)]
    pub first_slab_g: Option<i64>,
    /// Each further slab, in grams, priced at each zone's `additional_slab`.
    #[schema(value_type = i64, example = 500, minimum = 1, maximum = 1000000)]
    pub additional_slab_g: Option<i64>,
    /// Heaviest chargeable weight the contract takes, in grams: at least `first_slab_g`,
    /// at most 50000000. No limit when absent.
    #[schema(minimum = 1, maximum = 50000000)]
    pub max_weight_g: Option<i64>,
    /// Prices per zone (`within_city`, `within_state`, `metro_to_metro`,
    /// `rest_of_india`, `special`), at least one. A zone left out is not served.
    #[schema(schema_with = zones_schema, required = true)]
    pub zones: Option<BTreeMap<String, ZoneRateInput>>,
    /// The cash-on-delivery charge; a card without it does not take COD.
    pub cod: Option<CodInput>,
    /// Fuel surcharge, a percentage of freight; 0 when absent.
    #[schema(example = "12.5")]
    pub fuel_surcharge_percent: Option<PercentInput>,
    /// GST, a percentage of freight + fuel surcharge + COD charge.
    #[schema(value_type = PercentInput, example = "18")]
    pub gst_percent: Option<PercentInput>,
}

/// `zones`: a map from [`Zone`] names (the same key schema as [`RateCard`]'s `zones`) to
/// their prices, with at least one entry.
fn zones_schema() -> Object {
    let key = match <Zone as PartialSchema>::schema() {
        RefOr::T(schema) => schema,
        RefOr::Ref(_) => unreachable!("a derived enum schema is inline"),
    };
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(Ref::from_schema_name(
            <ZoneRateInput as ToSchema>::name(),
        )))
        .property_names(Some(key))
        .min_properties(Some(1))
        .description(Some(
            "Prices per zone (`within_city`, `within_state`, `metro_to_metro`, \
             `rest_of_india`, `special`), at least one. A zone left out is not served.",
        ))
        .build()
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ZoneRateInput {
    /// Price of the first slab, minor units: 1 to 100000000.
    #[schema(value_type = i64, example = 4000, minimum = 1, maximum = 100000000)]
    pub first_slab: Option<i64>,
    /// Price of each additional slab, minor units: 0 (free) to 100000000.
    #[schema(value_type = i64, example = 3500, minimum = 0, maximum = 100000000)]
    pub additional_slab: Option<i64>,
    /// Promised transit time, shown on quotes: 0 to 60 days.
    #[schema(minimum = 0, maximum = 60)]
    pub transit_days: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodInput {
    /// Percentage of the amount collected (`"0"` for none).
    #[schema(value_type = PercentInput, example = "1.5")]
    pub percent: Option<PercentInput>,
    /// The least the COD charge is, minor units: 0 to 100000000; 0 when absent.
    #[schema(example = 3500, minimum = 0, maximum = 100000000)]
    pub minimum: Option<i64>,
}

/// A validated rate card. Serialises to the JSON form it was (or could have been)
/// uploaded as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RateCard {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    pub currency: Currency,
    pub volumetric_divisor: u32,
    pub first_slab_g: u32,
    pub additional_slab_g: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_weight_g: Option<u32>,
    pub zones: BTreeMap<Zone, ZoneRate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cod: Option<CodCharge>,
    pub fuel_surcharge_percent: Percent,
    pub gst_percent: Percent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct ZoneRate {
    pub first_slab: i64,
    pub additional_slab: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transit_days: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct CodCharge {
    pub percent: Percent,
    pub minimum: i64,
}

impl RateCard {
    /// Every violation of `input`, each at its pointer, or the card.
    pub fn parse(input: &RateCardInput) -> Result<RateCard, Vec<FieldError>> {
        let mut v = Violations::default();
        let name = match input.name.as_deref().map(str::trim) {
            None | Some("") => {
                v.add("/name", "required", "name the card (quotes show it)");
                String::new()
            }
            Some(n) if n.chars().count() > 100 => {
                v.add("/name", "too_long", "at most 100 characters");
                String::new()
            }
            Some(n) => n.to_string(),
        };
        let service = match input.service.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s)
                if s.len() <= 40
                    && s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') =>
            {
                Some(s.to_string())
            }
            Some(_) => {
                v.add(
                    "/service",
                    "invalid_service",
                    "a service code is 1 to 40 letters, digits, `_` or `-` (the carrier's own, e.g. `surface`)",
                );
                None
            }
        };
        let currency = match input.currency.as_deref().map(str::trim) {
            None | Some("") => Currency::inr(),
            Some(c) => Currency::parse(c).unwrap_or_else(|| {
                v.add(
                    "/currency",
                    "invalid_currency",
                    crate::schema::not_iso_4217(c),
                );
                Currency::inr()
            }),
        };
        let divisor = int(
            &mut v,
            "/volumetric_divisor",
            input.volumetric_divisor,
            Some(1_000..=10_000),
            "the volumetric divisor is 1000 to 10000 (cm³ per kg; 5000 is usual)",
        );
        let slab_range = Some(1..=MAX_SLAB_G);
        let slab_detail = "a slab is 1 to 1000000 grams";
        let first_slab_g = int(
            &mut v,
            "/first_slab_g",
            input.first_slab_g,
            slab_range.clone(),
            slab_detail,
        );
        let additional_slab_g = int(
            &mut v,
            "/additional_slab_g",
            input.additional_slab_g,
            slab_range,
            slab_detail,
        );
        let max_weight_g = match input.max_weight_g {
            None => None,
            Some(w) if w < first_slab_g.unwrap_or(1) || w > 50 * MAX_SLAB_G => {
                v.add(
                    "/max_weight_g",
                    "out_of_range",
                    "the maximum weight is at least the first slab and at most 50000000 g",
                );
                None
            }
            Some(w) => Some(w as u32),
        };
        let zones = parse_zones(&mut v, input.zones.as_ref());
        let cod = input.cod.as_ref().and_then(|cod| {
            let percent = match &cod.percent {
                None => {
                    v.add(
                        "/cod/percent",
                        "required",
                        "the COD charge's percentage of the amount collected (\"0\" for none)",
                    );
                    None
                }
                Some(p) => percent(&mut v, "/cod/percent", p),
            };
            let minimum = match cod.minimum {
                None => Some(0),
                Some(_) => price(&mut v, "/cod/minimum", cod.minimum, false),
            };
            Some(CodCharge {
                percent: percent?,
                minimum: minimum?,
            })
        });
        let fuel = match &input.fuel_surcharge_percent {
            None => Some(Percent::ZERO),
            Some(p) => percent(&mut v, "/fuel_surcharge_percent", p),
        };
        let gst = match &input.gst_percent {
            None => {
                v.add(
                    "/gst_percent",
                    "required",
                    "the GST percentage charged on the total (\"18\" for courier services)",
                );
                None
            }
            Some(p) => percent(&mut v, "/gst_percent", p),
        };
        v.finish(|| RateCard {
            name,
            service,
            currency,
            volumetric_divisor: divisor.expect("checked") as u32,
            first_slab_g: first_slab_g.expect("checked") as u32,
            additional_slab_g: additional_slab_g.expect("checked") as u32,
            max_weight_g,
            zones,
            cod,
            fuel_surcharge_percent: fuel.expect("checked"),
            gst_percent: gst.expect("checked"),
        })
    }

    /// Reads a card from its stored JSON form (what [`RateCard`] serialises to).
    pub fn from_json(json: &str) -> Result<RateCard, String> {
        let input: RateCardInput = serde_json::from_str(json).map_err(|e| e.to_string())?;
        RateCard::parse(&input).map_err(|errors| {
            errors
                .iter()
                .map(|e| format!("{} {}", e.pointer, e.detail))
                .collect::<Vec<_>>()
                .join("; ")
        })
    }
}

fn parse_zones(
    v: &mut Violations,
    input: Option<&BTreeMap<String, ZoneRateInput>>,
) -> BTreeMap<Zone, ZoneRate> {
    let mut zones = BTreeMap::new();
    let Some(input) = input.filter(|z| !z.is_empty()) else {
        v.add(
            "/zones",
            "required",
            "price at least one zone: within_city, within_state, metro_to_metro, rest_of_india, special",
        );
        return zones;
    };
    for (name, rate) in input {
        let p = format!("/zones/{}", name.replace('~', "~0").replace('/', "~1"));
        let Some(zone) = Zone::parse(name) else {
            v.add(
                p,
                "unknown_zone",
                format!(
                    "`{name}` is not a zone; use within_city, within_state, metro_to_metro, rest_of_india or special"
                ),
            );
            continue;
        };
        let first = price(v, &format!("{p}/first_slab"), rate.first_slab, true);
        let additional = price(
            v,
            &format!("{p}/additional_slab"),
            rate.additional_slab,
            false,
        );
        let transit_days = match rate.transit_days {
            None => Some(None),
            Some(d) if (0..=MAX_TRANSIT_DAYS).contains(&d) => Some(Some(d as u32)),
            Some(_) => {
                v.add(
                    format!("{p}/transit_days"),
                    "out_of_range",
                    format!("transit days are 0 to {MAX_TRANSIT_DAYS}"),
                );
                None
            }
        };
        if let (Some(first_slab), Some(additional_slab), Some(transit_days)) =
            (first, additional, transit_days)
        {
            zones.insert(
                zone,
                ZoneRate {
                    first_slab,
                    additional_slab,
                    transit_days,
                },
            );
        }
    }
    zones
}

/// A required integer within `range`.
fn int(
    v: &mut Violations,
    pointer: &str,
    value: Option<i64>,
    range: Option<std::ops::RangeInclusive<i64>>,
    detail: &str,
) -> Option<i64> {
    match value {
        None => {
            v.add(pointer, "required", detail);
            None
        }
        Some(n) if range.as_ref().is_some_and(|r| !r.contains(&n)) => {
            v.add(pointer, "out_of_range", detail);
            None
        }
        Some(n) => Some(n),
    }
}

/// A required price in minor units: positive, or zero too when `!positive`.
fn price(v: &mut Violations, pointer: &str, value: Option<i64>, positive: bool) -> Option<i64> {
    let low = if positive { 1 } else { 0 };
    int(
        v,
        pointer,
        value,
        Some(low..=MAX_PRICE),
        &format!(
            "a price in integer minor units of the card's currency (paise for INR), {low} to \
             {MAX_PRICE}{}",
            if positive { "" } else { "; 0 for free" }
        ),
    )
}

fn percent(v: &mut Violations, pointer: &str, input: &PercentInput) -> Option<Percent> {
    Percent::from_input(input)
        .map_err(|detail| v.add(pointer, "invalid_percent", detail))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    pub(crate) fn sample() -> serde_json::Value {
        json!({
            "name": "Surface 2026",
            "volumetric_divisor": 5000,
            "first_slab_g": 500,
            "additional_slab_g": 500,
            "zones": {
                "within_city": {"first_slab": 3000, "additional_slab": 2800, "transit_days": 1},
                "rest_of_india": {"first_slab": 5000, "additional_slab": 4500}
            },
            "cod": {"percent": "1.5", "minimum": 3500},
            "fuel_surcharge_percent": "12.5",
            "gst_percent": 18
        })
    }

    fn parse(value: serde_json::Value) -> Result<RateCard, Vec<FieldError>> {
        RateCard::parse(&serde_json::from_value(value).expect("input shape"))
    }

    fn pointers(value: serde_json::Value) -> Vec<(String, String)> {
        parse(value)
            .expect_err("invalid")
            .into_iter()
            .map(|e| (e.pointer, e.code))
            .collect()
    }

    #[test]
    fn percentages_are_exact() {
        let p = |s: &str| Percent::parse(s).map(Percent::basis_points);
        assert_eq!(p("12.5"), Ok(1250));
        assert_eq!(p("12.50%"), Ok(1250));
        assert_eq!(p("18"), Ok(1800));
        assert_eq!(p("0.05"), Ok(5));
        assert_eq!(p("100"), Ok(10_000));
        for bad in ["", "abc", "1.234", "100.01", "101", "-1", "1.", ".5", "1e2"] {
            assert!(p(bad).is_err(), "{bad}");
        }
        for (bp, text) in [(1250, "12.5"), (1800, "18"), (5, "0.05"), (175, "1.75")] {
            assert_eq!(Percent(bp).to_string(), text);
        }
        // 1.5 % of ₹499.00 = 748.5 paise → 749 (half up); 18 % of 16501 = 2970.18 → 2970.
        assert_eq!(Percent(150).of(49_900), 749);
        assert_eq!(Percent(1800).of(16_501), 2970);
        assert_eq!(Percent(1800).of(0), 0);
    }

    #[test]
    fn a_valid_card_parses_and_round_trips_through_its_stored_form() {
        let card = parse(sample()).expect("valid");
        assert_eq!(card.currency.as_str(), "INR");
        assert_eq!(card.zones.len(), 2);
        assert_eq!(card.zones[&Zone::WithinCity].transit_days, Some(1));
        assert_eq!(card.cod.unwrap().percent.basis_points(), 150);
        assert_eq!(card.gst_percent.basis_points(), 1800);
        let stored = serde_json::to_string(&card).unwrap();
        assert!(
            stored.contains(r#""fuel_surcharge_percent":"12.5""#),
            "{stored}"
        );
        assert_eq!(RateCard::from_json(&stored).unwrap(), card);
    }

    #[test]
    fn every_violation_is_reported_at_its_pointer() {
        let got = pointers(json!({
            "currency": "rupees",
            "volumetric_divisor": 5,
            "first_slab_g": 0,
            "max_weight_g": 10,
            "zones": {
                "within_city": {"first_slab": 0, "additional_slab": -1, "transit_days": 99},
                "mars": {"first_slab": 1}
            },
            "cod": {"minimum": -5},
            "fuel_surcharge_percent": "12.345",
            "gst_percent": 18.5
        }));
        let expected = [
            ("/name", "required"),
            ("/currency", "invalid_currency"),
            ("/volumetric_divisor", "out_of_range"),
            ("/first_slab_g", "out_of_range"),
            ("/additional_slab_g", "required"),
            ("/zones/mars", "unknown_zone"),
            ("/zones/within_city/first_slab", "out_of_range"),
            ("/zones/within_city/additional_slab", "out_of_range"),
            ("/zones/within_city/transit_days", "out_of_range"),
            ("/cod/percent", "required"),
            ("/cod/minimum", "out_of_range"),
            ("/fuel_surcharge_percent", "invalid_percent"),
            ("/gst_percent", "invalid_percent"),
        ];
        for (pointer, code) in expected {
            assert!(
                got.contains(&(pointer.to_string(), code.to_string())),
                "{pointer} {code} missing from {got:?}"
            );
        }
        // max_weight_g is below the (invalid) first slab's floor of 1 g? No: 10 ≥ 1, so
        // it passes on its own; only real problems are reported.
        assert!(!got.iter().any(|(p, _)| p == "/max_weight_g"), "{got:?}");
        assert_eq!(got.len(), expected.len(), "{got:?}");
    }

    #[test]
    fn a_card_in_a_made_up_currency_is_refused() {
        for code in ["ZZZ", "ABC"] {
            let mut card = sample();
            card["currency"] = json!(code);
            assert_eq!(
                pointers(card),
                vec![("/currency".to_string(), "invalid_currency".to_string())],
                "{code}"
            );
        }
        let mut card = sample();
        card["currency"] = json!("JPY");
        assert_eq!(
            parse(card).expect("an ISO 4217 code").currency.as_str(),
            "JPY"
        );
    }

    #[test]
    fn a_card_needs_a_zone_and_a_gst_rate() {
        let mut card = sample();
        card["zones"] = json!({});
        card.as_object_mut().unwrap().remove("gst_percent");
        let got = pointers(card);
        assert!(
            got.contains(&("/zones".into(), "required".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&("/gst_percent".into(), "required".into())),
            "{got:?}"
        );
    }

    #[test]
    fn max_weight_below_the_first_slab_is_refused() {
        let mut card = sample();
        card["max_weight_g"] = json!(400);
        assert_eq!(
            pointers(card),
            vec![("/max_weight_g".to_string(), "out_of_range".to_string())]
        );
    }

    #[test]
    fn the_schema_states_the_bounds_parsing_enforces() {
        let props =
            |schema: RefOr<Schema>| serde_json::to_value(schema).unwrap()["properties"].clone();
        let card = props(RateCardInput::schema());
        for slab in ["first_slab_g", "additional_slab_g"] {
            assert_eq!(card[slab]["maximum"], MAX_SLAB_G, "{slab}");
        }
        assert_eq!(card["max_weight_g"]["maximum"], 50 * MAX_SLAB_G);
        let zone = props(ZoneRateInput::schema());
        for price in ["first_slab", "additional_slab"] {
            assert_eq!(zone[price]["maximum"], MAX_PRICE, "{price}");
        }
        assert_eq!(zone["transit_days"]["maximum"], MAX_TRANSIT_DAYS);
        assert_eq!(props(CodInput::schema())["minimum"]["maximum"], MAX_PRICE);
    }
}
