use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Violations;

/// An active ISO 4217 currency code, upper case (see [`Currency::parse`]).
// The schema's pattern is looser than `Currency::parse` (three upper-case letters, not
// only the active codes): requests are checked against the table when parsed.
#[derive(Clone, ToSchema)]
#[schema(value_type = String, example = "INR", pattern = "^[A-Z]{3}$")]
pub struct Currency(Code);

/// A code of the table is its static entry, so copying money (a quote has one per
/// breakdown line) allocates nothing; anything else read is kept as given, for the
/// violation that names it.
#[derive(Clone)]
enum Code {
    Known(&'static str, u8),
    Other(Box<str>),
}

impl Currency {
    pub fn inr() -> Self {
        Currency(Code::Known("INR", 2))
    }
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Code::Known(code, _) => code,
            Code::Other(code) => code,
        }
    }
    /// An active ISO 4217 alphabetic code, written in upper case (`INR`, not `inr`);
    /// `None` for anything else, three letters or not (`ZZZ`, `BGN` since the euro).
    pub fn parse(s: &str) -> Option<Self> {
        super::iso4217::lookup(s).map(|(code, exponent)| Currency(Code::Known(code, exponent)))
    }

    /// `s` as read from a request or from storage: checked later ([`Money::check`]).
    fn read(s: &str) -> Self {
        Currency::parse(s).unwrap_or_else(|| Currency(Code::Other(s.into())))
    }

    /// The currency's minor-unit exponent, as ISO 4217 gives it: how many decimal places
    /// its minor unit is (2 for INR paise, 0 for JPY, 3 for KWD). `None` only for a
    /// currency that did not come through [`Currency::parse`] (read back from storage
    /// unchecked) and is not in the table.
    pub fn minor_unit_exponent(&self) -> Option<u8> {
        match self.0 {
            Code::Known(_, exponent) => Some(exponent),
            Code::Other(_) => None,
        }
    }

    /// The exponent amounts are converted with: the table's, or 2 (the most common) for a
    /// code read back unchecked that is not in it, so a conversion never fails on it.
    pub(crate) fn exponent(&self) -> u8 {
        self.minor_unit_exponent().unwrap_or(2)
    }

    /// `amount` minor units of this currency in decimal major units ([`Money::major`]).
    pub fn major(&self, amount: i64) -> Major {
        Major {
            amount,
            exponent: self.exponent(),
        }
    }
}

impl PartialEq for Currency {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Currency {}

impl std::hash::Hash for Currency {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl std::fmt::Debug for Currency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Currency").field(&self.as_str()).finish()
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Currency;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, code: &str) -> Result<Currency, E> {
                Ok(Currency::read(code))
            }
        }
        d.deserialize_str(Visitor)
    }
}

/// Why amounts could not be added up ([`Money::checked_sum`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SumError {
    #[error("the amounts are in more than one currency")]
    MixedCurrencies,
    #[error("the amounts add up to more than {} minor units", Money::MAX_AMOUNT)]
    OutOfRange,
}

/// An amount in integer minor units of its currency, as ISO 4217 counts them (paise for
/// INR, cents for USD, yen for JPY, fils for KWD: 2, 2, 0 and 3 decimals). Floats never carry
/// money in shipgate: carriers' decimal rupee strings are converted at the adapter edge.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub struct Money {
    /// Integer minor units (for INR: paise).
    #[schema(example = 49900)]
    pub amount: i64,
    pub currency: Currency,
}

// The schema of a request's declared value: a `Money` whose amount is 0 to
// `Money::MAX_AMOUNT`, what `Money::check` lets through. Only the OpenAPI document uses
// it: the field is read as a `Money` and checked when the request is parsed.
/// An amount as a request gives it, `{amount, currency}` like `Money`: 0 to 10^15 minor
/// units of an active ISO 4217 currency.
#[derive(ToSchema)]
pub struct DeclaredValue {
    /// Integer minor units (for INR: paise), 0 to 10^15.
    #[schema(example = 49900, minimum = 0, maximum = 1000000000000000i64)]
    pub amount: i64,
    /// An active ISO 4217 code, upper case.
    pub currency: Currency,
}

// The schema of a request's COD amount: a `Money` whose amount is 1 to `Money::MAX_AMOUNT`,
// what `Money::check` lets through for a positive amount. Only the OpenAPI document uses
// it.
/// The amount a courier collects, `{amount, currency}` like `Money`: 1 to 10^15 minor
/// units of an active ISO 4217 currency.
#[derive(ToSchema)]
pub struct CodAmount {
    /// Integer minor units (for INR: paise), 1 to 10^15.
    #[schema(example = 49900, minimum = 1, maximum = 1000000000000000i64)]
    pub amount: i64,
    /// An active ISO 4217 code, upper case.
    pub currency: Currency,
}

