//! Secrets sealed at rest: how tenants' carrier credentials are stored (issue 16).
//!
//! Envelope encryption, as cloud key services do it: each value is encrypted with a fresh
//! 256-bit data key (XChaCha20-Poly1305: random 192-bit nonces never repeat in practice,
//! so no counter has to survive a crash), and the data key is itself encrypted ("wrapped")
//! with the master key from the environment. The sealed text names the master key that
//! wrapped it, so rotating the master key only re-wraps data keys ([`Keyring::rewrap`]):
//! no value is decrypted to disk, and processes still holding the old key read both until
//! they restart. Each value is bound to where it is stored (`context`: the account and
//! field), so a sealed value copied into another row does not open there.
//!
//! Fails closed: a wrong master key, a damaged value or a value moved between rows is an
//! error, never a guess, and the error names the key id, not a byte of any secret.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use rand::RngCore;
use zeroize::Zeroizing;

/// The version tag of the sealed format: `v1.<key id>.<wrapped data key>.<nonce>.<ciphertext>`.
const VERSION: &str = "v1";
const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    #[error(
        "master key {0:?} is not loaded; give it as SHIPGATE_MASTER_KEY, or during a rotation \
         as SHIPGATE_MASTER_KEYS_PREVIOUS"
    )]
    UnknownKey(String),
    #[error(
        "the value does not open with master key {0:?}: wrong key, damaged, or moved from another record"
    )]
    DoesNotOpen(String),
    #[error("not a sealed value: {0}")]
    Malformed(&'static str),
    #[error("invalid master key: {0}")]
    InvalidKey(String),
}

/// A master key: an id (stored beside every value it wraps) and 32 secret bytes.
pub struct MasterKey {
    id: String,
    key: Zeroizing<[u8; KEY_LEN]>,
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MasterKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl MasterKey {
    /// Reads `<id>:<base64 of 32 bytes>` (the form of `SHIPGATE_MASTER_KEY`). The id is
    /// 1 to 32 letters, digits, `-` or `_`.
    pub fn parse(text: &str) -> Result<MasterKey, SealError> {
        let (id, encoded) = text
            .trim()
            .split_once(':')
            .ok_or_else(|| SealError::InvalidKey("expected <id>:<base64 of 32 bytes>".into()))?;
        let id_ok = (1..=32).contains(&id.len())
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !id_ok {
            return Err(SealError::InvalidKey(
                "the key id is 1 to 32 letters, digits, - or _".into(),
            ));
        }
        let bytes = Zeroizing::new(
            base64::engine::general_purpose::STANDARD
                .decode(encoded.trim())
                .or_else(|_| B64.decode(encoded.trim()))
                .map_err(|_| SealError::InvalidKey(format!("key {id:?} is not base64")))?,
        );
        let key: [u8; KEY_LEN] = bytes.as_slice().try_into().map_err(|_| {
            SealError::InvalidKey(format!("key {id:?} is {} bytes, not 32", bytes.len()))
        })?;
        Ok(MasterKey {
            id: id.to_string(),
            key: Zeroizing::new(key),
        })
    }

    /// A new random key (sandbox mode, and `shipgate keys` when asked for one).
    pub fn generate(id: &str) -> MasterKey {
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        rand::rng().fill_bytes(key.as_mut());
        MasterKey {
            id: id.to_string(),
            key,
        }
    }

    /// The key in the form [`MasterKey::parse`] reads (to print once for an operator).
    pub fn export(&self) -> Zeroizing<String> {
        Zeroizing::new(format!(
            "{}:{}",
            self.id,
            base64::engine::general_purpose::STANDARD.encode(self.key.as_ref())
        ))
    }

    pub fn id(&self) -> &str {
        &self.id
    }
}

/// The master keys a process holds: the current one seals, every one opens.
#[derive(Debug)]
pub struct Keyring {
    current: MasterKey,
    previous: Vec<MasterKey>,
}

impl Keyring {
    pub fn new(current: MasterKey, previous: Vec<MasterKey>) -> Keyring {
        Keyring { current, previous }
    }

    pub fn current_id(&self) -> &str {
        &self.current.id
    }

    fn key(&self, id: &str) -> Result<&MasterKey, SealError> {
        std::iter::once(&self.current)
            .chain(&self.previous)
            .find(|k| k.id == id)
            .ok_or_else(|| SealError::UnknownKey(id.to_string()))
    }

