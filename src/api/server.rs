//! The HTTP server: actix-web workers, the bounds on clients, and the one middleware every
//! request passes (request id and span, panics as 500 problems, `RateLimit` fields,
//! metrics per route template).
//!
//! Why bounds: a connection costs a file descriptor and a buffer. Without a cap and
//! timeouts, 600 idle connections exhausted the descriptors and `/healthz` stopped
//! answering, and slow unauthenticated bodies grew memory by a hundred megabytes. Each
//! worker takes at most its share of `http.max_connections` (past it, connections wait in
//! the listen backlog), a client has `http.header_timeout_ms` to send its headers and
//! `http.body_timeout_ms` its body (408 problems), and an idle keep-alive connection is
//! closed after `http.keep_alive_secs`.

use std::net::TcpListener;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::{Next, from_fn};
use actix_web::{App, HttpServer, ResponseError, web};
use futures::FutureExt;
use tokio::time::Instant;
use tracing::Instrument;

use crate::app::AppState;
use crate::config::Mode;
use crate::error::{ApiError, REQUEST_ID};

/// Descriptors kept for everything but client connections: database and Redis pools,
/// carrier and webhook connections, files.
const RESERVED_FDS: u64 = 256;

/// Starts the server on `listener` (it runs once awaited or spawned).
pub fn serve(
    listener: TcpListener,
    state: &AppState,
    shutdown_timeout: Duration,
) -> std::io::Result<Server> {
    let http = &state.config.http;
    let workers = match http.workers {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
        n => n,
    };
    let max_connections = connection_budget(http.max_connections);
    tracing::info!(
        workers,
        max_connections,
        header_timeout_ms = http.header_timeout_ms,
        body_timeout_ms = http.body_timeout_ms,
        keep_alive_secs = http.keep_alive_secs,
        "HTTP server bounds"
    );
    let app_state = state.clone();
    Ok(HttpServer::new(move || app(app_state.clone()))
        .workers(workers)
        .max_connections(max_connections.div_ceil(workers).max(1))
        .backlog(http.backlog)
        .keep_alive(Duration::from_secs(http.keep_alive_secs.max(1)))
        .client_request_timeout(Duration::from_millis(http.header_timeout_ms))
        .client_disconnect_timeout(Duration::from_secs(1))
        // A client that hangs up ends its request (creating requests go on as tasks of
        // their own); otherwise the server would keep computing answers nobody reads, and
        // a graceful shutdown would wait for them.
        .h1_allow_half_closed(false)
        // A second past the gateway's own deadline: the gateway decides what was abandoned
        // (and says so) before the server force-closes anything.
        .shutdown_timeout(shutdown_timeout.as_secs().max(1) + 1)
        .disable_signals()
        .listen(listener)?
        .run())
}

/// The whole application, as each worker builds it.
pub fn app(
    state: AppState,
) -> App<
    impl actix_web::dev::ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let sandbox = state.config.mode == Mode::Sandbox;
    let mut app = App::new()
        .app_data(web::Data::new(state))
        .app_data(web::PathConfig::default().error_handler(|e, _| {
            ApiError::BadRequest(format!("a path parameter cannot be read: {e}")).into()
        }))
        .app_data(web::QueryConfig::default().error_handler(|e, _| {
            ApiError::BadRequest(format!("the query string cannot be read: {e}")).into()
        }))
        .wrap(from_fn(request_context))
        .configure(super::configure)
        .configure(crate::console::configure)
        .configure(crate::tracking_page::configure)
        .route("/openapi.json", web::get().to(super::openapi_json))
        .service(
            utoipa_swagger_ui::SwaggerUi::new("/docs/{_:.*}")
                .config(utoipa_swagger_ui::Config::from("/openapi.json")),
        );
    if sandbox {
        app = app.route(
            "/sandbox/{carrier}/{path:.*}",
            web::route().to(super::sandbox::serve),
        );
    }
    app.default_service(web::to(super::unrouted))
}

