//! Rate cards: prices from a tenant's contract with a carrier instead of the carrier's API.
//!
//! Many Indian courier contracts are a card — zones decided by the two PIN codes, weight
//! slabs, volumetric weight, a COD charge, fuel surcharge and GST — not a rate endpoint.
//! This module is the pure engine: [`card`] (and [`csv`]) parse a card into a validated
//! [`RateCard`], [`pincodes`] knows where every PIN code is, [`zone`] decides the zone
//! and [`price`] computes and explains the quote. No I/O and no clock, so the same input
//! always gives the same paise and every rule is tested with hand-computed numbers.
//!
//! Storing cards per tenant and carrier account, caching them and answering
//! `POST /v1/rates` with them is the gateway's business (`src/service/rate_cards.rs`).

pub mod card;
pub mod csv;
pub mod pincodes;
pub mod price;
pub mod zone;

pub use card::{CodCharge, Percent, RateCard, RateCardInput, ZoneRate, ZoneRateInput};
pub use pincodes::{Location, india};
pub use price::{CARRIER_ID, PriceError, Pricing, price};
pub use zone::Zone;
