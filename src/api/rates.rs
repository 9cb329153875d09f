//! `POST /v1/rates`.

use axum::Json;
use axum::extract::State;
use carriers::ratecard::CARRIER_ID;
use carriers::schema::{FieldError, RateRequest, RateRequestInput};

use super::json::ApiJson;
use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::service::rate_cards;
use crate::service::rates::{self, RateResponse};
use crate::store::Role;

/// Quotes from every eligible carrier at once, cheapest first; carriers that failed are
/// listed in `errors` (a partial answer is normal). The tenant's rate cards quote as
/// carrier `ratecard` (one quote per carrier account, `service` naming the account) when
/// `carriers` is absent or names `ratecard`; when it names `ratecard`, a PIN code the
/// cards cannot zone is a 422 at `/from/postal_code` or `/to/postal_code`.
/// `recommendation` is the quote the tenant's selection rules pick, with the reasons.
#[utoipa::path(
    post, path = "/v1/rates", tag = "rates",
    request_body = RateRequestInput,
    responses(
        (status = 200, body = RateResponse),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub async fn quote(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<RateRequestInput>,
) -> Result<Json<RateResponse>, ApiError> {
    caller.require(Role::Read)?;
    let req = RateRequest::parse(&input).map_err(ApiError::Validation)?;
    if let Some(ids) = &req.carriers {
        let unknown: Vec<FieldError> = ids
            .iter()
            .enumerate()
            .filter(|(_, id)| *id != CARRIER_ID && state.registry.get(id).is_none())
            .map(|(i, id)| FieldError {
                pointer: format!("/carriers/{i}"),
                code: "unknown_carrier".into(),
                detail: format!(
                    "`{id}` is not an enabled carrier; use one of: {}, {CARRIER_ID}",
                    state.registry.ids().join(", ")
                ),
            })
            .collect();
        if !unknown.is_empty() {
            return Err(ApiError::Validation(unknown));
        }
    }
    // Cards first: pricing them is pure, and a 422 must come before any carrier call.
    let named = req
        .carriers
        .as_ref()
        .map(|ids| ids.iter().any(|id| id == CARRIER_ID));
    let cards = match named {
        Some(false) => None,
        _ => {
            let active = state.rate_cards.active(&caller.tenant.id).await?;
            let explicit = named == Some(true);
            Some(rate_cards::quote(&active, &req, explicit).map_err(ApiError::Validation)?)
        }
    };
    let carriers = rates::eligible(&state.registry, &req);
    let mut response = rates::shop(carriers, &req).await;
    if let Some(cards) = cards {
        response.merge(cards.quotes, cards.errors);
    }
    response.recommendation =
        Some(crate::selection::recommend(&state, &caller.tenant.id, &req, &response.quotes).await?);
    Ok(Json(response))
}
