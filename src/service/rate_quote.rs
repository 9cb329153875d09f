//! Pricing one rate request the way `POST /v1/rates` answers it: the tenant's carrier
//! accounts (through the rate shop, its deadline and cache), its rate cards, lane history
//! for quotes without a promise, and its selection rules. Storefront checkouts
//! (`crate::storefront`) are priced by the same function, so a shop's checkout and the
//! OMS see the same prices and the same rules.

use std::time::Duration;

use carriers::ratecard::CARRIER_ID;
use carriers::schema::{FieldError, RateQuote, RateRequest, RateRequestInput};

use crate::app::AppState;
use crate::error::ApiError;
use crate::service::rate_cards;
use crate::service::rates::{CacheOutcome, RateResponse};

/// A priced request.
pub struct Priced {
    /// The answer of `POST /v1/rates`, with its recommendation.
    pub response: RateResponse,
    /// Whether the carriers' part came from the rate cache.
    pub cache: CacheOutcome,
    /// The quotes the selection rules leave as candidates, the recommended first (quotes
    /// of carriers the rules exclude are not here).
    pub candidates: Vec<RateQuote>,
}

/// Prices `input` for `tenant_id`: every bad field is a 422 at its pointer into `input`
/// before any carrier is asked. Carriers that have not answered by the deadline
/// (`input.deadline_ms`, else the rate shop's default) are listed in `errors`.
pub async fn quote(
    state: &AppState,
    tenant_id: &str,
    input: &RateRequestInput,
) -> Result<Priced, ApiError> {
    let shop = &state.rate_shop;
    let parsed = RateRequest::parse(input);
    let mut errors = parsed.as_ref().err().cloned().unwrap_or_default();
    let deadline = match input.deadline_ms {
        None => shop.default_deadline(),
        Some(ms) => {
            let max = shop.max_deadline().as_millis() as i64;
            if (1..=max).contains(&ms) {
                Duration::from_millis(ms as u64)
            } else {
                errors.push(FieldError {
                    pointer: "/deadline_ms".into(),
                    code: "out_of_range".into(),
                    detail: format!("deadline_ms must be between 1 and {max} (milliseconds)"),
                });
                shop.default_deadline()
            }
        }
    };
    let accounts = state.registry.for_tenant(tenant_id);
    if let Some(ids) = &input.carriers {
        errors.extend(
            ids.iter()
                .enumerate()
                .filter(|(_, id)| *id != CARRIER_ID && !accounts.knows(id))
                .map(|(i, id)| FieldError {
                    pointer: format!("/carriers/{i}"),
                    code: "unknown_carrier".into(),
                    detail: format!(
                        "`{id}` is not an enabled carrier or carrier account; use one of: {}, {CARRIER_ID}",
                        accounts.ids().join(", ")
                    ),
                }),
        );
    }
    let req = match parsed {
        Ok(req) if errors.is_empty() => req,
        _ => return Err(ApiError::Validation(errors)),
    };
    // Cards first: pricing them is pure, and a 422 must come before any carrier call.
    // They are read unless `carriers` names only accounts a card cannot price.
    let explicit = req
        .carriers
        .as_ref()
        .is_some_and(|ids| ids.iter().any(|id| id == CARRIER_ID));
    let card_asked = req.carriers.as_ref().is_none_or(|ids| {
        explicit
            || ids
                .iter()
                .flat_map(|id| accounts.named(id))
                .any(|a| !a.capabilities.rates)
    });
    let cards = match card_asked {
        false => None,
        true => {
            let active = state.rate_cards.active(tenant_id).await?;
            Some(
                rate_cards::quote(&active, &req, explicit, &accounts)
                    .map_err(ApiError::Validation)?,
            )
        }
    };
    let quoted = shop.quote(tenant_id, &accounts, &req, deadline).await;
    let mut response = RateResponse::clone(&quoted.response);
    if let Some(cards) = cards {
        response.merge(cards.quotes, cards.errors);
    }
    // Quotes without the carrier's promise get the lane's history, before selection
    // ranks by them.
    state
        .selection
        .scores
        .estimate_quotes(
            tenant_id,
            &req,
            &mut response.quotes,
            crate::selection::today(),
        )
        .await?;
    let (recommendation, candidates) = state
        .selection
        .recommend(tenant_id, &req, &response.quotes)
        .await?;
    response.recommendation = Some(recommendation);
    Ok(Priced {
        response,
        cache: quoted.cache,
        candidates,
    })
}
