//! API-key authentication: `Authorization: Bearer <key>`, looked up by its SHA-256.
//!
//! Keys that authenticated are remembered in process for `auth.key_cache_ttl_secs` (30 s
//! by default), counted from the database lookup, so a request does not pay a database
//! round trip to authenticate. The price is that revoking a key or changing its role takes
//! effect on each gateway process within that time rather than at once. Unknown keys are
//! not remembered: a key created a moment ago works on its first request.

use std::time::Duration;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use moka::sync::Cache;
use rand::Rng;
use rand::distr::Alphanumeric;
use sha2::{Digest, Sha256};

use crate::app::AppState;
use crate::error::ApiError;
use crate::store::{Role, Tenant};

/// The caller: a tenant acting with a role.
#[derive(Debug, Clone)]
pub struct Caller {
    pub tenant: Tenant,
    pub role: Role,
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

/// Authenticates every `/v1` request once, before rate limiting and idempotency (both
/// are scoped by tenant), and leaves the [`Caller`] in the request for the handler.
pub async fn middleware(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    match authenticate(&parts, &state).await {
        Ok(caller) => {
            parts.extensions.insert(caller);
            next.run(Request::from_parts(parts, body)).await
        }
        Err(error) => {
            let challenge = match &error {
                ApiError::Unauthorized(_) if parts.headers.contains_key(header::AUTHORIZATION) => {
                    Some(r#"Bearer realm="shipgate", error="invalid_token""#)
                }
                ApiError::Unauthorized(_) => Some(r#"Bearer realm="shipgate""#),
                _ => None,
            };
            let mut response = axum::response::IntoResponse::into_response(error);
            // RFC 9110 §11.6.1: a 401 names the scheme it wants (RFC 6750 for bearer keys).
            if let Some(challenge) = challenge {
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    axum::http::HeaderValue::from_static(challenge),
                );
            }
            response
        }
    }
}

async fn authenticate(parts: &Parts, state: &AppState) -> Result<Caller, ApiError> {
    let header = parts
        .headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::Unauthorized("missing Authorization: Bearer <api key>".into()))?;
    let key = header
        .to_str()
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
    let cache = state.api_keys.0.as_ref();
    if let Some(caller) = cache.and_then(|c| c.get(&hash)) {
        return Ok(caller);
    }
    match state.store.find_api_key(&hash).await? {
        Some((tenant, role)) => {
            let caller = Caller { tenant, role };
            if let Some(c) = cache {
                c.insert(hash, caller.clone());
            }
            Ok(caller)
        }
        None => Err(ApiError::Unauthorized("unknown or revoked API key".into())),
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match parts.extensions.get::<Caller>() {
            Some(caller) => Ok(caller.clone()),
            None => authenticate(parts, state).await,
        }
    }
}
