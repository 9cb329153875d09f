//! The one error type every adapter returns.
//!
//! The classes follow the one question that matters after a failed carrier call: *might
//! the carrier have acted on it?* A booking retried after a timeout books a second AWB, so
//! the gateway must know whether it is safe to send again or whether it has to reconcile
//! first.

use thiserror::Error;

#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum CarrierError {
    /// Never left shipgate (bad configuration, outbound quota, request could not be built).
    /// Safe to retry.
    #[error("request was not sent: {0}")]
    NotSent(String),
    /// Refused before sending, for a while: the carrier's circuit is open or its outbound
    /// quota is spent. Nothing was sent; safe to retry after `retry_after_secs`.
    #[error("request was not sent: {reason}")]
    Paused {
        reason: String,
        retry_after_secs: u64,
    },
    /// Connection could not be made. Safe to retry.
    #[error("could not connect to the carrier: {0}")]
    Connect(String),
    /// Sent, but no answer in time. The carrier may have acted on it.
    #[error("the carrier did not answer within {timeout_ms} ms")]
    Timeout { timeout_ms: u64 },
    /// The carrier (or a proxy in front of it) failed with a 5xx, or the connection dropped
    /// after sending. It may have acted on it.
    #[error("the carrier failed with HTTP {status}: {detail}")]
    Upstream { status: u16, detail: String },
    /// An answer came back that does not follow the carrier's format (HTML, truncated JSON,
    /// missing fields). The carrier may have acted on it.
    #[error("the carrier's response could not be read: {0}")]
    BadResponse(String),
    /// The carrier understood the request and said no, with its own code and message.
    #[error("the carrier rejected the request ({code}): {message}")]
    Rejected {
        code: String,
        message: String,
        http_status: u16,
    },
    /// The adapter does not implement this operation for this carrier.
    #[error("{0} is not supported by this carrier")]
    Unsupported(&'static str),
}

impl CarrierError {
    pub fn rejected(code: impl Into<String>, message: impl Into<String>, http_status: u16) -> Self {
        CarrierError::Rejected {
            code: code.into(),
            message: message.into(),
            http_status,
        }
    }

    pub fn bad_response(detail: impl std::fmt::Display) -> Self {
        CarrierError::BadResponse(detail.to_string())
    }

    /// Whether the carrier may have acted on the request: such a failure is never blindly
    /// re-sent for a non-idempotent call; the outcome is reconciled by a lookup instead.
    pub fn may_have_happened(&self) -> bool {
        matches!(
            self,
            CarrierError::Timeout { .. }
                | CarrierError::Upstream { .. }
                | CarrierError::BadResponse(_)
        )
    }

    /// Short label for metrics and logs.
    pub fn class(&self) -> &'static str {
        match self {
            CarrierError::NotSent(_) | CarrierError::Paused { .. } => "not_sent",
            CarrierError::Connect(_) => "connect",
            CarrierError::Timeout { .. } => "timeout",
            CarrierError::Upstream { .. } => "upstream",
            CarrierError::BadResponse(_) => "bad_response",
            CarrierError::Rejected { .. } => "rejected",
            CarrierError::Unsupported(_) => "unsupported",
        }
    }
}
