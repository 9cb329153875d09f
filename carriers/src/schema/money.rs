use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Violations;

/// ISO 4217 currency code, upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[schema(value_type = String, example = "INR")]
pub struct Currency(String);

impl Currency {
    pub fn inr() -> Self {
        Currency("INR".into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn parse(s: &str) -> Option<Self> {
        (s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase())).then(|| Currency(s.into()))
    }
}

/// An amount in integer minor units (paise for INR) with its currency. Floats never carry
/// money in shipgate: carriers' decimal rupee strings are converted at the adapter edge.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub struct Money {
    /// Integer minor units (for INR: paise).
    #[schema(example = 49900)]
    pub amount: i64,
    pub currency: Currency,
}

impl Money {
    /// The largest amount, in minor units, shipgate reads from outside: 10^15 paise is
    /// ten trillion rupees, far beyond any parcel's value or price, yet summing thousands
    /// of such amounts still fits in an `i64`. A request amount over it is refused
    /// (`too_large`); a carrier's figure over it is unreadable rather than wrapped or
    /// saturated. (Rate-card quotes are computed in 128 bits and checked on their own.)
    pub const MAX_AMOUNT: i64 = 1_000_000_000_000_000;

    pub fn inr(paise: i64) -> Self {
        Money {
            amount: paise,
            currency: Currency::inr(),
        }
    }

    /// Converts a carrier's decimal major-unit amount (`"123.45"`, `123.4`, `"1,234.5"`)
    /// to minor units, rounding half away from zero at the second decimal. `None` for
    /// anything that is not such a number or is beyond [`Money::MAX_AMOUNT`].
    pub fn from_major_str(text: &str, currency: Currency) -> Option<Self> {
        let cleaned: String = text.trim().chars().filter(|c| *c != ',').collect();
        if cleaned.is_empty() {
            return None;
        }
        let (neg, digits) = match cleaned.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, cleaned.as_str()),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if int.is_empty() && frac.is_empty()
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let int: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
        let mut frac_digits = frac.bytes().map(|b| (b - b'0') as i64);
        let d1 = frac_digits.next().unwrap_or(0);
        let d2 = frac_digits.next().unwrap_or(0);
        let d3 = frac_digits.next().unwrap_or(0);
        // Checked: a carrier (or a fuzzer) can send 19 nines, and `int * 100 + 99` must
        // not wrap (release) or panic (debug) on the way to being refused.
        let minor = int
            .checked_mul(100)?
            .checked_add(d1 * 10 + d2 + i64::from(d3 >= 5))?;
        if minor > Self::MAX_AMOUNT {
            return None;
        }
        Some(Money {
            amount: if neg { -minor } else { minor },
            currency,
        })
    }

    /// Like [`Money::from_major_str`] for a float; `None` when it is not finite or beyond
    /// [`Money::MAX_AMOUNT`] (an `as` cast would saturate it silently to `i64::MAX`).
    pub fn from_major_f64(value: f64, currency: Currency) -> Option<Self> {
        let minor = (value * 100.0).round();
        (minor.is_finite() && minor.abs() <= Self::MAX_AMOUNT as f64).then_some(Money {
            amount: minor as i64,
            currency,
        })
    }

    /// Decimal major units as carriers want them on the wire (`"499.00"`).
    pub fn to_major_string(&self) -> String {
        let sign = if self.amount < 0 { "-" } else { "" };
        let abs = self.amount.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    pub fn to_major_f64(&self) -> f64 {
        self.amount as f64 / 100.0
    }

    pub(crate) fn check(&self, v: &mut Violations, pointer: &str, positive: bool) {
        if Currency::parse(self.currency.as_str()).is_none() {
            v.add(
                format!("{pointer}/currency"),
                "invalid_currency",
                "an ISO 4217 code such as INR",
            );
        }
        if self.amount < 0 || (positive && self.amount == 0) {
            v.add(
                format!("{pointer}/amount"),
                if positive { "not_positive" } else { "negative" },
                "amount is in integer minor units and must be positive",
            );
        } else if self.amount > Self::MAX_AMOUNT {
            // Beyond the cap, sums over parcels (and carriers' arithmetic) could overflow.
            v.add(
                format!("{pointer}/amount"),
                "too_large",
                format!("at most {} minor units", Self::MAX_AMOUNT),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_strings_become_minor_units() {
        let m = |s| Money::from_major_str(s, Currency::inr()).map(|m| m.amount);
        assert_eq!(m("123.45"), Some(12345));
        assert_eq!(m("1,234.5"), Some(123450));
        assert_eq!(m("99"), Some(9900));
        assert_eq!(m("0.005"), Some(1));
        assert_eq!(m("-10.10"), Some(-1010));
        assert_eq!(m("abc"), None);
        assert_eq!(m("10000000000000.00"), Some(Money::MAX_AMOUNT));
        assert_eq!(m("10000000000000.01"), None);
        assert_eq!(m(""), None);
        assert_eq!(Money::inr(49900).to_major_string(), "499.00");
        assert_eq!(Money::inr(5).to_major_string(), "0.05");
    }
}
