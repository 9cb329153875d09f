//! HTTP statuses and in-body refusals as [`CarrierError`]s, the same for every carrier.
//!
//! A 5xx may have happened ([`CarrierError::Upstream`]: reconciled, never blindly re-sent);
//! any other non-2xx is the carrier's refusal, under the carrier's own code where its
//! error format has one, else a code for the status: `unauthorized` (401/403: a wrong or
//! expired credential), `rate_limited` (429), `http_<status>`.

use serde::de::DeserializeOwned;

use crate::CarrierError;
use crate::kit::error_body;
use crate::wire::HttpResponse;

/// Code of the refusal of a 401/403: the credential is wrong, expired, or from the other
/// environment.
pub const UNAUTHORIZED: &str = "unauthorized";
pub const RATE_LIMITED: &str = "rate_limited";
/// Code of a refusal because the carrier does not know the shipment (its AWB, number or
/// reference), the same for every carrier.
pub const NOT_FOUND: &str = "not_found";
/// Code of a refusal because the carrier does not serve the pincode.
pub const NOT_SERVICEABLE: &str = "non_serviceable_pincode";
/// Code of a refusal because the shipment has gone too far for what was asked (a
/// cancel, an NDR instruction).
pub const NOT_ALLOWED: &str = "not_allowed";

/// The code of a refusal for an HTTP status, when the carrier names none.
pub fn status_code(status: u16) -> String {
    match status {
        401 | 403 => UNAUTHORIZED.into(),
        429 => RATE_LIMITED.into(),
        other => format!("http_{other}"),
    }
}

/// The error a non-2xx answer stands for, with the carrier's code and words when the
/// caller has read them from its error format; otherwise [`status_code`] and whatever
/// [`error_body::message`] finds.
pub fn refusal(resp: &HttpResponse, code: Option<String>, message: Option<String>) -> CarrierError {
    if let Err(e) = resp.fail_on_server_error() {
        return e;
    }
    CarrierError::rejected(
        code.unwrap_or_else(|| status_code(resp.status)),
        message.unwrap_or_else(|| error_body::message(resp)),
        resp.status,
    )
}

/// `Ok` for a 2xx, else [`refusal`] without carrier-specific words.
pub fn check(resp: &HttpResponse) -> Result<(), CarrierError> {
    match resp.is_success() {
        true => Ok(()),
        false => Err(refusal(resp, None, None)),
    }
}

/// The JSON body of a 2xx answer (see [`check`]).
pub fn json<T: DeserializeOwned>(resp: &HttpResponse) -> Result<T, CarrierError> {
    check(resp)?;
    resp.json()
}

/// Adds context to an error's message without changing its class: the class is what
/// tells the gateway whether the call may have happened.
pub fn reworded(err: CarrierError, note: impl Fn(&str) -> String) -> CarrierError {
    use CarrierError::*;
    match err {
        Rejected {
            code,
            message,
            http_status,
        } => Rejected {
            code,
            message: note(&message),
            http_status,
        },
        Upstream { status, detail } => Upstream {
            status,
            detail: note(&detail),
        },
        BadResponse(m) => BadResponse(note(&m)),
        NotSent(m) => NotSent(note(&m)),
        Connect(m) => Connect(note(&m)),
        other => {
            tracing::warn!(error = %other, "{}", note(""));
            other
        }
    }
}

/// The stable code for a refusal in the carrier's `words`: the code of the first entry of
/// the carrier's `table` (lower-case words, code) whose words they contain, case
/// ignored; `None` when none does (the carrier then names its own fallback).
pub fn code_for_words(table: &[(&str, &'static str)], words: &str) -> Option<&'static str> {
    let lower = words.to_ascii_lowercase();
    table
        .iter()
        .find(|(w, _)| lower.contains(w))
        .map(|(_, code)| *code)
}

/// Why a carrier answer read by wire types (which never see the HTTP status) could not
/// become a unified value; [`WireError::at`] adds the status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireError {
    /// The carrier understood the request and said no (its words, a stable code).
    Refused { code: String, message: String },
    /// The answer does not follow the carrier's format.
    Malformed(String),
}

impl WireError {
    pub fn refused(code: impl Into<String>, message: impl Into<String>) -> Self {
        WireError::Refused {
            code: code.into(),
            message: message.into(),
        }
    }

    pub fn malformed(detail: impl Into<String>) -> Self {
        WireError::Malformed(detail.into())
    }

    pub fn at(self, http_status: u16) -> CarrierError {
        match self {
            WireError::Refused { code, message } => {
                CarrierError::rejected(code, message, http_status)
            }
            WireError::Malformed(detail) => CarrierError::BadResponse(detail),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusal_words_take_the_first_matching_code() {
        const TABLE: [(&str, &str); 3] = [
            ("already exist", "exists"),
            ("not found", "not_found"),
            ("exist", "never_reached_first"),
        ];
        assert_eq!(code_for_words(&TABLE, "AWB Already Exists"), Some("exists"));
        assert_eq!(
            code_for_words(&TABLE, "details NOT FOUND"),
            Some("not_found")
        );
        assert_eq!(
            code_for_words(&TABLE, "it does exist"),
            Some("never_reached_first")
        );
        assert_eq!(code_for_words(&TABLE, "something else"), None);
    }

    #[test]
    fn statuses_are_classified() {
        let e = check(&HttpResponse::new(401, r#"{"detail":"Invalid token."}"#)).unwrap_err();
        assert_eq!(
            e,
            CarrierError::rejected("unauthorized", "Invalid token.", 401)
        );
        let e = check(&HttpResponse::new(429, "slow down")).unwrap_err();
        assert_eq!(e, CarrierError::rejected("rate_limited", "slow down", 429));
        let e = check(&HttpResponse::new(502, "<html>bad gateway</html>")).unwrap_err();
        assert!(matches!(e, CarrierError::Upstream { status: 502, .. }));
        assert!(e.may_have_happened());
        let page = HttpResponse::new(404, "<html><h1>Page not found</h1></html>");
        assert_eq!(
            check(&page).unwrap_err(),
            CarrierError::rejected("http_404", "Page not found", 404)
        );
        assert_eq!(
            refusal(&page, Some("E1".into()), Some("no".into())),
            CarrierError::rejected("E1", "no", 404)
        );
        assert!(check(&HttpResponse::new(200, "{}")).is_ok());
        assert_eq!(json::<u8>(&HttpResponse::new(200, "7")).unwrap(), 7);
    }

    #[test]
    fn rewording_keeps_the_class() {
        let note = |m: &str| format!("{m} [note]");
        let e = reworded(CarrierError::rejected("c", "m", 400), note);
        assert_eq!(e, CarrierError::rejected("c", "m [note]", 400));
        let e = reworded(CarrierError::bad_response("x"), note);
        assert_eq!(e, CarrierError::BadResponse("x [note]".into()));
    }

    #[test]
    fn wire_errors_take_the_status() {
        assert_eq!(
            WireError::refused("c", "m").at(200),
            CarrierError::rejected("c", "m", 200)
        );
        assert_eq!(
            WireError::malformed("x").at(200),
            CarrierError::BadResponse("x".into())
        );
    }
}
