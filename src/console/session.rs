//! Console sessions: sign in once with an API key, then carry an HttpOnly cookie.
//!
//! Why a server-side session and not the key in the browser: a key kept in page storage is
//! readable by any script that ever runs on the page, and it never expires. The cookie
//! (`sg_session`: HttpOnly, SameSite=Strict, Path=/, Secure in live mode) holds a random
//! token whose SHA-256 alone is stored (`console_sessions`), lives twelve hours, and stands
//! for the key it was signed in with: every request joins the key, so revoking the key (or
//! changing its role) takes effect on the session's very next request, with no cache.
//!
//! CSRF: SameSite=Strict already keeps the cookie off cross-site requests; on top of that
//! every `/v1` change made with the cookie must carry `X-CSRF-Token`, the session's own
//! random token, which a page of another origin cannot read (`guard::authorize`). The
//! sign-in form itself needs no token: it only makes a session for the key typed into it,
//! and an `Origin` from elsewhere is refused. Failed sign-ins are limited per client
//! address, so the form is no faster an oracle for guessing keys than `/v1` itself.

use std::net::IpAddr;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use rand::Rng;
use rand::distr::Alphanumeric;
use serde_json::json;

use crate::app::AppState;
use crate::auth::{Caller, hash_key};
use crate::config::Mode;
use crate::error::{ApiError, PROBLEM_JSON};
use crate::reply::Reply;
use crate::store::ConsoleSession;

/// The cookie's name.
pub const COOKIE: &str = "sg_session";
/// The header a change made with the cookie must carry.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// How long a session lasts from sign-in (no sliding renewal: a stolen cookie dies too).
pub const SESSION_TTL: Duration = Duration::from_secs(12 * 3600);
/// Failed sign-ins allowed per client address within [`FAILURE_WINDOW`].
pub const MAX_FAILURES: u32 = 10;
pub const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Failed sign-ins per client address, counted from the first failure of the window. One
/// gateway process serves one listener, so a process-wide counter is the right scope; with
/// several processes each counts its own (an attacker gets that many times ten tries).
static FAILURES: LazyLock<moka::sync::Cache<IpAddr, std::sync::Arc<AtomicU32>>> =
    LazyLock::new(|| {
        moka::sync::Cache::builder()
            .max_capacity(100_000)
            .time_to_live(FAILURE_WINDOW)
            .build()
    });

fn random_token() -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(43)
        .map(char::from)
        .collect()
}

/// Equal bytes, in time that does not depend on where they first differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The session token the request's `Cookie` header carries, if any.
pub fn cookie_token(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get_all(header::COOKIE)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim().trim_matches('"').to_string())
        .filter(|v| !v.is_empty())
}

/// The live session behind the request's cookie (`None`: no cookie, or none live).
pub async fn current(
    req: &HttpRequest,
    state: &AppState,
) -> Result<Option<ConsoleSession>, ApiError> {
    let Some(token) = cookie_token(req) else {
        return Ok(None);
    };
    Ok(state.store.find_console_session(&hash_key(&token)).await?)
}

/// A 403 problem with code `csrf_token_invalid`.
pub fn csrf_refusal() -> Reply {
    let mut problem = ApiError::Forbidden(
        "a change made with the console session must carry header `X-CSRF-Token` with the \
         session's token (GET /console/session)"
            .into(),
    )
    .problem();
    problem.code = "csrf_token_invalid".into();
    problem.type_ = "https://shipgate.dev/problems/csrf_token_invalid".into();
    Reply::json(403, &problem).with_header("content-type", PROBLEM_JSON)
}

/// The caller behind a session cookie for `guard::authorize`: the session's key, after the
/// CSRF check on anything but a read.
pub async fn authenticate(req: &HttpRequest, state: &AppState) -> Result<Caller, Reply> {
    let session = current(req, state)
        .await
        .map_err(|e| e.reply())?
        .ok_or_else(|| {
            ApiError::Unauthorized(
                "the console session has ended or expired; sign in again at /console/sign-in"
                    .into(),
            )
            .reply()
            .with_header("www-authenticate", crate::auth::challenge(false))
        })?;
    let method = req.method();
    if method != actix_web::http::Method::GET && method != actix_web::http::Method::HEAD {
        let sent = req
            .headers()
            .get(CSRF_HEADER)
            .map(|v| v.as_bytes())
            .unwrap_or_default();
        if !constant_time_eq(sent, session.csrf_token.as_bytes()) {
            return Err(csrf_refusal());
        }
    }
    Ok(Caller {
        tenant: session.tenant,
        role: session.role,
        key_id: session.key_id,
    })
}

fn set_cookie(state: &AppState, token: &str, max_age: u64) -> String {
    let secure = if state.config.mode == Mode::Live {
        "; Secure"
    } else {
        ""
    };
    format!("{COOKIE}={token}; Max-Age={max_age}; Path=/; HttpOnly; SameSite=Strict{secure}")
}

/// Whether the request came from a page of this same host (no `Origin`: not a browser's
/// cross-site form, which always sends one on POST).
fn same_origin(req: &HttpRequest) -> bool {
    let Some(origin) = req.headers().get(header::ORIGIN) else {
        return true;
    };
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    origin
        .to_str()
        .ok()
        .and_then(|o| url::Url::parse(o).ok())
        .is_some_and(|o| {
            let authority = match o.port() {
                Some(p) => format!("{}:{p}", o.host_str().unwrap_or("")),
                None => o.host_str().unwrap_or("").to_string(),
            };
            !host.is_empty() && authority.eq_ignore_ascii_case(host)
        })
}

/// Whether the client asked for JSON (the console's own `fetch`) rather than a page.
fn wants_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("json"))
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    url::form_urlencoded::parse(body)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_string())
}