    /// Seals `secret` for the record and field named by `context`.
    pub fn seal(&self, secret: &str, context: &str) -> String {
        let mut data_key = Zeroizing::new([0u8; KEY_LEN]);
        rand::rng().fill_bytes(data_key.as_mut());
        let value = encrypt(&data_key, secret.as_bytes(), context.as_bytes());
        let wrapped = encrypt(
            &self.current.key,
            data_key.as_ref(),
            self.current.id.as_bytes(),
        );
        format!("{VERSION}.{}.{wrapped}.{value}", self.current.id)
    }

    /// Opens a value sealed for `context`.
    pub fn open(&self, sealed: &str, context: &str) -> Result<Zeroizing<String>, SealError> {
        let parts = Parts::of(sealed)?;
        let data_key = self.data_key(&parts)?;
        let plain = decrypt(&data_key, parts.value, context.as_bytes())
            .ok_or_else(|| SealError::DoesNotOpen(parts.key_id.to_string()))?;
        String::from_utf8(plain.to_vec())
            .map(Zeroizing::new)
            .map_err(|_| SealError::Malformed("the secret is not UTF-8"))
    }

    /// The same value with its data key wrapped by the current master key (the value
    /// itself is not re-encrypted); `None` when it is wrapped by it already.
    pub fn rewrap(&self, sealed: &str) -> Result<Option<String>, SealError> {
        let parts = Parts::of(sealed)?;
        if parts.key_id == self.current.id {
            return Ok(None);
        }
        let data_key = self.data_key(&parts)?;
        let wrapped = encrypt(
            &self.current.key,
            data_key.as_ref(),
            self.current.id.as_bytes(),
        );
        Ok(Some(format!(
            "{VERSION}.{}.{wrapped}.{}",
            self.current.id, parts.value
        )))
    }

    /// The value's data key, unwrapped with the master key it names.
    fn data_key(&self, parts: &Parts<'_>) -> Result<Zeroizing<[u8; KEY_LEN]>, SealError> {
        let master = self.key(parts.key_id)?;
        let unwrapped = decrypt(&master.key, parts.wrapped, parts.key_id.as_bytes())
            .ok_or_else(|| SealError::DoesNotOpen(parts.key_id.to_string()))?;
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        if unwrapped.len() != KEY_LEN {
            return Err(SealError::Malformed("a data key of the wrong length"));
        }
        key.copy_from_slice(&unwrapped);
        Ok(key)
    }
}

/// Where a process's master keys come from, read from the environment by [`load`].
#[derive(Debug)]
pub enum Loaded {
    /// `SHIPGATE_MASTER_KEY` (or `_FILE`), with `SHIPGATE_MASTER_KEYS_PREVIOUS` (or
    /// `_FILE`: comma- or line-separated) during a rotation.
    Configured(Keyring),
    /// Sandbox mode without a key: the gateway keeps a sandbox key in its own database
    /// (so every process and restart of a sandbox opens what another sealed), and says so
    /// at start. Sandbox accounts reach only the simulators.
    SandboxKept,
    /// Live mode without a key: credentials cannot be stored.
    Missing,
}

/// Reads the master keys from `var` (the environment, in production): the key itself or
/// a file holding it, never both. A file is read whole and trimmed, so a key written by
/// an editor with a final newline works.
pub fn load(var: impl Fn(&str) -> Option<String>, sandbox: bool) -> Result<Loaded, SealError> {
    let text = |name: &str| -> Result<Option<Zeroizing<String>>, SealError> {
        let direct = var(name).filter(|v| !v.trim().is_empty());
        let file = var(&format!("{name}_FILE")).filter(|v| !v.trim().is_empty());
        match (direct, file) {
            (Some(_), Some(_)) => Err(SealError::InvalidKey(format!(
                "set {name} or {name}_FILE, not both"
            ))),
            (Some(value), None) => Ok(Some(Zeroizing::new(value))),
            (None, Some(path)) => std::fs::read_to_string(path.trim())
                .map(|v| Some(Zeroizing::new(v.trim().to_string())))
                .map_err(|e| SealError::InvalidKey(format!("{name}_FILE {path:?}: {e}"))),
            (None, None) => Ok(None),
        }
    };
    let previous = match text("SHIPGATE_MASTER_KEYS_PREVIOUS")? {
        Some(list) => list
            .split([',', '\n'])
            .filter(|k| !k.trim().is_empty())
            .map(MasterKey::parse)
            .collect::<Result<Vec<_>, _>>()?,
        None => Vec::new(),
    };
    match text("SHIPGATE_MASTER_KEY")? {
        Some(current) => {
            let current = MasterKey::parse(&current)?;
            if previous.iter().any(|p| p.id == current.id) {
                return Err(SealError::InvalidKey(format!(
                    "key id {:?} is both the current and a previous master key",
                    current.id
                )));
            }
            Ok(Loaded::Configured(Keyring::new(current, previous)))
        }
        None if !previous.is_empty() => Err(SealError::InvalidKey(
            "previous master keys are set but SHIPGATE_MASTER_KEY is not".into(),
        )),
        None if sandbox => Ok(Loaded::SandboxKept),
        None => Ok(Loaded::Missing),
    }
}

/// The fields of a sealed value, still encoded.
struct Parts<'a> {
    key_id: &'a str,
    wrapped: &'a str,
    value: &'a str,
}

