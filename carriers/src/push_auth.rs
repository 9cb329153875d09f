//! Checking the credentials a carrier push carries: a shared token in a header, or an
//! HMAC-SHA256 signature of the body. Which checks apply to which carrier, and where the
//! values come from, is the gateway's business (`src/webhooks/auth.rs`); this is only
//! the reading and comparing of the untrusted header values.
//!
//! It lives in this crate, with no HTTP types, so that the fuzz targets (`fuzz/`) can
//! drive exactly the code that reads those headers.
//!
//! Secrets are compared in constant time: the token through SHA-256 digests (so not even
//! its length leaks), the signature by the MAC's own verification.

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Equality that takes the same time wherever the inputs differ.
fn constant_time_eq(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether a header value carries the token whose SHA-256 is `expected`: as the whole
/// value, or after an auth scheme (`Bearer …`, `Token …`), since a carrier configured to
/// send `Authorization` may add one.
pub fn token_matches(given: &[u8], expected: &[u8; 32]) -> bool {
    let exact = constant_time_eq(&sha256(given), expected);
    let after_scheme = std::str::from_utf8(given)
        .ok()
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| {
            scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("token")
        })
        .is_some_and(|(_, rest)| constant_time_eq(&sha256(rest.trim().as_bytes()), expected));
    exact | after_scheme
}

/// Whether `given` is the HMAC-SHA256 of `body` under `secret`, as lower- or upper-case
/// hex or base64, optionally prefixed `sha256=`.
pub fn signature_matches(secret: &[u8], given: &str, body: &[u8]) -> bool {
    let given = given.trim();
    let given = given.strip_prefix("sha256=").unwrap_or(given);
    let Some(signature) = hex::decode(given)
        .ok()
        .or_else(|| base64::engine::general_purpose::STANDARD.decode(given).ok())
    else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&signature).is_ok()
}

/// The signature expected for `body`, as lower-case hex (for tests and for operators
/// setting up a signing proxy).
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}
