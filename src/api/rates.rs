//! `POST /v1/rates`.

use std::time::Duration;

use actix_web::{post, web};
use carriers::ratecard::CARRIER_ID;
use carriers::schema::{FieldError, RateRequest, RateRequestInput};

use super::guard::{Key, Read};
use super::json::ApiJson;
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::reply::Reply;
use crate::service::rate_cards;
use crate::service::rates::{CacheOutcome, RateResponse};

/// Quotes from every eligible carrier account at once, cheapest first; accounts that
/// failed, timed out, were skipped (circuit open) or do not serve the lane are listed in
/// `errors` (a partial answer is normal). The answer comes when every account has
/// answered or the deadline (`deadline_ms`, else the gateway's default) has passed.
/// `Cache-Status` (RFC 9211) says whether the carriers' part came from the short-lived
/// rate cache. The tenant's rate cards quote as carrier `ratecard` (one quote per carrier
/// account, `service` naming the account) when `carriers` is absent or names `ratecard`,
/// except a card under the account of a carrier with no rate API, which quotes as that
/// carrier (`service::rate_cards::quote`);
/// when it names `ratecard`, a PIN code the cards cannot zone is a 422 at
/// `/from/postal_code` or `/to/postal_code`. `recommendation` is the quote the tenant's
/// selection rules pick, with the reasons.
#[utoipa::path(
    tag = "rates", operation_id = "quoteRates",
    request_body = RateRequestInput,
    responses(
        (status = 200, body = RateResponse, headers(
            ("Cache-Status" = String, description = "`shipgate; hit; ttl=<s>` from the rate cache, `shipgate; fwd=miss[; stored]` asked the carriers, `shipgate; fwd=bypass` cache off")
        )),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/rates")]
pub async fn quote(
    state: web::Data<AppState>,
    caller: Key<Read>,
    ApiJson(input): ApiJson<RateRequestInput>,
) -> Result<Reply, ApiError> {
    let shop = &state.rate_shop;
    let parsed = RateRequest::parse(&input);
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
    let accounts = state.registry.for_tenant(&caller.tenant.id);
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
            let active = state.rate_cards.active(&caller.tenant.id).await?;
            Some(
                rate_cards::quote(&active, &req, explicit, &accounts)
                    .map_err(ApiError::Validation)?,
            )
        }
    };
    let quoted = shop
        .quote(&caller.tenant.id, &accounts, &req, deadline)
        .await;
    let cache_status = match quoted.cache {
        CacheOutcome::Hit(left) => format!("shipgate; hit; ttl={}", left.as_secs()),
        CacheOutcome::Miss { stored: true } => "shipgate; fwd=miss; stored".into(),
        CacheOutcome::Miss { stored: false } => "shipgate; fwd=miss".into(),
        CacheOutcome::Off => "shipgate; fwd=bypass".into(),
    };
    let mut answer = RateResponse::clone(&quoted.response);
    if let Some(cards) = cards {
        answer.merge(cards.quotes, cards.errors);
    }
    // Quotes without the carrier's promise get the lane's history, before selection
    // ranks by them.
    state
        .selection
        .scores
        .estimate_quotes(
            &caller.tenant.id,
            &req,
            &mut answer.quotes,
            crate::selection::today(),
        )
        .await?;
    answer.recommendation = Some(
        state
            .selection
            .recommend(&caller.tenant.id, &req, &answer.quotes)
            .await?,
    );
    Ok(Reply::json(200, &answer).with_header("cache-status", cache_status))
}