impl<'a> Parts<'a> {
    fn of(sealed: &'a str) -> Result<Parts<'a>, SealError> {
        let mut fields = sealed.split('.');
        if fields.next() != Some(VERSION) {
            return Err(SealError::Malformed("unknown version"));
        }
        match (fields.next(), fields.next(), fields.next(), fields.next()) {
            (Some(key_id), Some(wrapped), Some(value), None) if !key_id.is_empty() => Ok(Parts {
                key_id,
                wrapped,
                value,
            }),
            _ => Err(SealError::Malformed("expected v1.<key>.<wrapped>.<value>")),
        }
    }
}

/// The nonce's 24 bytes, then the ciphertext with its tag, as one unpadded base64url text.
fn encrypt(key: &[u8; KEY_LEN], plain: &[u8], aad: &[u8]) -> String {
    let mut nonce = [0u8; NONCE_LEN];
    rand::rng().fill_bytes(&mut nonce);
    let cipher = XChaCha20Poly1305::new(&Key::from(*key));
    let sealed = cipher
        .encrypt(&XNonce::from(nonce), Payload { msg: plain, aad })
        .expect("XChaCha20-Poly1305 encrypts any message shorter than 256 GiB");
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    B64.encode(out)
}

fn decrypt(key: &[u8; KEY_LEN], text: &str, aad: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let bytes = B64.decode(text).ok()?;
    if bytes.len() < NONCE_LEN {
        return None;
    }
    let (nonce, sealed) = bytes.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().ok()?;
    let cipher = XChaCha20Poly1305::new(&Key::from(*key));
    cipher
        .decrypt(&XNonce::from(nonce), Payload { msg: sealed, aad })
        .ok()
        .map(Zeroizing::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(id: &str) -> Keyring {
        Keyring::new(MasterKey::generate(id), Vec::new())
    }

    #[test]
    fn a_sealed_value_opens_only_in_its_own_place_with_its_key() {
        let keys = ring("k1");
        let sealed = keys.seal("s3cr3t-token", "acct_1/api_token");
        assert!(sealed.starts_with("v1.k1."), "{sealed}");
        assert!(!sealed.contains("s3cr3t"), "{sealed}");
        assert_eq!(
            keys.open(&sealed, "acct_1/api_token").unwrap().as_str(),
            "s3cr3t-token"
        );
        // Moved to another record or field: refused.
        assert_eq!(
            keys.open(&sealed, "acct_2/api_token"),
            Err(SealError::DoesNotOpen("k1".into()))
        );
        // Another master key under the same id: refused, never garbage.
        let impostor = ring("k1");
        assert_eq!(
            impostor.open(&sealed, "acct_1/api_token"),
            Err(SealError::DoesNotOpen("k1".into()))
        );
        // A key this process does not hold: named in the error.
        assert_eq!(
            ring("k2").open(&sealed, "acct_1/api_token"),
            Err(SealError::UnknownKey("k1".into()))
        );
        // Two seals of one secret differ (fresh data key and nonces).
        assert_ne!(
            keys.seal("s3cr3t-token", "c"),
            keys.seal("s3cr3t-token", "c")
        );
    }

    #[test]
    fn damaged_values_fail_closed() {
        let keys = ring("k1");
        let sealed = keys.seal("secret", "c");
        let mut damaged = sealed.clone().into_bytes();
        let last = damaged.len() - 3;
        damaged[last] = if damaged[last] == b'A' { b'B' } else { b'A' };
        let damaged = String::from_utf8(damaged).unwrap();
        assert_eq!(
            keys.open(&damaged, "c"),
            Err(SealError::DoesNotOpen("k1".into()))
        );
        for text in ["", "v1", "v2.k1.a.b", "v1.k1.a", "v1..a.b", "v1.k1.a.b.c"] {
            assert!(
                matches!(keys.open(text, "c"), Err(SealError::Malformed(_))),
                "{text}"
            );
        }
        assert_eq!(
            keys.open("v1.k1.!!.??", "c"),
            Err(SealError::DoesNotOpen("k1".into()))
        );
    }

    #[test]
    fn rotation_rewraps_without_reencrypting_and_old_keys_still_open() {
        let old = MasterKey::generate("2026-01");
        let exported = old.export();
        let before = Keyring::new(old, Vec::new());
        let sealed = before.seal("password", "acct_9/password");

        let after = Keyring::new(
            MasterKey::generate("2026-12"),
            vec![MasterKey::parse(&exported).unwrap()],
        );
        // Until re-wrapped, the old key still opens it.
        assert_eq!(
            after.open(&sealed, "acct_9/password").unwrap().as_str(),
            "password"
        );
        let rewrapped = after.rewrap(&sealed).unwrap().expect("re-wrapped");
        assert!(rewrapped.starts_with("v1.2026-12."), "{rewrapped}");
        // The value part is unchanged: only the data key was re-wrapped.
        assert_eq!(rewrapped.rsplit('.').next(), sealed.rsplit('.').next());
        assert_eq!(after.rewrap(&rewrapped).unwrap(), None);
        // Opens with the new key alone.
        let only_new = Keyring::new(
            MasterKey::parse(&after.current.export()).unwrap(),
            Vec::new(),
        );
        assert_eq!(
            only_new
                .open(&rewrapped, "acct_9/password")
                .unwrap()
                .as_str(),
            "password"
        );
    }

    fn env(pairs: &[(&str, String)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn keys_load_from_the_environment_or_a_file_and_fail_closed() {
        let current = MasterKey::generate("new").export().to_string();
        let old = MasterKey::generate("old").export().to_string();
        let Loaded::Configured(ring) = load(
            env(&[
                ("SHIPGATE_MASTER_KEY", current.clone()),
                ("SHIPGATE_MASTER_KEYS_PREVIOUS", format!("{old},")),
            ]),
            false,
        )
        .unwrap() else {
            panic!("configured")
        };
        assert_eq!(ring.current_id(), "new");
        assert!(ring.key("old").is_ok());

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("master.key");
        std::fs::write(&file, format!("{current}\n")).unwrap();
        let path = file.display().to_string();
        assert!(matches!(
            load(env(&[("SHIPGATE_MASTER_KEY_FILE", path.clone())]), false),
            Ok(Loaded::Configured(_))
        ));

        // Live mode without a key stores no credentials; sandbox makes one.
        assert!(matches!(load(env(&[]), false), Ok(Loaded::Missing)));
        assert!(matches!(load(env(&[]), true), Ok(Loaded::SandboxKept)));
        // Ambiguous or broken settings are errors, not a fallback.
        for broken in [
            env(&[
                ("SHIPGATE_MASTER_KEY", current.clone()),
                ("SHIPGATE_MASTER_KEY_FILE", path.clone()),
            ]),
            env(&[("SHIPGATE_MASTER_KEY", "new:short".into())]),
            env(&[("SHIPGATE_MASTER_KEYS_PREVIOUS", old.clone())]),
            env(&[("SHIPGATE_MASTER_KEY_FILE", "/nonexistent/key".into())]),
            env(&[
                ("SHIPGATE_MASTER_KEY", current.clone()),
                ("SHIPGATE_MASTER_KEYS_PREVIOUS", current.clone()),
            ]),
        ] {
            let error = load(broken, true).unwrap_err();
            assert!(matches!(error, SealError::InvalidKey(_)), "{error:?}");
            assert!(
                !error
                    .to_string()
                    .contains(current.split(':').nth(1).unwrap())
            );
        }
    }

    #[test]
    fn master_keys_are_read_strictly_and_never_printed() {
        let key = MasterKey::generate("main");
        let text = key.export();
        let back = MasterKey::parse(&text).unwrap();
        assert_eq!(back.id(), "main");
        assert!(!format!("{back:?}").contains(text.split(':').nth(1).unwrap()));
        for bad in [
            "nokey",
            ":AAAA",
            "main:not base64!",
            "main:AAAA",
            "has space:AAAA",
        ] {
            assert!(
                matches!(MasterKey::parse(bad), Err(SealError::InvalidKey(_))),
                "{bad}"
            );
        }
        let error = MasterKey::parse("main:AAAA").unwrap_err().to_string();
        assert!(error.contains("3 bytes, not 32"), "{error}");
    }
}
