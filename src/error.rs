//! The API's one error type and its RFC 9457 `application/problem+json` rendering.
//!
//! Every failure a client can see goes through [`ApiError`], so every one has the same
//! shape: a stable machine `code`, the request id to quote to support, field pointers for
//! validation errors, and — when a carrier said no — the carrier's own code and message,
//! never its raw body.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use carriers::CarrierError;
use carriers::schema::FieldError;
use serde::Serialize;
use utoipa::ToSchema;

tokio::task_local! {
    /// The current request's id, set by the request-id middleware for error bodies.
    pub static REQUEST_ID: String;
}

/// A request refused for one field: a 422 with one problem at `pointer`.
pub fn refused(pointer: &str, code: &str, detail: impl Into<String>) -> ApiError {
    ApiError::Validation(vec![FieldError {
        pointer: pointer.into(),
        code: code.into(),
        detail: detail.into(),
    }])
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the request body is not valid JSON: {detail}")]
    MalformedJson { detail: String },
    #[error("the request has invalid fields")]
    Validation(Vec<FieldError>),
    #[error("{0}")]
    BadRequest(String),
    #[error("Content-Type must be application/json")]
    UnsupportedMediaType,
    /// For routes that take more than JSON: names what they take.
    #[error("Content-Type must be {0}")]
    UnsupportedContentType(&'static str),
    #[error("the request body is larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("the request body did not arrive within {secs} s")]
    RequestTimeout { secs: u64 },
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("this route does not take this method; see /docs")]
    MethodNotAllowed,
    #[error("{detail}")]
    Conflict {
        code: &'static str,
        detail: String,
        shipment_id: Option<String>,
    },
    #[error("{carrier}: {error}")]
    Carrier {
        carrier: String,
        error: CarrierError,
        /// Set when the outcome is unknown and a shipment was kept for reconciliation.
        shipment_id: Option<String>,
    },
    /// `carrier: auto` tried every candidate and each one certainly refused.
    #[error("no carrier booked it ({attempts}); last {carrier}: {last}")]
    AutoBookingFailed {
        /// `carrier: failure class` per attempt, in order.
        attempts: String,
        carrier: String,
        last: CarrierError,
    },
    #[error("{0}")]
    RateLimited(String),
    #[error("this Idempotency-Key was already used with a different request body")]
    IdempotencyMismatch,
    #[error("{0}")]
    Unavailable(String),
    /// The database could not be reached (refused, dropped, or no pooled connection within
    /// the acquire timeout): a temporary condition the client should retry, not a bug.
    #[error("the database is unreachable right now")]
    DatabaseUnavailable(String),
    #[error("internal error")]
    Internal(anyhow::Error),
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        if is_unreachable(&e) {
            return ApiError::DatabaseUnavailable(e.to_string());
        }
        ApiError::Internal(anyhow::Error::new(e).context("database"))
    }
}

/// A write that failed for a batch of bookings at once (`service::booking_writer`).
impl From<std::sync::Arc<sqlx::Error>> for ApiError {
    fn from(e: std::sync::Arc<sqlx::Error>) -> Self {
        match std::sync::Arc::try_unwrap(e) {
            Ok(e) => e.into(),
            Err(shared) if is_unreachable(&shared) => {
                ApiError::DatabaseUnavailable(shared.to_string())
            }
            Err(shared) => ApiError::Internal(anyhow::anyhow!("database: {shared}")),
        }
    }
}

impl From<anyhow::Error> for ApiError {
    /// Store code that adds context to its errors still reports an unreachable database
    /// as such.
    fn from(e: anyhow::Error) -> Self {
        let unreachable = e
            .chain()
            .find_map(|cause| cause.downcast_ref::<sqlx::Error>())
            .is_some_and(is_unreachable);
        if unreachable {
            return ApiError::DatabaseUnavailable(format!("{e:#}"));
        }
        ApiError::Internal(e)
    }
}

/// Errors that say the database was not there (as opposed to a query it refused): no
/// connection in time, a refused or dropped connection, or a server shutting down or
/// starting up (SQLSTATE class 08, and 57P01–57P03).
pub(crate) fn is_unreachable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db
            .code()
            .is_some_and(|c| c.starts_with("08") || matches!(&*c, "57P01" | "57P02" | "57P03")),
        _ => false,
    }
}

/// How long a client should wait before retrying a temporary refusal.
const RETRY_AFTER_SECS: u32 = 1;

