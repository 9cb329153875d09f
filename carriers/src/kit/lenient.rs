//! JSON scalars of unreliable type.
//!
//! Carriers built on loosely typed stacks send the same field as a number in one answer
//! and a string in the next (`"pin": 135001` / `"pin": "135001"`, amounts, ids, status
//! codes), booleans as `"Y"` or `1`, an empty object as `[]`, and `"NA"` for nothing.
//! [`Loose`] reads any of those as the text written (a number's exact digits, so
//! `123.9` never passes through a float), and its accessors say what it means. Money is
//! read in the currency the caller names: no parser here assumes rupees.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::schema::{Currency, Money};

/// A JSON scalar read as text: strings trimmed, numbers as their shortest decimal text
/// (`123.90` → `123.9`, never a float's `123.90000000000001`), `true`/`false` as
/// `1`/`0`; `null`, arrays and objects carry no scalar and read as empty.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Loose(pub String);

impl Loose {
    /// The text, unless empty or a placeholder for nothing (`NA`, `null`).
    pub fn known(&self) -> Option<&str> {
        let s = self.0.trim();
        (!s.is_empty() && !s.eq_ignore_ascii_case("na") && !s.eq_ignore_ascii_case("null"))
            .then_some(s)
    }

    /// The value as an amount in `currency`'s major unit (`"760.95"` rupees → 76,095
    /// paise), exactly.
    pub fn money(&self, currency: Currency) -> Option<Money> {
        Money::from_major_str(self.known()?, currency)
    }

    /// The value as a flag: `1`, `true`, `Y`, `yes` and `0`, `false`, `N`, `no`, any case.
    pub fn flag(&self) -> Option<bool> {
        match self.0.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "y" | "yes" => Some(true),
            "0" | "false" | "n" | "no" => Some(false),
            _ => None,
        }
    }

    /// Whether the value is a flag that is set.
    pub fn is_set(&self) -> bool {
        self.flag() == Some(true)
    }

    /// The value as a number.
    pub fn number(&self) -> Option<f64> {
        self.known()?.parse().ok().filter(|n: &f64| n.is_finite())
    }
}

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(s) => Loose(s.trim().to_string()),
            Value::Number(n) => Loose(n.to_string()),
            Value::Bool(b) => Loose(if b { "1" } else { "0" }.into()),
            Value::Null | Value::Array(_) | Value::Object(_) => Loose::default(),
        })
    }
}

/// The known text of an optional field (see [`Loose::known`]).
pub fn known(field: &Option<Loose>) -> Option<&str> {
    field.as_ref().and_then(Loose::known)
}

/// The trimmed text of an optional string field, unless empty or `NA`.
pub fn text(field: &Option<String>) -> Option<&str> {
    field
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty() && !s.eq_ignore_ascii_case("na"))
}

/// The trimmed text, unless empty.
pub fn trimmed(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

/// A text field of unreliable type, for a `#[serde(default)]` struct: a string (trimmed),
/// number or flag as its text (`true`/`false`); empty, `null`, arrays and objects as
/// nothing. `NA` stays text: only a carrier that uses it for nothing reads it so.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text(pub Option<String>);

impl Text {
    pub fn get(&self) -> Option<&str> {
        self.0.as_deref()
    }

    /// The text, or `""` when there is none.
    pub fn or_empty(&self) -> String {
        self.0.clone().unwrap_or_default()
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Text(match Option::<Value>::deserialize(d)? {
            Some(Value::String(s)) => trimmed(Some(&s)).map(str::to_string),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::Bool(b)) => Some(b.to_string()),
            _ => None,
        }))
    }
}

/// A flag field (see [`Loose::flag`]) for a `#[serde(default)]` struct; anything else,
/// or nothing, is neither set nor unset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flag(pub Option<bool>);

impl Flag {
    pub fn is_set(self) -> bool {
        self.0 == Some(true)
    }
}

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Flag(Loose::deserialize(d)?.flag()))
    }
}

