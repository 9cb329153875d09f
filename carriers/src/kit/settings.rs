//! Reading an adapter's settings beyond the required ones ([`crate::carrier::setting`]):
//! an optional value, and the `hosts` switch between a carrier's own per-service hosts
//! and the account's one base URL (the sandbox, a proxy).

use crate::carrier::Settings;
use crate::kit::lenient::trimmed;

/// The setting `key`, trimmed; `None` when it is missing or blank.
pub fn optional(settings: &Settings, key: &str) -> Option<String> {
    settings
        .get(key)
        .and_then(|v| trimmed(Some(v)))
        .map(str::to_string)
}

/// The `hosts` setting: `base` sends every call to the account's base URL (`true`);
/// missing or `own` (the carrier's own name, `xpressbees`) its own hosts (`false`);
/// anything else is refused, naming both words.
pub fn single_host(settings: &Settings, own: &str) -> Result<bool, String> {
    match optional(settings, "hosts").as_deref() {
        None => Ok(false),
        Some("base") => Ok(true),
        Some(other) if other == own => Ok(false),
        Some(other) => Err(format!(
            "setting `hosts`: `{other}` is neither `base` nor `{own}`"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> Settings {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn optional_is_trimmed_and_blank_is_none() {
        let s = settings(&[("a", "  x "), ("b", "   ")]);
        assert_eq!(optional(&s, "a").as_deref(), Some("x"));
        assert_eq!(optional(&s, "b"), None);
        assert_eq!(optional(&s, "c"), None);
    }

    #[test]
    fn hosts_switch() {
        assert_eq!(single_host(&settings(&[]), "dtdc"), Ok(false));
        assert_eq!(single_host(&settings(&[("hosts", " ")]), "dtdc"), Ok(false));
        assert_eq!(
            single_host(&settings(&[("hosts", "dtdc")]), "dtdc"),
            Ok(false)
        );
        assert_eq!(
            single_host(&settings(&[("hosts", " base ")]), "dtdc"),
            Ok(true)
        );
        assert_eq!(
            single_host(&settings(&[("hosts", "proxy")]), "dtdc"),
            Err("setting `hosts`: `proxy` is neither `base` nor `dtdc`".to_string())
        );
    }
}
