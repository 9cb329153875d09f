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

/// Where a call to `path` goes: below the account's base URL when `single_host` (the
/// path alone), else on the carrier's `host` for that service.
pub fn url(single_host: bool, host: &str, path: &str) -> String {
    match single_host {
        true => path.to_string(),
        false => format!("{host}{path}"),
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
    fn a_url_is_the_path_alone_on_one_host() {
        assert_eq!(url(true, "https://api.example.in", "/v1/x"), "/v1/x");
        assert_eq!(
            url(false, "https://api.example.in", "/v1/x"),
            "https://api.example.in/v1/x"
        );
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
