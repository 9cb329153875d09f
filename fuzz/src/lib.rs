//! What every fuzz target checks, so that each target in `fuzz_targets/` is one line.
//!
//! The targets feed arbitrary bytes to the code that reads untrusted input: carrier
//! responses and pushes (`delhivery`, `shiprocket`), the credentials pushes carry
//! (`push_auth`) and public request bodies (`requests`). Beyond "no panic" (which includes arithmetic overflow: the fuzz profile
//! keeps overflow checks on), [`check`] asserts what a reader of that input relies on:
//! statuses stay inside the unified taxonomy with consistent flags, amounts stay within
//! [`carriers::schema::Money::MAX_AMOUNT`] and survive formatting and re-parsing, parsed
//! requests survive serialising and re-reading, and every field error points into the
//! document that was sent.
//!
//! A carrier body is read twice: as a 200 answer and as an error answer whose status the
//! first byte picks, since both paths parse the body (errors inside HTTP 200, error pages,
//! 5xx bodies).

pub mod check;
pub mod delhivery;
pub mod push_auth;
pub mod requests;
pub mod shiprocket;

use carriers::wire::HttpResponse;

/// Non-2xx statuses a carrier (or a proxy in front of it) answers.
const ERROR_STATUSES: [u16; 12] = [400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504, 302];

/// The answers `data` is read as: a 200, then an error status chosen by its first byte.
pub fn responses(data: &[u8]) -> [HttpResponse; 2] {
    let status =
        ERROR_STATUSES[usize::from(data.first().copied().unwrap_or(0)) % ERROR_STATUSES.len()];
    [
        HttpResponse::new(200, data.to_vec()),
        HttpResponse::new(status, data.to_vec()),
    ]
}