/// What the process's open-file limit leaves for client connections, raising the soft
/// limit to the hard one first (the usual soft limit, 1,024, is far below what a gateway
/// needs; the hard one is what the operator allows).
fn connection_budget(configured: usize) -> usize {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit only read and write the struct passed.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return configured;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: limit.rlim_max,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
    }
    let available = limit.rlim_cur.saturating_sub(RESERVED_FDS).max(16);
    if (configured as u64) > available {
        tracing::warn!(
            configured,
            open_file_limit = limit.rlim_cur,
            using = available,
            "http.max_connections lowered to what the open-file limit allows; raise `ulimit -n` for more"
        );
        available as usize
    } else {
        configured
    }
}

/// Request id (taken from `x-request-id` or made) for logs and error bodies, a span per
/// request, a panic answered as a 500 problem, the tenant's `RateLimit` fields, and the
/// latency histogram per route template.
async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128)
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    let method = req.method().clone();
    let path = req.path().to_string();
    if !decodes_to_utf8(req.uri().path()) {
        let response = REQUEST_ID.sync_scope(request_id, || {
            ApiError::BadRequest("the path is not UTF-8 once percent-decoded".into()).reply()
        });
        return Ok(req.into_response(response.into_response()));
    }
    let span = tracing::info_span!("request", %method, %path, request_id = %request_id);
    let start = Instant::now();
    // Answers are rendered inside the scope, so problem documents carry the id. (The
    // request cannot be kept aside for a panic's answer: routing needs it unshared.)
    let answered = REQUEST_ID.scope(request_id.clone(), async move {
        match AssertUnwindSafe(next.call(req)).catch_unwind().await {
            Ok(Ok(res)) => Ok(res.map_into_boxed_body()),
            Ok(Err(e)) => Err(e.error_response()),
            Err(_) => Err(ApiError::Internal(anyhow::anyhow!("handler panicked")).error_response()),
        }
    });
    let answered = answered.instrument(span.clone()).await;
    let elapsed = start.elapsed();
    let (status, route) = match &answered {
        Ok(res) => (
            res.status().as_u16(),
            super::route_pattern::of(res.request())
                .map_or_else(|| "unmatched".to_string(), |t| t.to_string()),
        ),
        Err(response) => (response.status().as_u16(), "unmatched".into()),
    };
    metrics::histogram!(
        "shipgate_http_request_duration_seconds",
        "method" => method.to_string(),
        "route" => route,
        "status" => status.to_string(),
    )
    .record(elapsed.as_secs_f64());
    if elapsed > Duration::from_secs(5) || status >= 500 {
        span.in_scope(|| {
            tracing::warn!(
                status,
                elapsed_ms = elapsed.as_millis() as u64,
                "request finished"
            )
        });
    } else {
        span.in_scope(|| {
            tracing::debug!(
                status,
                elapsed_ms = elapsed.as_millis() as u64,
                "request finished"
            )
        });
    }
    let id = HeaderValue::try_from(request_id).ok();
    let mut res = match answered {
        Ok(res) => res,
        Err(mut response) => {
            // No request to answer with: the finished answer travels as the error.
            if let Some(id) = id {
                response
                    .headers_mut()
                    .insert(HeaderName::from_static("x-request-id"), id);
            }
            return Err(actix_web::error::InternalError::from_response("", response).into());
        }
    };
    let fields = super::guard::limit_fields(res.request());
    let headers = res.headers_mut();
    if let Some(fields) = fields {
        for (name, value) in [
            (crate::ratelimit::RATELIMIT_POLICY, fields.policy),
            (crate::ratelimit::RATELIMIT, fields.state),
        ] {
            if let Ok(v) = HeaderValue::try_from(value) {
                headers.insert(HeaderName::from_static(name), v);
            }
        }
    }
    if let Some(id) = id {
        headers.insert(HeaderName::from_static("x-request-id"), id);
    }
    Ok(res)
}

/// Whether a percent-encoded path decodes to UTF-8 (path parameters are text).
fn decodes_to_utf8(path: &str) -> bool {
    percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .is_ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_must_decode_to_utf8() {
        assert!(super::decodes_to_utf8("/v1/tracking/AWB123"));
        assert!(super::decodes_to_utf8("/v1/tracking/%E2%82%B9"));
        assert!(!super::decodes_to_utf8("/v1/tracking/%FF%FE"));
        assert!(super::decodes_to_utf8("/v1/tracking/100%"));
    }
}
