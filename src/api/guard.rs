//! What a `/v1` handler asks for before it runs: an API key of the role the route needs,
//! charged to its tenant's rate limit ([`Key`]), or for a creating route the whole request
//! read off the connection for the idempotency layer ([`CreatingRequest`]).
//!
//! Why extractors and not a layer in front of the router: the role is the route's own fact,
//! and checking it here, before anything else, means no answer — a replayed one included —
//! ever reaches a key that may not see it. A route is authenticated by taking one of these
//! arguments; `tests/it/http_edge.rs` checks that every documented `/v1` operation does.

use std::future::Future;
use std::marker::PhantomData;
use std::ops::Deref;
use std::pin::Pin;
use std::time::Duration;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use bytes::{Bytes, BytesMut};
use futures::StreamExt;

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::idempotency::{Creating, HEADER};
use crate::ratelimit::{Class, LimitFields};
use crate::reply::Reply;
use crate::store::Role;

/// The role a route needs, as a type.
pub trait Needs {
    const ROLE: Role;
}
pub struct Read;
pub struct Write;
pub struct Admin;
impl Needs for Read {
    const ROLE: Role = Role::Read;
}
impl Needs for Write {
    const ROLE: Role = Role::Write;
}
impl Needs for Admin {
    const ROLE: Role = Role::Admin;
}

/// An authenticated caller with at least role `R`, charged to its tenant's limit for the
/// route's class. The charge's `RateLimit` fields go on the answer (see `app`).
pub struct Key<R>(pub Caller, PhantomData<R>);

impl<R> Deref for Key<R> {
    type Target = Caller;
    fn deref(&self) -> &Caller {
        &self.0
    }
}

type Extracted<T> = Pin<Box<dyn Future<Output = Result<T, actix_web::Error>>>>;

pub(crate) fn state(req: &HttpRequest) -> web::Data<AppState> {
    req.app_data::<web::Data<AppState>>()
        .expect("the application state is registered")
        .clone()
}

/// Authenticates and checks the role; a 401 names the scheme it wants.
/// Without an `Authorization` header, the operations console's session cookie stands for
/// its API key (`console::session`: the CSRF token checked on anything but a read).
async fn authorize(req: &HttpRequest, state: &AppState, role: Role) -> Result<Caller, Reply> {
    let authorization = req.headers().get(header::AUTHORIZATION);
    if authorization.is_none() && crate::console::session::cookie_token(req).is_some() {
        let caller = crate::console::session::authenticate(req, state).await?;
        caller.require(role).map_err(|e| e.reply())?;
        return Ok(caller);
    }
    let caller = crate::auth::authenticate(
        authorization.map(|v| v.as_bytes()),
        &state.api_keys,
        &state.store,
    )
    .await
    .map_err(|e| match e {
        ApiError::Unauthorized(_) => e.reply().with_header(
            "www-authenticate",
            crate::auth::challenge(authorization.is_some()),
        ),
        other => other.reply(),
    })?;
    caller.require(role).map_err(|e| e.reply())?;
    Ok(caller)
}

impl<R: Needs + 'static> FromRequest for Key<R> {
    type Error = actix_web::Error;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        let (open, gate) = tokio::sync::oneshot::channel();
        req.extensions_mut()
            .insert(AuthGate(std::cell::RefCell::new(Some(gate))));
        Box::pin(async move {
            let state = state(&req);
            let caller = authorize(&req, &state, R::ROLE).await?;
            let _ = open.send(());
            let class = Class::of(
                req.method(),
                super::route_pattern::of(&req).as_deref().unwrap_or(""),
            );
            if let Some(verdict) = state.limiter.charge(&caller, class).await {
                if !verdict.allowed {
                    return Err(verdict.refusal().into());
                }
                req.extensions_mut().insert(verdict.fields());
            }
            Ok(Key(caller, PhantomData))
        })
    }
}

/// Held by a request whose handler takes a [`Key`] until the key is authorised. actix polls
/// a handler's arguments together, so a body argument waits here: nothing of a body is
/// read, nor a 415 or 422 told, before the caller is known to be allowed.
struct AuthGate(std::cell::RefCell<Option<tokio::sync::oneshot::Receiver<()>>>);