/// The problem document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// URI naming the problem type (`https://shipgate.dev/problems/<code>`).
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable machine-readable code.
    pub code: String,
    pub request_id: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<ProblemSource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipment_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemSource {
    /// `gateway` or `carrier`.
    pub kind: &'static str,
    pub carrier: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carrier_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carrier_message: Option<String>,
}

impl ApiError {
    fn parts(&self) -> (StatusCode, &'static str, &'static str) {
        use ApiError::*;
        match self {
            MalformedJson { .. } => (StatusCode::BAD_REQUEST, "malformed_json", "Malformed JSON"),
            Validation(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                "Invalid request",
            ),
            BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request", "Bad request"),
            UnsupportedMediaType | UnsupportedContentType(_) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Unsupported media type",
            ),
            PayloadTooLarge { .. } => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "Payload too large",
            ),
            RequestTimeout { .. } => (
                StatusCode::REQUEST_TIMEOUT,
                "request_timeout",
                "Request timeout",
            ),
            Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized", "Unauthorized"),
            Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden", "Forbidden"),
            NotFound(_) => (StatusCode::NOT_FOUND, "not_found", "Not found"),
            MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "Method not allowed",
            ),
            Conflict { code, .. } => (StatusCode::CONFLICT, code, "Conflict"),
            Carrier { error, .. } => match error {
                CarrierError::Rejected { .. } => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "carrier_rejected",
                    "The carrier rejected the request",
                ),
                CarrierError::Timeout { .. } => (
                    StatusCode::GATEWAY_TIMEOUT,
                    "carrier_timeout",
                    "The carrier did not answer in time",
                ),
                CarrierError::Unsupported(_) => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "carrier_unsupported",
                    "Not supported by this carrier",
                ),
                CarrierError::NotSent(_) | CarrierError::Paused { .. } => (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "carrier_unavailable",
                    "The carrier cannot be called right now",
                ),
                CarrierError::Connect(_) => (
                    StatusCode::BAD_GATEWAY,
                    "carrier_unreachable",
                    "The carrier could not be reached",
                ),
                CarrierError::Upstream { .. } => (
                    StatusCode::BAD_GATEWAY,
                    "carrier_error",
                    "The carrier failed",
                ),
                CarrierError::BadResponse(_) => (
                    StatusCode::BAD_GATEWAY,
                    "carrier_bad_response",
                    "The carrier's response could not be read",
                ),
            },
            // Answered as the last refusal was, so clients handle it the same way.
            AutoBookingFailed { carrier, last, .. } => ApiError::Carrier {
                carrier: carrier.clone(),
                error: last.clone(),
                shipment_id: None,
            }
            .parts(),
            RateLimited(_) => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "Too many requests",
            ),
            IdempotencyMismatch => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                "Idempotency-Key reused",
            ),
            Unavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Service unavailable",
            ),
            DatabaseUnavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "database_unavailable",
                "Database unavailable",
            ),
            Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_error",
                "Internal error",
            ),
        }
    }

    pub fn problem(&self) -> Problem {
        if let ApiError::AutoBookingFailed {
            attempts,
            carrier,
            last,
        } = self
        {
            let mut problem = ApiError::Carrier {
                carrier: carrier.clone(),
                error: last.clone(),
                shipment_id: None,
            }
            .problem();
            problem.detail = format!(
                "no carrier booked it, and none can have (tried {attempts}); the last: {}",
                problem.detail
            );
            return problem;
        }
        let (status, code, title) = self.parts();
        let request_id = REQUEST_ID
            .try_with(Clone::clone)
            .unwrap_or_else(|_| "unknown".into());
        let mut errors = Vec::new();
        let mut source = None;
        let mut shipment = None;
        let detail = match self {
            ApiError::Validation(list) => {
                errors = list.clone();
                let first = list
                    .first()
                    .map(|e| format!(" (first: {} {})", e.pointer, e.detail))
                    .unwrap_or_default();
                format!("{} invalid field(s){first}", list.len())
            }
            ApiError::MalformedJson { .. } => self.to_string(),
            ApiError::Conflict {
                detail,
                shipment_id,
                ..
            } => {
                shipment = shipment_id.clone();
                detail.clone()
            }
            ApiError::Carrier {
                carrier,
                error,
                shipment_id,
            } => {
                shipment = shipment_id.clone();
                let (carrier_code, carrier_message) = match error {
                    CarrierError::Rejected { code, message, .. } => {
                        (Some(code.clone()), Some(message.clone()))
                    }
                    _ => (None, None),
                };
                source = Some(ProblemSource {
                    kind: if matches!(error, CarrierError::Rejected { .. }) {
                        "carrier"
                    } else {
                        "gateway"
                    },
                    carrier: carrier.clone(),
                    carrier_code,
                    carrier_message,
                });
                let mut detail = format!("{carrier}: {}", public_message(error));
                if error.may_have_happened() && shipment_id.is_some() {
                    detail.push_str(
                        "; the carrier may have booked it, so the shipment is kept as \
                         pending_confirmation and must be reconciled, not re-booked",
                    );
                }
                detail
            }
            ApiError::DatabaseUnavailable(cause) => {
                tracing::warn!(error = %cause, request_id, "database unreachable; answering 503");
                format!(
                    "{self}; nothing was changed by this request unless it was answered \
                     before, so retry it (with the same Idempotency-Key) in a moment"
                )
            }
            // Internal details go to the log, not to the client.
            ApiError::Internal(e) => {
                tracing::error!(error = ?e, request_id, "internal error");
                "an internal error occurred; quote the request_id to support".into()
            }
            other => other.to_string(),
        };
        Problem {
            type_: format!("https://shipgate.dev/problems/{code}"),
            title: title.into(),
            status: status.as_u16(),
            detail,
            code: code.into(),
            request_id,
            errors,
            source,
            shipment_id: shipment,
        }
    }
}