/// A JSON amount in `currency`'s major unit (`123.9`, `"760.95"`), exactly when the
/// decimal text is there.
pub fn money(value: &Value, currency: Currency) -> Option<Money> {
    match value {
        Value::Number(n) => Money::from_major_str(&n.to_string(), currency.clone())
            .or_else(|| Money::from_major_f64(n.as_f64()?, currency)),
        Value::String(s) => Money::from_major_str(s, currency),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loose(json: &str) -> Loose {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn scalars_read_as_text_and_the_rest_as_nothing() {
        assert_eq!(loose("135001").0, "135001");
        assert_eq!(loose(r#"" 135001 ""#).0, "135001");
        // serde_json keeps a number's shortest text: 123.90 is 123.9, never
        // 123.90000000000001.
        assert_eq!(loose("123.90").0, "123.9");
        assert_eq!(loose("true").0, "1");
        for nothing in ["null", "[]", "{}", r#""NA""#, r#""""#, r#""null""#] {
            assert_eq!(loose(nothing).known(), None, "{nothing}");
        }
    }

    #[test]
    fn money_takes_the_currency_named() {
        let usd = Currency::parse("USD").unwrap();
        assert_eq!(
            loose(r#""760.95""#).money(usd.clone()),
            Some(Money {
                amount: 76_095,
                currency: usd.clone()
            })
        );
        assert_eq!(
            loose("123.9").money(Currency::inr()).unwrap().amount,
            12_390
        );
        assert_eq!(loose(r#""NA""#).money(usd.clone()), None);
        assert_eq!(
            money(&serde_json::json!(123.9), usd.clone()),
            Some(Money {
                amount: 12_390,
                currency: usd.clone()
            })
        );
        assert_eq!(money(&serde_json::json!("x"), usd), None);
    }

    #[test]
    fn flags_and_numbers() {
        for yes in ["1", "true", r#""Y""#, r#""Yes""#, r#""TRUE""#] {
            assert_eq!(loose(yes).flag(), Some(true), "{yes}");
        }
        for no in ["0", "false", r#""n""#, r#""No""#] {
            assert_eq!(loose(no).flag(), Some(false), "{no}");
        }
        assert_eq!(loose(r#""maybe""#).flag(), None);
        assert_eq!(loose(r#""1.5""#).number(), Some(1.5));
        assert_eq!(loose(r#""NaN""#).number(), None);
    }

    #[test]
    fn field_readers() {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Row {
            pin: Text,
            cod: Flag,
        }
        let row: Row = serde_json::from_str(r#"{"pin": 560001, "cod": "Y"}"#).unwrap();
        assert_eq!((row.pin.get(), row.cod), (Some("560001"), Flag(Some(true))));
        let row: Row = serde_json::from_str(r#"{"pin": [], "cod": null}"#).unwrap();
        assert_eq!((row.pin.get(), row.cod.0), (None, None));
        let row: Row = serde_json::from_str(r#"{"pin": "  ", "cod": "maybe"}"#).unwrap();
        assert_eq!((row.pin.get(), row.cod.is_set()), (None, false));
        let row: Row = serde_json::from_str(r#"{"pin": " NA ", "cod": 1}"#).unwrap();
        assert_eq!((row.pin.get(), row.cod.is_set()), (Some("NA"), true));
        let row: Row = serde_json::from_str(r#"{"pin": true}"#).unwrap();
        assert_eq!((row.pin.or_empty().as_str(), row.cod.0), ("true", None));
        assert_eq!(Row::default().pin.or_empty(), "");
        assert_eq!(text(&Some(" NA ".into())), None);
        assert_eq!(trimmed(Some(" x ")), Some("x"));
        assert_eq!(trimmed(Some(" ")), None);
        assert_eq!(known(&Some(Loose("x".into()))), Some("x"));
    }
}
