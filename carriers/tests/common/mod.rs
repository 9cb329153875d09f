//! Shared helpers for replay tests.

#![allow(dead_code)]

use std::path::PathBuf;

/// The real carrier payloads in `../shared/carrier-samples/<carrier>`, beside the
/// checkout. Outside CI they may be absent and the replay tests skip; in CI (`CI` set)
/// their absence is a failure, so a broken checkout cannot pass by skipping.
pub fn samples_dir(carrier: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/carrier-samples")
        .join(carrier);
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "{} is missing: CI must have ../shared/carrier-samples beside the checkout",
            dir.display()
        );
    }
    eprintln!("skipping: {} not found", dir.display());
    None
}

pub fn sample(carrier: &str, file: &str) -> Option<Vec<u8>> {
    let path = samples_dir(carrier)?.join(file);
    Some(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// The project's own fixtures in `fixtures/<carrier>/`.
pub fn fixture(carrier: &str, file: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures")
        .join(carrier)
        .join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn fixtures_dir(carrier: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures")
        .join(carrier)
}