impl Money {
    /// The largest amount, in minor units, shipgate reads from outside: 10^15 paise is
    /// ten trillion rupees, far beyond any parcel's value or price, yet summing thousands
    /// of such amounts still fits in an `i64`. A request amount over it is refused
    /// (`too_large`); a carrier's figure over it is unreadable rather than wrapped or
    /// saturated, and a rate-card quote with a line or total over it fails
    /// (`amount_out_of_range`) rather than being quoted.
    pub const MAX_AMOUNT: i64 = 1_000_000_000_000_000;

    pub fn inr(paise: i64) -> Self {
        Money {
            amount: paise,
            currency: Currency::inr(),
        }
    }

    /// Converts a carrier's decimal major-unit amount (`"123.45"`, `123.4`, `"1,234.5"`)
    /// to minor units of `currency`, with its ISO 4217 exponent (`"499.5"` is 49950 paise,
    /// `"1500"` yen is 1500, `"1.2345"` KWD is 1235 fils), rounding half away from zero at
    /// the last decimal the currency has. `None` for anything that is not such a number or
    /// is beyond [`Money::MAX_AMOUNT`].
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
        let exponent = currency.exponent();
        let mut frac_digits = frac.bytes().map(|b| i64::from(b - b'0'));
        let mut minor = int;
        // Checked: a carrier (or a fuzzer) can send 19 nines, and `int * 100 + 99` must
        // not wrap (release) or panic (debug) on the way to being refused.
        for _ in 0..exponent {
            minor = minor
                .checked_mul(10)?
                .checked_add(frac_digits.next().unwrap_or(0))?;
        }
        minor = minor.checked_add(i64::from(frac_digits.next().unwrap_or(0) >= 5))?;
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
        let minor = (value * 10f64.powi(i32::from(currency.exponent()))).round();
        (minor.is_finite() && minor.abs() <= Self::MAX_AMOUNT as f64).then_some(Money {
            amount: minor as i64,
            currency,
        })
    }

    /// `self + other`, or `None` when the currencies differ or the sum is beyond
    /// [`Money::MAX_AMOUNT`] either way: a sum is never wrapped, saturated or mixed.
    pub fn checked_add(&self, other: &Money) -> Option<Money> {
        if self.currency != other.currency {
            return None;
        }
        let amount = self.amount.checked_add(other.amount)?;
        (amount.unsigned_abs() <= Self::MAX_AMOUNT.unsigned_abs()).then(|| Money {
            amount,
            currency: self.currency.clone(),
        })
    }

    /// The sum of `items`: `Ok(None)` for none, `Err` when they are in more than one
    /// currency or add up to more than [`Money::MAX_AMOUNT`] (either way).
    pub fn checked_sum<'a>(
        items: impl IntoIterator<Item = &'a Money>,
    ) -> Result<Option<Money>, SumError> {
        let mut total: Option<Money> = None;
        for item in items {
            total = Some(match total {
                None => item.clone(),
                Some(t) if t.currency != item.currency => return Err(SumError::MixedCurrencies),
                Some(t) => t.checked_add(item).ok_or(SumError::OutOfRange)?,
            });
        }
        // A lone item is its own sum, but still has to be within the cap.
        match total {
            Some(t) if t.amount.unsigned_abs() > Self::MAX_AMOUNT.unsigned_abs() => {
                Err(SumError::OutOfRange)
            }
            total => Ok(total),
        }
    }

    /// Decimal major units as carriers want them on the wire, with as many decimals as
    /// the currency's ISO 4217 exponent: `"499.00"` (INR), `"1500"` (JPY), `"1.235"` (KWD).
    pub fn to_major_string(&self) -> String {
        self.major().to_string()
    }

    /// [`Money::to_major_string`] without the string: written straight into whatever
    /// formats it, so a quote's breakdown sentences cost one allocation each, not one per
    /// amount in them.
    pub fn major(&self) -> Major {
        self.currency.major(self.amount)
    }

    /// Major units as a float, for carriers whose JSON wants a number (`499.0`, `1500.0`
    /// yen, `1.235` dinars).
    pub fn to_major_f64(&self) -> f64 {
        self.amount as f64 / 10f64.powi(i32::from(self.currency.exponent()))
    }

    pub(crate) fn check(&self, v: &mut Violations, pointer: &str, positive: bool) {
        if Currency::parse(self.currency.as_str()).is_none() {
            v.add(
                format!("{pointer}/currency"),
                "invalid_currency",
                not_iso_4217(self.currency.as_str()),
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

/// The detail of an `invalid_currency` error: `code` is not an active ISO 4217 code.
pub(crate) fn not_iso_4217(code: &str) -> String {
    // Quoted back when short; a long string is no code anyone meant.
    if code.chars().count() <= 8 {
        format!("`{code}` is not an ISO 4217 currency code; use one such as INR (upper case)")
    } else {
        "not an ISO 4217 currency code; use one such as INR (upper case)".into()
    }
}

/// An amount in decimal major units ([`Money::major`]).
#[derive(Debug, Clone, Copy)]
pub struct Major {
    amount: i64,
    exponent: u8,
}

impl std::fmt::Display for Major {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.amount < 0 { "-" } else { "" };
        let abs = self.amount.unsigned_abs();
        if self.exponent == 0 {
            return write!(f, "{sign}{abs}");
        }
        let scale = 10u64.pow(u32::from(self.exponent));
        let width = usize::from(self.exponent);
        write!(f, "{sign}{}.{:0width$}", abs / scale, abs % scale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_are_checked_never_wrapped_or_mixed() {
        let max = Money::inr(Money::MAX_AMOUNT);
        assert_eq!(
            Money::inr(1).checked_add(&Money::inr(2)),
            Some(Money::inr(3))
        );
        assert_eq!(max.checked_add(&Money::inr(0)), Some(max.clone()));
        assert_eq!(max.checked_add(&Money::inr(1)), None);
        assert_eq!(Money::inr(i64::MAX).checked_add(&Money::inr(1)), None);
        let usd = Money {
            amount: 1,
            currency: Currency::parse("USD").unwrap(),
        };
        assert_eq!(Money::inr(1).checked_add(&usd), None);

        assert_eq!(Money::checked_sum([]), Ok(None));
        assert_eq!(
            Money::checked_sum(&[Money::inr(1), Money::inr(2), Money::inr(3)]),
            Ok(Some(Money::inr(6)))
        );
        let halves = [
            Money::inr(Money::MAX_AMOUNT / 2),
            Money::inr(Money::MAX_AMOUNT / 2),
        ];
        assert_eq!(Money::checked_sum(&halves), Ok(Some(max.clone())));
        assert_eq!(
            Money::checked_sum(&[max.clone(), Money::inr(1)]),
            Err(SumError::OutOfRange)
        );
        // Fifty amounts at the cap fit in an i64 but not under the cap.
        assert_eq!(
            Money::checked_sum(&vec![max.clone(); 50]),
            Err(SumError::OutOfRange)
        );
        assert_eq!(
            Money::checked_sum(&[Money::inr(i64::MAX)]),
            Err(SumError::OutOfRange)
        );
        assert_eq!(
            Money::checked_sum(&[Money::inr(1), usd]),
            Err(SumError::MixedCurrencies)
        );
    }

    #[test]
    fn a_currency_read_is_kept_as_given_and_compared_by_its_code() {
        let known: Currency = serde_json::from_str("\"KWD\"").unwrap();
        assert_eq!(known, Currency::parse("KWD").unwrap());
        assert_eq!(known.minor_unit_exponent(), Some(3));
        // Not a currency: kept for the violation that names it, converted with 2 decimals.
        let odd: Currency = serde_json::from_str("\"zzz\"").unwrap();
        assert_eq!(odd.as_str(), "zzz");
        assert_eq!(odd.minor_unit_exponent(), None);
        assert_eq!(odd.major(1234).to_string(), "12.34");
        assert_ne!(odd, known);
        assert_eq!(serde_json::to_string(&odd).unwrap(), "\"zzz\"");
        let set: std::collections::HashSet<Currency> =
            [known.clone(), Currency::parse("KWD").unwrap(), odd.clone()].into();
        assert_eq!(set.len(), 2, "equal codes hash alike");
        assert!(serde_json::from_str::<Currency>("5").is_err());
    }

    #[test]
    fn only_active_iso_4217_codes_are_currencies() {
        for code in ["INR", "USD", "EUR", "JPY", "KWD", "AED", "XCG", "ZWG"] {
            assert_eq!(
                Currency::parse(code).as_ref().map(Currency::as_str),
                Some(code)
            );
        }
        // Three upper-case letters are not enough.
        for code in [
            "ZZZ", "ABC", "XYZ", "QQQ", "inr", "Inr", "INR ", " INR", "IN", "INRR", "",
        ] {
            assert_eq!(Currency::parse(code), None, "{code:?}");
        }
        // Withdrawn codes and units without a minor unit.
        for code in ["ANG", "BGN", "HRK", "ZWL", "SLL", "XXX", "XTS", "XAU"] {
            assert_eq!(Currency::parse(code), None, "{code}");
        }
    }

    #[test]
    fn the_minor_unit_exponent_is_kept_per_code() {
        let exponent = |c: &str| Currency::parse(c).and_then(|c| c.minor_unit_exponent());
        assert_eq!(exponent("INR"), Some(2));
        assert_eq!(exponent("JPY"), Some(0));
        assert_eq!(exponent("KWD"), Some(3));
        assert_eq!(exponent("CLF"), Some(4));
        assert_eq!(Currency::inr().minor_unit_exponent(), Some(2));
        // A code read back unchecked (serde) that is not in the table has none.
        let stored: Currency = serde_json::from_str("\"ZZZ\"").unwrap();
        assert_eq!(stored.minor_unit_exponent(), None);
    }

    #[test]
    fn a_request_amount_in_a_made_up_currency_is_refused_at_its_pointer() {
        let mut v = Violations::default();
        let zzz = Money {
            amount: 100,
            currency: serde_json::from_str("\"ZZZ\"").unwrap(),
        };
        zzz.check(&mut v, "/payment/cod_amount", true);
        Money::inr(100).check(&mut v, "/parcels/0/declared_value", false);
        let errors = v.into_vec();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].pointer, "/payment/cod_amount/currency");
        assert_eq!(errors[0].code, "invalid_currency");
        assert!(
            errors[0].detail.contains("`ZZZ` is not an ISO 4217"),
            "{}",
            errors[0].detail
        );
    }

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

    fn money(amount: i64, code: &str) -> Money {
        Money {
            amount,
            currency: Currency::parse(code).unwrap(),
        }
    }

    #[test]
    fn conversions_use_the_currency_exponent() {
        let m = |s: &str, c: &str| {
            Money::from_major_str(s, Currency::parse(c).unwrap()).map(|m| m.amount)
        };
        // JPY has no minor unit: yen are the unit, and a fraction rounds to a whole yen.
        assert_eq!(m("1500", "JPY"), Some(1500));
        assert_eq!(m("1,500.4", "JPY"), Some(1500));
        assert_eq!(m("1500.5", "JPY"), Some(1501));
        assert_eq!(m("-2.5", "JPY"), Some(-3));
        // KWD has three decimals (fils).
        assert_eq!(m("1.234", "KWD"), Some(1234));
        assert_eq!(m("1.2345", "KWD"), Some(1235));
        assert_eq!(m("7", "KWD"), Some(7000));
        assert_eq!(m("0.1", "KWD"), Some(100));
        // CLF has four; USD two, as INR.
        assert_eq!(m("1.00005", "CLF"), Some(10001));
        assert_eq!(m("19.99", "USD"), Some(1999));
        // The cap is in minor units whatever the exponent.
        assert_eq!(m("1000000000000000", "JPY"), Some(Money::MAX_AMOUNT));
        assert_eq!(m("1000000000000001", "JPY"), None);
        assert_eq!(m("1000000000000.000", "KWD"), Some(Money::MAX_AMOUNT));
        assert_eq!(m("1000000000000.001", "KWD"), None);
        assert_eq!(m("999999999999999999", "KWD"), None);

        assert_eq!(money(1500, "JPY").to_major_string(), "1500");
        assert_eq!(money(-1500, "JPY").to_major_string(), "-1500");
        assert_eq!(money(1234, "KWD").to_major_string(), "1.234");
        assert_eq!(money(5, "KWD").to_major_string(), "0.005");
        assert_eq!(money(10001, "CLF").to_major_string(), "1.0001");
        assert_eq!(money(1999, "USD").to_major_string(), "19.99");
        assert_eq!(money(1500, "JPY").to_major_f64(), 1500.0);
        assert_eq!(money(1234, "KWD").to_major_f64(), 1.234);
        assert_eq!(
            Money::from_major_f64(1.2345, Currency::parse("KWD").unwrap()),
            Some(money(1235, "KWD"))
        );
        assert_eq!(
            Money::from_major_f64(1500.4, Currency::parse("JPY").unwrap()),
            Some(money(1500, "JPY"))
        );
        // Every amount survives the round trip in every exponent.
        for (amount, code) in [
            (0, "JPY"),
            (7, "KWD"),
            (-49900, "INR"),
            (123_456_789, "CLF"),
        ] {
            let text = money(amount, code).to_major_string();
            assert_eq!(m(&text, code), Some(amount), "{text} {code}");
        }
        // A code read back unchecked and not in the table converts with two decimals.
        let stored: Currency = serde_json::from_str("\"ZZZ\"").unwrap();
        let zzz = Money {
            amount: 12345,
            currency: stored,
        };
        assert_eq!(zzz.to_major_string(), "123.45");
    }
}
