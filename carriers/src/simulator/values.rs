//! The values carriers' JSON carries, read and written the lenient way their APIs do:
//! fields sent as text or as numbers alike, blank text as absent (Laravel's `required`),
//! rupee amounts as JSON numbers, Indian phone numbers with or without their prefix, and
//! text escaped for XML answers.

use serde_json::{Value, json};

/// A text or number as trimmed text; blank is `None`.
pub fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Field `key` of `object` as text: see [`scalar`].
pub fn text(object: &Value, key: &str) -> Option<String> {
    object.get(key).and_then(scalar)
}

/// Field `key` of `object` as a yes or no: `true`, or the text `true` in any case.
pub fn flag(object: &Value, key: &str) -> bool {
    match object.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.trim().eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// Field `key` of `object` as a list with something in it.
pub fn list<'v>(object: &'v Value, key: &str) -> Option<&'v Vec<Value>> {
    object.get(key)?.as_array().filter(|list| !list.is_empty())
}

/// Field `key` of `object` as a number, whether sent as a number or as text.
pub fn number(object: &Value, key: &str) -> Option<f64> {
    match object.get(key)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Paise as a rupee number with a fraction always (`45.0`, `4.05`), as Delhivery writes.
pub fn rupees(paise: i64) -> Value {
    json!(paise as f64 / 100.0)
}

/// Paise as a whole rupee number where it is whole (`45`, `4.05`), as Shiprocket writes.
pub fn rupees_trimmed(paise: i64) -> Value {
    if paise % 100 == 0 {
        json!(paise / 100)
    } else {
        rupees(paise)
    }
}

/// The ten digits of an Indian mobile number written with or without `+91`, `91` or a
/// trunk `0` (and any spaces or dashes), as carriers accept it; `None` otherwise.
pub fn indian_mobile(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let national = match digits.len() {
        12 if digits.starts_with("91") => &digits[2..],
        11 if digits.starts_with('0') => &digits[1..],
        _ => &digits,
    };
    (national.len() == 10).then(|| national.to_string())
}

/// `text` escaped for an XML element.
pub fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_as_text_or_number() {
        let v = json!({"a": " x ", "b": 42, "c": "", "d": null, "e": "4.5", "f": 1.5});
        assert_eq!(text(&v, "a").as_deref(), Some("x"));
        assert_eq!(text(&v, "b").as_deref(), Some("42"));
        assert_eq!(text(&v, "c"), None, "blank is absent");
        assert_eq!(text(&v, "d"), None);
        assert_eq!(text(&v, "zz"), None);
        assert_eq!(number(&v, "e"), Some(4.5));
        assert_eq!(number(&v, "f"), Some(1.5));
        assert_eq!(number(&v, "a"), None);
        let flags = json!({"a": true, "b": " TRUE ", "c": "yes", "d": 1, "e": false});
        assert_eq!(
            ["a", "b", "c", "d", "e", "zz"].map(|k| flag(&flags, k)),
            [true, true, false, false, false, false]
        );
        let lists = json!({"a": [1], "b": [], "c": "x"});
        assert_eq!(list(&lists, "a"), Some(&vec![json!(1)]));
        for key in ["b", "c", "zz"] {
            assert_eq!(list(&lists, key), None, "{key}");
        }
    }

    #[test]
    fn rupees_in_each_carriers_style() {
        assert_eq!(rupees(4500).to_string(), "45.0");
        assert_eq!(rupees(405).to_string(), "4.05");
        assert_eq!(rupees_trimmed(4500).to_string(), "45");
        assert_eq!(rupees_trimmed(405).to_string(), "4.05");
    }

    #[test]
    fn indian_mobiles_with_or_without_prefix() {
        for given in [
            "9876543210",
            "+91 98765-43210",
            "919876543210",
            "09876543210",
        ] {
            assert_eq!(
                indian_mobile(given).as_deref(),
                Some("9876543210"),
                "{given}"
            );
        }
        for given in ["98765", "819876543210", "", "0919876543210"] {
            assert_eq!(indian_mobile(given), None, "{given}");
        }
    }

    #[test]
    fn xml_text_is_escaped() {
        assert_eq!(xml_escape("a<b>&c"), "a&lt;b&gt;&amp;c");
    }
}