/// Waits until the request's [`Key`] (if its handler takes one) is authorised.
pub(crate) fn authorised(req: &HttpRequest) -> impl Future<Output = ()> + 'static {
    let gate = req
        .extensions()
        .get::<AuthGate>()
        .and_then(|g| g.0.borrow_mut().take());
    async move {
        if let Some(gate) = gate {
            // An error means the key was refused: that refusal is the answer.
            let _ = gate.await;
        }
    }
}

/// Puts the `RateLimit` fields a [`Key`] left in the request on its answer.
pub fn limit_fields(req: &HttpRequest) -> Option<LimitFields> {
    req.extensions().get::<LimitFields>().cloned()
}

/// A creating request: the caller (role `R`, not yet charged: the idempotency layer
/// charges it with its key), the key and the body, read within the body limit and time.
pub struct CreatingRequest<R>(pub Creating, PhantomData<R>);

impl<R: Needs + 'static> FromRequest for CreatingRequest<R> {
    type Error = actix_web::Error;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let payload = payload.take();
        Box::pin(async move {
            let state = state(&req);
            let route = super::route_pattern::of(&req).unwrap_or_else(|| "".into());
            if !super::IDEMPOTENT_ROUTES.contains(&&*route) {
                // The document promises `Idempotency-Key` on exactly the listed routes.
                return Err(ApiError::Internal(anyhow::anyhow!(
                    "creating route {route} is missing from api::IDEMPOTENT_ROUTES"
                ))
                .into());
            }
            let caller = authorize(&req, &state, R::ROLE).await?;
            let body = read_body(&req, payload, &state)
                .await
                .map_err(|e| e.reply())?;
            Ok(CreatingRequest(
                Creating {
                    caller,
                    method: req.method().as_str().to_string(),
                    path: req.path().to_string(),
                    query: req.query_string().to_string(),
                    key: req.headers().get(HEADER).map(|v| v.as_bytes().to_vec()),
                    json: is_json(&req),
                    body,
                },
                PhantomData,
            ))
        })
    }
}

/// Whether the request says its body is JSON (`application/json` or `…+json`).
pub fn is_json(req: &HttpRequest) -> bool {
    media_type(req).is_some_and(|m| m == "application/json" || m.ends_with("+json"))
}

/// The request's media type, lower-cased, without parameters.
pub fn media_type(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
}

/// Reads a whole body: at most `body_limit_bytes`, `file_limit_bytes` on the file routes (413, refused from `Content-Length`
/// before reading when it says so), within `http.body_timeout_ms` (408).
pub async fn read_body(
    req: &HttpRequest,
    mut payload: Payload,
    state: &AppState,
) -> Result<Bytes, ApiError> {
    let limit = match super::route_pattern::of(req) {
        Some(route) if super::FILE_ROUTES.contains(&&*route) => state
            .config
            .body_limit_bytes
            .max(state.config.file_limit_bytes),
        _ => state.config.body_limit_bytes,
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(ApiError::PayloadTooLarge { limit });
    }
    let timeout = Duration::from_millis(state.config.http.body_timeout_ms);
    let read = async {
        let mut body = BytesMut::with_capacity(declared.unwrap_or(0).min(limit));
        while let Some(chunk) = payload.next().await {
            let chunk =
                chunk.map_err(|e| ApiError::BadRequest(format!("reading the body: {e}")))?;
            if body.len() + chunk.len() > limit {
                return Err(ApiError::PayloadTooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    };
    tokio::time::timeout(timeout, read)
        .await
        .unwrap_or(Err(ApiError::RequestTimeout {
            secs: timeout.as_secs().max(1),
        }))
}

/// The raw query string (`None` when empty), for handlers that parse it strictly
/// themselves (repeated and unknown parameters are errors, not ignored).
pub struct RawQuery(pub Option<String>);

impl FromRequest for RawQuery {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let q = req.query_string();
        std::future::ready(Ok(RawQuery((!q.is_empty()).then(|| q.to_string()))))
    }
}

/// Runs a creating handler's `work` behind the idempotency and rate-limit layer
/// (`idempotency::Layer::run`): off the connection, its answer stored under the key.
pub async fn run_creating<R, F, Fut>(
    state: web::Data<AppState>,
    request: CreatingRequest<R>,
    work: F,
) -> Reply
where
    F: FnOnce(std::sync::Arc<AppState>, Creating) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Reply, ApiError>> + Send + 'static,
{
    let app = state.clone().into_inner();
    state
        .creating_layer()
        .run(request.0, move |req| async move {
            work(app, req).await.unwrap_or_else(|e| e.reply())
        })
        .await
}
