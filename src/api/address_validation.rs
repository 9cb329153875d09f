//! `POST /v1/addresses/validate` (issue 18): a carrier's own opinion of an address —
//! deliverable or not, residential or commercial, and its standardised form (ZIP+4, street
//! abbreviations) — through the carrier's `AddressValidation` family.
//!
//! Why beside `/v1/addresses/check`: that one is shipgate's score of an Indian address
//! from its text, with no carrier call; this one asks a carrier that keeps an address
//! database (FedEx, UPS, DHL Express, USPS), and what it says decides the residential
//! surcharge of a quote.

use actix_web::post;
use actix_web::web::{self, Json};
use carriers::Operation;
use carriers::schema::{Address, AddressInput, Violations};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::guard::{Key, Read};
use super::json::ApiJson;
use crate::app::AppState;
use crate::error::{ApiError, Problem, refused};
use crate::service::pickup_locations::account_named;
use crate::service::shipments::call;

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ValidateInput {
    /// The carrier account to ask (a carrier id for the platform's account, or your own
    /// account's id); its carrier must offer address validation.
    #[schema(value_type = String)]
    pub carrier_account: Option<String>,
    /// The address, as in a booking's `to`.
    #[schema(value_type = AddressInput)]
    pub address: Option<AddressInput>,
}

/// What the carrier made of the address.
#[derive(Debug, Serialize, ToSchema)]
pub struct AddressValidation {
    pub carrier: &'static str,
    pub carrier_account: &'static str,
    /// Whether the carrier can deliver there as written.
    pub deliverable: bool,
    /// `residential`, `commercial`, `mixed` or `unknown` (the carrier did not say).
    pub classification: &'static str,
    /// The carrier's standardised or corrected form, where it offers one.
    #[schema(required = true)]
    pub suggestion: Option<Address>,
    /// The carrier's own words.
    pub carrier_message: String,
}

/// Ask a carrier about an address: deliverable, residential or commercial, and its
/// standardised form.
///
/// Changes nothing: no `Idempotency-Key`, and a `read` key is enough. An address that is
/// not valid at all is a 422 at its pointers before the carrier is asked; a carrier
/// without address validation is a 422 at `/carrier_account`
/// (`address_validation_not_offered`).
#[utoipa::path(
    operation_id = "validateAddress",
    tag = "addresses",
    request_body = ValidateInput,
    responses(
        (status = 200, body = AddressValidation),
        (status = 422, description = "Invalid fields, an unknown account, a carrier without address validation, or a country the carrier does not validate", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "The carrier failed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/addresses/validate")]
pub async fn validate(
    state: web::Data<AppState>,
    caller: Key<Read>,
    ApiJson(input): ApiJson<ValidateInput>,
) -> Result<Json<AddressValidation>, ApiError> {
    let mut v = Violations::default();
    let account = input
        .carrier_account
        .as_deref()
        .map(str::trim)
        .unwrap_or_default();
    if account.is_empty() {
        v.add(
            "/carrier_account",
            "required",
            "name the carrier account to ask",
        );
    }
    let address = match &input.address {
        None => {
            v.add("/address", "required", "the address to validate");
            None
        }
        Some(a) => Address::parse(a, "/address", &mut v),
    };
    let address = v
        .finish(|| address.expect("no violation: an address"))
        .map_err(ApiError::Validation)?;
    let account = account_named(&state.registry, &caller.tenant.id, account)?;
    let family = account.adapter.address_validation().ok_or_else(|| {
        refused(
            "/carrier_account",
            "address_validation_not_offered",
            format!("{} offers no address validation", account.name),
        )
    })?;
    let verdict = call(
        &account,
        Operation::AddressValidation,
        family.validate(&account.transport, &address),
    )
    .await?;
    metrics::counter!("shipgate_address_validations_total", "carrier" => account.id, "deliverable" => if verdict.deliverable { "true" } else { "false" }).increment(1);
    Ok(Json(AddressValidation {
        carrier: account.id,
        carrier_account: account.account,
        deliverable: verdict.deliverable,
        classification: verdict.classification.as_str(),
        suggestion: verdict.suggestion,
        carrier_message: verdict.carrier_message,
    }))
}
