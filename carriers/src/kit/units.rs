//! Units at the carrier's edge, with one rounding rule per direction.
//!
//! The schema keeps integer grams and millimetres; carriers want kilograms, centimetres,
//! pounds, ounces or inches, often with few decimals.
//!
//! - **Out to a carrier, round up.** What a carrier is told is what it bills against, and
//!   an under-declared weight or side comes back as a weight-discrepancy charge, while a
//!   gram or a millimetre too many costs nothing.
//! - **In from a carrier, round to nearest.** A figure a carrier reports (a charged
//!   weight) is a measurement to record faithfully, not a declaration.
//!
//! Metric figures with enough decimals are exact ([`kg`], [`cm`]): nothing to round.

/// Grams in a pound (avoirdupois, exact by definition: 0.45359237 kg).
const GRAMS_PER_LB: f64 = 453.592_37;
/// Grams in an ounce (1/16 lb).
const GRAMS_PER_OZ: f64 = GRAMS_PER_LB / 16.0;
/// Millimetres in an inch (exact by definition).
const MM_PER_IN: f64 = 25.4;

/// Grams as kilograms, exactly (three decimals at most).
pub fn kg(grams: u32) -> f64 {
    f64::from(grams) / 1000.0
}

/// Grams as kilogram text without trailing zeros: `500` → `0.5`, `1234` → `1.234`.
pub fn kg_text(grams: u32) -> String {
    let (whole, frac) = (grams / 1000, grams % 1000);
    if frac == 0 {
        return whole.to_string();
    }
    let frac = format!("{frac:03}");
    format!("{whole}.{}", frac.trim_end_matches('0'))
}

/// Millimetres as centimetres, exactly (one decimal at most).
pub fn cm(mm: u32) -> f64 {
    f64::from(mm) / 10.0
}

/// Millimetres as whole centimetres, rounded up, at least 1 (for carriers that take
/// integers only).
pub fn whole_cm(mm: u32) -> u32 {
    mm.div_ceil(10).max(1)
}

/// Grams as pounds with `decimals` places, rounded up.
pub fn lb(grams: u32, decimals: u8) -> f64 {
    up(f64::from(grams) / GRAMS_PER_LB, decimals)
}

/// Grams as ounces with `decimals` places, rounded up.
pub fn oz(grams: u32, decimals: u8) -> f64 {
    up(f64::from(grams) / GRAMS_PER_OZ, decimals)
}

/// Millimetres as inches with `decimals` places, rounded up.
pub fn inches(mm: u32, decimals: u8) -> f64 {
    up(f64::from(mm) / MM_PER_IN, decimals)
}

/// A carrier's kilograms as grams, to the nearest gram; `None` when negative, not finite
/// or beyond `u32`.
pub fn grams_from_kg(kg: f64) -> Option<u32> {
    nearest(kg * 1000.0)
}

/// A carrier's pounds as grams, to the nearest gram.
pub fn grams_from_lb(lb: f64) -> Option<u32> {
    nearest(lb * GRAMS_PER_LB)
}

/// A carrier's ounces as grams, to the nearest gram.
pub fn grams_from_oz(oz: f64) -> Option<u32> {
    nearest(oz * GRAMS_PER_OZ)
}

/// A carrier's centimetres as millimetres, to the nearest millimetre.
pub fn mm_from_cm(cm: f64) -> Option<u32> {
    nearest(cm * 10.0)
}

/// A carrier's inches as millimetres, to the nearest millimetre.
pub fn mm_from_in(inches: f64) -> Option<u32> {
    nearest(inches * MM_PER_IN)
}

/// Rounds up at `decimals` places. The tiny tolerance keeps a value that is exact in
/// decimal but not in binary (1.1 stored as 1.1000000000000001) from going up a step.
fn up(value: f64, decimals: u8) -> f64 {
    let scale = 10f64.powi(i32::from(decimals));
    ((value * scale) - 1e-9).ceil().max(0.0) / scale
}

fn nearest(value: f64) -> Option<u32> {
    let rounded = value.round();
    (rounded.is_finite() && (0.0..=f64::from(u32::MAX)).contains(&rounded))
        .then_some(rounded as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_is_exact() {
        assert_eq!(kg(500), 0.5);
        assert_eq!(kg(1234), 1.234);
        assert_eq!(kg_text(500), "0.5");
        assert_eq!(kg_text(1234), "1.234");
        assert_eq!(kg_text(2000), "2");
        assert_eq!(kg_text(10), "0.01");
        assert_eq!(cm(155), 15.5);
        assert_eq!(whole_cm(151), 16);
        assert_eq!(whole_cm(150), 15);
        assert_eq!(whole_cm(0), 1);
    }

    #[test]
    fn out_to_imperial_rounds_up() {
        // 500 g = 1.1023 lb: 1.2 at one decimal, never 1.1.
        assert_eq!(lb(500, 1), 1.2);
        assert_eq!(lb(500, 2), 1.11);
        // 999.9994 lb: the next whole pound.
        assert_eq!(lb(453_592, 0), 1000.0);
        assert_eq!(lb(454, 1), 1.1);
        assert_eq!(oz(100, 1), 3.6);
        assert_eq!(inches(254, 1), 10.0);
        assert_eq!(inches(255, 1), 10.1);
        assert_eq!(lb(0, 1), 0.0);
    }

    #[test]
    fn in_from_a_carrier_rounds_to_nearest() {
        assert_eq!(grams_from_kg(0.5), Some(500));
        assert_eq!(grams_from_kg(1.2344), Some(1234));
        assert_eq!(grams_from_kg(1.2346), Some(1235));
        assert_eq!(grams_from_lb(1.0), Some(454));
        assert_eq!(grams_from_oz(1.0), Some(28));
        assert_eq!(mm_from_cm(15.55), Some(156));
        assert_eq!(mm_from_in(1.0), Some(25));
        assert_eq!(grams_from_kg(-1.0), None);
        assert_eq!(grams_from_kg(f64::NAN), None);
        assert_eq!(grams_from_kg(1e12), None);
    }
}