/// What a client may see of a carrier failure: the carrier's own words for a rejection,
/// never fragments of a raw response body (those go to the log).
pub(crate) fn public_message(error: &CarrierError) -> String {
    match error {
        CarrierError::Upstream { status: 0, .. } => {
            "the connection to the carrier failed after the request was sent".into()
        }
        CarrierError::Upstream { status, .. } => format!("the carrier failed with HTTP {status}"),
        CarrierError::BadResponse(_) => "the carrier's response could not be read".into(),
        CarrierError::Connect(_) => "could not connect to the carrier".into(),
        other => other.to_string(),
    }
}

impl ApiError {
    /// Whether the same request may simply be sent again shortly, which the answer says
    /// with `Retry-After` (and which the idempotency layer therefore never stores).
    fn retry_after(&self) -> Option<u32> {
        match self {
            ApiError::Unavailable(_) | ApiError::DatabaseUnavailable(_) => Some(RETRY_AFTER_SECS),
            ApiError::Conflict {
                code: "booking_in_progress",
                ..
            } => Some(RETRY_AFTER_SECS),
            // A carrier that could not be reached booked nothing; a cancel or tracking
            // call that failed may simply be sent again (creates that may have booked are
            // answered 202, never with these). Replaying the failure for a day would only
            // force the client to invent a new key.
            ApiError::Carrier { error, .. } if transient(error) => Some(RETRY_AFTER_SECS),
            // Paused (circuit open, quota spent): as long as the pause has left.
            ApiError::Carrier {
                error:
                    CarrierError::Paused {
                        retry_after_secs, ..
                    },
                ..
            }
            | ApiError::AutoBookingFailed {
                last:
                    CarrierError::Paused {
                        retry_after_secs, ..
                    },
                ..
            } => Some(u32::try_from(*retry_after_secs).unwrap_or(u32::MAX)),
            ApiError::AutoBookingFailed {
                last: CarrierError::Connect(_),
                ..
            } => Some(RETRY_AFTER_SECS),
            _ => None,
        }
    }
}

fn transient(error: &CarrierError) -> bool {
    matches!(
        error,
        CarrierError::Connect(_)
            | CarrierError::Timeout { .. }
            | CarrierError::Upstream { .. }
            | CarrierError::BadResponse(_)
    )
}

impl ApiError {
    /// The problem document as an answer: the one rendering of every error, whether the
    /// framework answers it or the idempotency layer stores it.
    pub fn reply(&self) -> crate::reply::Reply {
        let problem = self.problem();
        let mut reply = crate::reply::Reply::json(problem.status, &problem)
            .with_header("content-type", PROBLEM_JSON);
        if let Some(secs) = self.retry_after() {
            reply = reply.with_header("retry-after", secs.to_string());
        }
        reply
    }
}

/// Media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.parts().0
    }

    fn error_response(&self) -> HttpResponse {
        self.reply().into_response()
    }
}
