//! The operations console at `/console`: a single-page app of plain ES modules, HTML and
//! CSS embedded in the binary ([`assets`]), and its sign-in ([`session`]).
//!
//! Why so little server code: the console is a client of the public `/v1` API. Every read
//! and every action it offers goes through the same routes, validation, roles, idempotency
//! and audit as an integrator's call; the only server side of its own is turning an API key
//! into a session cookie (and `guard::authorize` accepting that cookie). No build step and
//! no CDN: the files are served as written, under a strict Content-Security-Policy that
//! allows nothing from elsewhere and no inline script or style.

pub mod assets;
pub mod session;

use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{HttpResponse, guard, web};

/// The policy on every console answer: own files only, no inline code, no framing.
pub const CSP: &str =
    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'";

/// Adds the console's security headers to an answer.
pub fn with_security_headers(mut response: HttpResponse) -> HttpResponse {
    let headers = response.headers_mut();
    for (name, value) in [
        ("content-security-policy", CSP),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "same-origin"),
    ] {
        headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    response
}

/// A method a console path does not take: a 405 problem like the API's, naming those it does.
async fn method_not_allowed(req: actix_web::HttpRequest) -> HttpResponse {
    let allow = match req.path() {
        "/console/session" => "GET, POST",
        "/console/sign-out" => "POST",
        _ => "GET, HEAD",
    };
    with_security_headers(
        crate::error::ApiError::MethodNotAllowed
            .reply()
            .with_header("allow", allow)
            .into_response(),
    )
}

fn get_or_head() -> guard::AnyGuard {
    guard::Any(guard::Get()).or(guard::Head())
}

/// Mounts the console's routes (before the API's catch-all answer for unknown paths).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/console/session")
            .route(web::post().to(session::sign_in))
            .route(web::get().to(session::show))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource("/console/sign-out")
            .route(web::post().to(session::sign_out))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource("/console/assets/{version}/{path:.*}")
            .route(web::route().guard(get_or_head()).to(assets::serve))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource("/console")
            .route(web::route().guard(get_or_head()).to(assets::shell))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource("/console/{rest:.*}")
            .route(web::route().guard(get_or_head()).to(assets::shell))
            .default_service(web::to(method_not_allowed)),
    );
}
