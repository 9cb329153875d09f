//! Standard Webhooks signatures and secrets.
//!
//! A message is signed as `HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")`,
//! sent as `webhook-signature: v1,<base64>`; while a secret is being rotated the header
//! carries one `v1,…` per secret, space-separated, so a receiver that still has the old
//! secret and one that already has the new one both verify. Secrets are `whsec_` plus the
//! base64 of 32 random bytes, the form the Standard Webhooks libraries read directly.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use rand::RngCore;
use sha2::Sha256;

const PREFIX: &str = "whsec_";
/// Key length of a new secret: the HMAC-SHA256 block's worth of entropy is more than
/// enough; 32 bytes is what the specification recommends at least.
const KEY_BYTES: usize = 32;

/// A signing secret as shown to the endpoint's owner (`whsec_…`).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(whsec_…)")
    }
}

impl Secret {
    pub fn generate() -> Secret {
        let mut key = [0u8; KEY_BYTES];
        rand::rng().fill_bytes(&mut key);
        Secret(format!("{PREFIX}{}", STANDARD.encode(key)))
    }

    /// A stored secret; `None` if it is not `whsec_<base64>`.
    pub fn parse(text: &str) -> Option<Secret> {
        let key = STANDARD.decode(text.strip_prefix(PREFIX)?).ok()?;
        (!key.is_empty()).then(|| Secret(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn key(&self) -> Vec<u8> {
        STANDARD
            .decode(&self.0[PREFIX.len()..])
            .expect("checked when made")
    }

    /// `v1,<base64 signature>` of one message.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key()).expect("any key length");
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
    }
}

/// The `webhook-signature` header value: one signature per secret, current first.
pub fn signature_header(secrets: &[&Secret], id: &str, timestamp: i64, body: &[u8]) -> String {
    secrets
        .iter()
        .map(|s| s.sign(id, timestamp, body))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `header` carries a valid `v1` signature by `secret` (constant-time compare).
/// The gateway does not receive its own webhooks; this is the check a receiver makes, kept
/// here so the signing above is tested against it.
pub fn verify(secret: &Secret, header: &str, id: &str, timestamp: i64, body: &[u8]) -> bool {
    let mut mac = Hmac::<Sha256>::new_from_slice(&secret.key()).expect("any key length");
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    header
        .split(' ')
        .filter_map(|s| s.strip_prefix("v1,"))
        .filter_map(|b64| STANDARD.decode(b64).ok())
        .any(|sig| mac.clone().verify_slice(&sig).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_specifications_example_signs_as_published() {
        // The example of the Standard Webhooks specification (and its libraries' tests).
        let secret = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let body = br#"{"test": 2432232314}"#;
        assert_eq!(
            secret.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn rotation_signs_with_both_and_either_verifies() {
        let (old, new) = (Secret::generate(), Secret::generate());
        assert_ne!(old, new);
        assert!(new.as_str().starts_with("whsec_"));
        let header = signature_header(&[&new, &old], "msg_1", 1_700_000_000, b"{}");
        assert_eq!(header.split(' ').count(), 2);
        assert!(verify(&old, &header, "msg_1", 1_700_000_000, b"{}"));
        assert!(verify(&new, &header, "msg_1", 1_700_000_000, b"{}"));
        assert!(!verify(&new, &header, "msg_1", 1_700_000_001, b"{}"));
        assert!(!verify(
            &Secret::generate(),
            &header,
            "msg_1",
            1_700_000_000,
            b"{}"
        ));
        assert!(Secret::parse("whsec_").is_none());
        assert!(Secret::parse("nope").is_none());
    }
}
