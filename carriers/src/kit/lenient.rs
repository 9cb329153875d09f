//! JSON scalars of unreliable type.
//!
//! Carriers built on loosely typed stacks send the same field as a number in one answer
//! and a string in the next (`"pin": 135001` / `"pin": "135001"`, amounts, ids, status
//! codes), booleans as `"Y"` or `1`, an empty object as `[]`, and `"NA"` for nothing.
//! [`Loose`] reads any of those as the text written (a number's exact digits, so
//! `123.9` never passes through a float), and its accessors say what it means. Money is
//! read in the currency the caller names: no parser here assumes rupees.

use std::fmt;

use serde::de::value::MapAccessDeserializer;
use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
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

/// Read straight from the parser, never through a [`Value`]: answers carry hundreds of
/// these, and a nested value nobody reads is skipped, not built.
impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LooseVisitor)
    }
}

struct LooseVisitor;

impl<'de> Visitor<'de> for LooseVisitor {
    type Value = Loose;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E>(self, s: &str) -> Result<Loose, E> {
        Ok(Loose(s.trim().to_string()))
    }

    fn visit_string<E>(self, s: String) -> Result<Loose, E> {
        Ok(match s.trim() {
            t if t.len() == s.len() => Loose(s),
            t => Loose(t.to_string()),
        })
    }

    fn visit_u64<E>(self, n: u64) -> Result<Loose, E> {
        Ok(Loose(n.to_string()))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Loose, E> {
        Ok(Loose(n.to_string()))
    }

    /// As `serde_json` writes the number (shortest text that reads back the same).
    fn visit_f64<E>(self, n: f64) -> Result<Loose, E> {
        Ok(serde_json::Number::from_f64(n).map_or_else(Loose::default, |n| Loose(n.to_string())))
    }

    fn visit_bool<E>(self, b: bool) -> Result<Loose, E> {
        Ok(Loose(if b { "1" } else { "0" }.into()))
    }

    fn visit_unit<E>(self) -> Result<Loose, E> {
        Ok(Loose::default())
    }

    fn visit_none<E>(self) -> Result<Loose, E> {
        Ok(Loose::default())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Loose, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Loose, A::Error> {
        IgnoredAny.visit_seq(seq)?;
        Ok(Loose::default())
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Loose, A::Error> {
        IgnoredAny.visit_map(map)?;
        Ok(Loose::default())
    }
}

/// For `#[serde(default, deserialize_with = "php_object")]`: an object read as `T`;
/// anything else (PHP encodes an empty object as `[]`, and some answers put a string or
/// `null` where the object goes) is `None`, skipped without being built.
pub fn php_object<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct ObjectOrNothing<T>(std::marker::PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectOrNothing<T> {
        type Value = Option<T>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object, or anything standing for none")
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<T>, A::Error> {
            T::deserialize(MapAccessDeserializer::new(map)).map(Some)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Option<T>, A::Error> {
            IgnoredAny.visit_seq(seq)?;
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
            d.deserialize_any(self)
        }

        fn visit_none<E>(self) -> Result<Option<T>, E> {
            Ok(None)
        }

        fn visit_unit<E>(self) -> Result<Option<T>, E> {
            Ok(None)
        }

        fn visit_bool<E>(self, _: bool) -> Result<Option<T>, E> {
            Ok(None)
        }

        fn visit_i64<E>(self, _: i64) -> Result<Option<T>, E> {
            Ok(None)
        }

        fn visit_u64<E>(self, _: u64) -> Result<Option<T>, E> {
            Ok(None)
        }

        fn visit_f64<E>(self, _: f64) -> Result<Option<T>, E> {
            Ok(None)
        }

        fn visit_str<E>(self, _: &str) -> Result<Option<T>, E> {
            Ok(None)
        }
    }

    d.deserialize_any(ObjectOrNothing(std::marker::PhantomData))
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

    /// What `Loose` read before it had its own visitor: through a whole `Value`.
    fn through_value(json: &str) -> Loose {
        match serde_json::from_str::<Value>(json).unwrap() {
            Value::String(s) => Loose(s.trim().to_string()),
            Value::Number(n) => Loose(n.to_string()),
            Value::Bool(b) => Loose(if b { "1" } else { "0" }.into()),
            Value::Null | Value::Array(_) | Value::Object(_) => Loose::default(),
        }
    }

    #[test]
    fn reads_every_kind_of_value_as_the_value_route_did() {
        let cases = [
            "0",
            "-7",
            "18446744073709551615",
            "-9223372036854775808",
            "123.90",
            "1e3",
            "-0.0",
            "2.5E-7",
            "1.7976931348623157e308",
            r#""  x y  ""#,
            r#""\u00e9\t""#,
            r#""""#,
            "true",
            "false",
            "null",
            "[]",
            "[1,[2,{\"a\":[3]}]]",
            "{}",
            r#"{"a":{"b":[1,2,"c"]},"d":null}"#,
        ];
        for json in cases {
            assert_eq!(loose(json), through_value(json), "{json}");
        }
        // Skipped values leave the parser where the next field starts.
        #[derive(Deserialize)]
        struct Pair {
            a: Loose,
            b: Option<Loose>,
            c: Loose,
        }
        let pair: Pair =
            serde_json::from_str(r#"{"a": {"x": [1, {"y": 2}]}, "b": null, "c": " 9 "}"#).unwrap();
        assert_eq!(
            (pair.a, pair.b, pair.c.0.as_str()),
            (Loose::default(), None, "9")
        );
        // From a parsed `Value` too (answers read in two steps).
        let from_value: Loose = serde_json::from_value(serde_json::json!(" 42 ")).unwrap();
        assert_eq!(from_value.0, "42");
    }

    #[test]
    fn php_objects_are_read_and_anything_else_is_none() {
        #[derive(Deserialize, Debug, PartialEq)]
        struct Inner {
            n: u32,
        }
        #[derive(Deserialize, Debug)]
        struct Outer {
            #[serde(default, deserialize_with = "php_object")]
            data: Option<Inner>,
            after: u32,
        }
        let read = |json: &str| serde_json::from_str::<Outer>(json).map(|o| (o.data, o.after));
        assert_eq!(
            read(r#"{"data": {"n": 3}, "after": 1}"#).unwrap(),
            (Some(Inner { n: 3 }), 1)
        );
        for nothing in ["[]", "[1, {\"n\": 2}]", "null", "\"\"", "0", "1.5", "false"] {
            let json = format!(r#"{{"data": {nothing}, "after": 1}}"#);
            assert_eq!(read(&json).unwrap(), (None, 1), "{nothing}");
        }
        assert_eq!(read(r#"{"after": 1}"#).unwrap(), (None, 1));
        // An object of the wrong shape is an error, not nothing.
        assert!(read(r#"{"data": {"n": "x"}, "after": 1}"#).is_err());
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
