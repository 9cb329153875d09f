//! The carrier kit: what every adapter needs and no adapter should write again.
//!
//! Carriers differ in their wire formats and agree on their sloppiness: local times
//! without a zone, numbers sent as strings, money without a currency, error pages from
//! proxies, tokens that expire. Each of those is solved once here, tested here, and
//! used by every adapter, so a new carrier is its wire types, its request builders and
//! its parsers (see `docs/adding-a-carrier.md`).
//!
//! - [`awb_pool`]: AWB numbers fetched ahead of booking, per lot, each handed out once.
//! - [`adapter`]: the result type of adapter calls, a domestic carrier's capabilities,
//!   carrier refs from optional fields, a failure before the manifest as not sent.
//! - [`india`]: today in India, and the declared value in INR below the e-way bill
//!   threshold.
//! - [`settings`]: optional settings, and the `hosts` switch to one base URL.
//! - [`http`]: HTTP statuses and in-body refusals as carrier errors, one rule for all.
//! - [`memory`]: what an adapter remembers between calls, bounded and expiring.
//! - [`tracking`]: one push read as an update, unmapped codes kept, the stored AWB.
//! - [`time`]: carrier-local timestamps in the carrier's zone (IST, US zones with their
//!   daylight saving, an offset in the payload winning over both).
//! - [`lenient`]: JSON scalars of unreliable type read as text, numbers, flags and money
//!   in a stated currency; [`lenient::Text`] and [`lenient::Flag`] as field types.
//! - [`units`]: grams and millimetres to the carrier's units, with one rounding rule per
//!   direction.
//! - [`error_body`]: the carrier's own words out of a JSON, XML or HTML error answer.
//! - [`label_image`]: a carrier's GIF label wrapped, pixels unchanged, in a 4×6 in PDF.
//! - [`labels`]: the carrier's own labels and documents out of base64, one file out of
//!   one label per piece.
//! - [`session`]: logging in (a login call, OAuth2 client credentials) once for many
//!   concurrent calls, and again when the carrier refuses the token.
//!
//! Secrets are marked on the requests themselves ([`crate::wire::HttpRequest`]'s
//! `secret_*` builders), so the gateway's executor masks what each adapter marks.

pub mod adapter;
pub mod awb_pool;
pub mod error_body;
pub mod http;
pub mod india;
pub mod label_image;
pub mod labels;
pub mod lenient;
pub mod memory;
pub mod multipart;
pub mod session;
pub mod settings;
#[cfg(test)]
pub(crate) mod text_cases;
pub mod time;
pub mod tracking;
pub mod units;
