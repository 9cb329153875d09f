//! The values carriers' JSON carries, read and written the lenient way their APIs do:
//! fields sent as text or as numbers alike, blank text as absent (Laravel's `required`),
//! and rupee amounts as JSON numbers.

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
    }

    #[test]
    fn rupees_in_each_carriers_style() {
        assert_eq!(rupees(4500).to_string(), "45.0");
        assert_eq!(rupees(405).to_string(), "4.05");
        assert_eq!(rupees_trimmed(4500).to_string(), "45");
        assert_eq!(rupees_trimmed(405).to_string(), "4.05");
    }
}