/// A refused sign-in: problem+json for the console's `fetch` (the problem at `/api_key`),
/// else back to the sign-in page with a code it explains.
fn refused(req: &HttpRequest, error: ApiError, code: &str) -> HttpResponse {
    if wants_json(req) {
        let mut reply = error.reply();
        if code == "rate_limited" {
            reply = reply.with_header("retry-after", FAILURE_WINDOW.as_secs().to_string());
        }
        super::with_security_headers(reply.into_response())
    } else {
        super::with_security_headers(
            HttpResponse::SeeOther()
                .insert_header((header::LOCATION, format!("/console/sign-in?error={code}")))
                .finish(),
        )
    }
}

/// `POST /console/session`: form field `api_key`. 303 to `/console` with the cookie set.
pub async fn sign_in(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> HttpResponse {
    if !same_origin(&req) {
        return refused(
            &req,
            ApiError::Forbidden("sign-in is accepted only from this gateway's own page".into()),
            "cross_origin",
        );
    }
    let client = req.peer_addr().map(|a| a.ip());
    let failures = client.map(|ip| FAILURES.get_with(ip, Default::default));
    if failures
        .as_ref()
        .is_some_and(|f| f.load(Ordering::Relaxed) >= MAX_FAILURES)
    {
        return refused(
            &req,
            ApiError::RateLimited(format!(
                "too many failed sign-ins from this address; try again within {} minutes",
                FAILURE_WINDOW.as_secs() / 60
            )),
            "rate_limited",
        );
    }
    let key = form_field(&body, "api_key").unwrap_or_default();
    let fail = |detail: &str, code: &str| {
        if let Some(f) = &failures {
            f.fetch_add(1, Ordering::Relaxed);
        }
        refused(
            &req,
            ApiError::Validation(vec![carriers::schema::FieldError {
                pointer: "/api_key".into(),
                code: code.into(),
                detail: detail.into(),
            }]),
            code,
        )
    };
    if key.is_empty() {
        return fail("enter an API key", "required");
    }
    let found = match state.store.find_api_key(&hash_key(&key)).await {
        Ok(found) => found,
        Err(e) => return super::with_security_headers(ApiError::from(e).reply().into_response()),
    };
    let Some((_, _, key_id)) = found else {
        return fail("this API key is unknown or revoked", "invalid_api_key");
    };
    let token = random_token();
    let csrf = random_token();
    let expires_at = chrono::Utc::now().timestamp_millis() + SESSION_TTL.as_millis() as i64;
    if let Err(e) = state
        .store
        .create_console_session(&hash_key(&token), &key_id, &csrf, expires_at)
        .await
    {
        return super::with_security_headers(ApiError::from(e).reply().into_response());
    }
    super::with_security_headers(
        HttpResponse::SeeOther()
            .insert_header((header::LOCATION, "/console"))
            .insert_header((
                header::SET_COOKIE,
                set_cookie(&state, &token, SESSION_TTL.as_secs()),
            ))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .finish(),
    )
}

/// `GET /console/session`: who the cookie signs in as, and the token changes must carry.
pub async fn show(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let reply = match current(&req, &state).await {
        Ok(Some(s)) => Reply::json(
            200,
            &json!({
                "tenant": s.tenant.name,
                "role": s.role.as_str(),
                "csrf_token": s.csrf_token,
                "mode": match state.config.mode { Mode::Live => "live", Mode::Sandbox => "sandbox" },
                "expires_at": chrono::DateTime::from_timestamp_millis(s.expires_at)
                    .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            }),
        )
        .with_header("cache-control", "no-store"),
        Ok(None) => ApiError::Unauthorized("not signed in to the console".into()).reply(),
        Err(e) => e.reply(),
    };
    super::with_security_headers(reply.into_response())
}

/// `POST /console/sign-out`: ends the session (its CSRF token in the header or in form
/// field `csrf_token`) and clears the cookie; 303 to the sign-in page.
pub async fn sign_out(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> HttpResponse {
    let session = match current(&req, &state).await {
        Ok(s) => s,
        Err(e) => return super::with_security_headers(e.reply().into_response()),
    };
    let Some(session) = session else {
        // Nothing to end; the cookie goes anyway.
        return super::with_security_headers(
            HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/console/sign-in"))
                .insert_header((header::SET_COOKIE, set_cookie(&state, "", 0)))
                .finish(),
        );
    };
    let sent = req
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| form_field(&body, "csrf_token"))
        .unwrap_or_default();
    if !constant_time_eq(sent.as_bytes(), session.csrf_token.as_bytes()) {
        return super::with_security_headers(csrf_refusal().into_response());
    }
    let token = cookie_token(&req).unwrap_or_default();
    if let Err(e) = state.store.delete_console_session(&hash_key(&token)).await {
        return super::with_security_headers(ApiError::from(e).reply().into_response());
    }
    super::with_security_headers(
        HttpResponse::SeeOther()
            .insert_header((header::LOCATION, "/console/sign-in"))
            .insert_header((header::SET_COOKIE, set_cookie(&state, "", 0)))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .finish(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_eq_compares_whole_values() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(!constant_time_eq(b"", b"a"));
    }

    #[test]
    fn cookie_token_finds_the_session_among_others() {
        let req = actix_web::test::TestRequest::default()
            .insert_header((header::COOKIE, "a=1; sg_session=tok123; b=2"))
            .to_http_request();
        assert_eq!(cookie_token(&req).as_deref(), Some("tok123"));
        let none = actix_web::test::TestRequest::default()
            .insert_header((header::COOKIE, "sg_sessionx=1"))
            .to_http_request();
        assert_eq!(cookie_token(&none), None);
    }
}
