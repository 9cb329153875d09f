//! Carrier status codes as data: `mappings/<carrier>.toml`, embedded in the binary.
//!
//! A file has a `carrier` name and one table per *kind* of code the carrier sends
//! (Delhivery has NSL codes and StatusType/Status pairs, Shiprocket has numeric status
//! ids…); each row maps a raw code to `status/sub_status`:
//!
//! ```toml
//! carrier = "delhivery"
//!
//! [codes.nsl]
//! "X-UCI" = "pre_transit/manifested"   # Manifest uploaded
//! ```
//!
//! Parsing is strict because a silently wrong mapping shows customers a wrong status:
//! unknown keys, unknown statuses, a sub-status under the wrong status and duplicate codes
//! (also after trimming and case folding, which is how codes are matched) are all errors,
//! and the gateway refuses to start on them.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use thiserror::Error;

use crate::taxonomy::Unified;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum MappingError {
    #[error("mapping file is not valid TOML or has unknown keys: {0}")]
    Syntax(String),
    #[error("mapping is for `{found}`, expected `{expected}`")]
    WrongCarrier { expected: String, found: String },
    #[error("[codes.{kind}] \"{code}\": {reason}")]
    BadRow {
        kind: String,
        code: String,
        reason: String,
    },
    #[error(
        "[codes.{kind}] maps \"{code}\" twice (codes match ignoring case and surrounding spaces)"
    )]
    Duplicate { kind: String, code: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingFile {
    carrier: String,
    codes: BTreeMap<String, BTreeMap<String, String>>,
}

/// A carrier's mapping file embedded in the binary (so it cannot start with a different
/// one): `pub const MAPPING_TOML` and `pub fn mapping()`, the parsed mapping shared by
/// every adapter instance, parsed once (an invalid file is an error, naming the file,
/// every time it is asked for). Used in a carrier's `mod.rs` beside its `ID`:
/// `crate::embedded_mapping!("fedex.toml");`.
#[macro_export]
macro_rules! embedded_mapping {
    ($file:literal) => {
        /// The status mapping file, embedded.
        pub const MAPPING_TOML: &str =
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../mappings/", $file));

        /// The parsed mapping, shared by every adapter instance and by push readers.
        pub fn mapping() -> Result<&'static $crate::mapping::Mapping, String> {
            static MAPPING: std::sync::OnceLock<Result<$crate::mapping::Mapping, String>> =
                std::sync::OnceLock::new();
            MAPPING
                .get_or_init(|| {
                    $crate::mapping::Mapping::parse(ID, MAPPING_TOML)
                        .map_err(|e| format!("mappings/{}: {e}", $file))
                })
                .as_ref()
                .map_err(Clone::clone)
        }
    };
}

#[derive(Debug, Clone)]
pub struct Mapping {
    carrier: String,
    tables: HashMap<String, HashMap<String, Unified>>,
}

fn normalise(code: &str) -> String {
    code.trim().to_lowercase()
}

impl Mapping {
    pub fn parse(carrier: &str, text: &str) -> Result<Mapping, MappingError> {
        let file: MappingFile =
            toml::from_str(text).map_err(|e| MappingError::Syntax(e.to_string()))?;
        if file.carrier != carrier {
            return Err(MappingError::WrongCarrier {
                expected: carrier.into(),
                found: file.carrier,
            });
        }
        let mut tables = HashMap::new();
        for (kind, rows) in file.codes {
            let mut table = HashMap::with_capacity(rows.len());
            for (code, target) in rows {
                let unified: Unified = target.parse().map_err(|reason| MappingError::BadRow {
                    kind: kind.clone(),
                    code: code.clone(),
                    reason,
                })?;
                if table.insert(normalise(&code), unified).is_some() {
                    return Err(MappingError::Duplicate { kind, code });
                }
            }
            tables.insert(kind, table);
        }
        Ok(Mapping {
            carrier: file.carrier,
            tables,
        })
    }

    pub fn carrier(&self) -> &str {
        &self.carrier
    }

    /// The unified status for a raw code of the given kind, if a row maps it.
    pub fn lookup(&self, kind: &str, code: &str) -> Option<Unified> {
        self.tables.get(kind)?.get(&normalise(code)).copied()
    }

    pub fn kinds(&self) -> impl Iterator<Item = &str> {
        self.tables.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_looks_up_ignoring_case() {
        let m = Mapping::parse(
            "x",
            "carrier = \"x\"\n[codes.status]\n\"In Transit\" = \"in_transit/in_transit\"\n",
        )
        .unwrap();
        assert_eq!(
            m.lookup("status", " in transit ").unwrap().to_string(),
            "in_transit/in_transit"
        );
        assert!(m.lookup("status", "Delivered").is_none());
        assert!(m.lookup("other", "In Transit").is_none());
    }

    #[test]
    fn strictness() {
        let bad = [
            "carrier = \"x\"\nextra = 1\n[codes.a]\n",
            "carrier = \"y\"\n[codes.a]\n",
            "carrier = \"x\"\n[codes.a]\n\"A\" = \"in_transit/delivered\"\n",
            "carrier = \"x\"\n[codes.a]\n\"A\" = \"moving/in_transit\"\n",
            "carrier = \"x\"\n[codes.a]\n\"A\" = \"in_transit/in_transit\"\n\"a \" = \"in_transit/in_transit\"\n",
            "carrier = \"x\"\n[codes.a]\n\"A\" = \"in_transit/in_transit\"\n\"A\" = \"in_transit/in_transit\"\n",
        ];
        for text in bad {
            assert!(Mapping::parse("x", text).is_err(), "{text}");
        }
    }
}
