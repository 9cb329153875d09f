//! API-key authentication: `Authorization: Bearer <key>`, looked up by its SHA-256.
//!
//! Keys that authenticated are remembered in process for `auth.key_cache_ttl_secs` (30 s
//! by default), counted from the database lookup, so a request does not pay a database
//! round trip to authenticate. The price is that revoking a key or changing its role takes
//! effect on each gateway process within that time rather than at once. Unknown keys are
//! not remembered: a key created a moment ago works on its first request.

use std::time::Duration;

use moka::sync::Cache;
use rand::Rng;
use rand::distr::Alphanumeric;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::store::{Role, Store, Tenant};

/// The caller: a tenant acting with a role.
#[derive(Debug, Clone)]
pub struct Caller {
    pub tenant: Tenant,
    pub role: Role,
    /// The API key's id (`key_…`), for the audit trail.
    pub key_id: String,
}

impl Caller {
    pub fn require(&self, role: Role) -> Result<(), ApiError> {
        if self.role >= role {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "this API key has role `{}`; the operation needs `{}`",
                self.role.as_str(),
                role.as_str()
            )))
        }
    }
}

/// Callers by key hash, each for the configured time after its database lookup.
#[derive(Clone)]
pub struct KeyCache(Option<Cache<String, Caller>>);

impl KeyCache {
    /// `ttl` zero: no cache.
    pub fn new(ttl: Duration) -> KeyCache {
        KeyCache((!ttl.is_zero()).then(|| {
            Cache::builder()
                .max_capacity(100_000)
                .time_to_live(ttl)
                .build()
        }))
    }
}

pub fn hash_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// A new random key: `sg_` and 40 alphanumerics (about 238 bits).
pub fn generate_key() -> String {
    let body: String = rand::rng()
        .sample_iter(&Alphanumeric)
        .take(40)
        .map(char::from)
        .collect();
    format!("sg_{body}")
}

/// The part of a key that may be shown in lists and logs.
pub fn key_prefix(key: &str) -> String {
    key.chars().take(7).collect()
}

/// The `WWW-Authenticate` challenge of a 401 (RFC 9110 §11.6.1, RFC 6750 for bearer
/// keys): `invalid_token` when a key was sent and is not one.
pub fn challenge(key_sent: bool) -> &'static str {
    if key_sent {
        r#"Bearer realm="shipgate", error="invalid_token""#
    } else {
        r#"Bearer realm="shipgate""#
    }
}

/// The caller behind an `Authorization` header value: cached, else looked up by hash.
pub async fn authenticate(
    authorization: Option<&[u8]>,
    keys: &KeyCache,
    store: &Store,
) -> Result<Caller, ApiError> {
    let header = authorization
        .ok_or_else(|| ApiError::Unauthorized("missing Authorization: Bearer <api key>".into()))?;
    let key = std::str::from_utf8(header)
        .ok()
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| {
            ApiError::Unauthorized("the Authorization header must be `Bearer <api key>`".into())
        })?;
    let hash = hash_key(key);
    let cache = keys.0.as_ref();
    if let Some(caller) = cache.and_then(|c| c.get(&hash)) {
        return Ok(caller);
    }
    match store.find_api_key(&hash).await? {
        Some((tenant, role, key_id)) => {
            let caller = Caller {
                tenant,
                role,
                key_id,
            };
            if let Some(c) = cache {
                c.insert(hash, caller.clone());
            }
            Ok(caller)
        }
        None => Err(ApiError::Unauthorized("unknown or revoked API key".into())),
    }
}
