//! `POST /v1/rates`.

use axum::Json;
use axum::extract::State;
use carriers::schema::{FieldError, RateRequest, RateRequestInput};

use super::json::ApiJson;
use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::service::rates::{self, RateResponse};
use crate::store::Role;

/// Quotes from every eligible carrier at once, cheapest first; carriers that failed are
/// listed in `errors` (a partial answer is normal). `recommendation` is the quote the
/// tenant's selection rules pick, with the reasons.
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
            .filter(|(_, id)| state.registry.get(id).is_none())
            .map(|(i, id)| FieldError {
                pointer: format!("/carriers/{i}"),
                code: "unknown_carrier".into(),
                detail: format!(
                    "`{id}` is not an enabled carrier; use one of: {}",
                    state.registry.ids().join(", ")
                ),
            })
            .collect();
        if !unknown.is_empty() {
            return Err(ApiError::Validation(unknown));
        }
    }
    let carriers = rates::eligible(&state.registry, &req);
    let mut response = rates::shop(carriers, &req).await;
    response.recommendation =
        Some(crate::selection::recommend(&state, &caller.tenant.id, &req, &response.quotes).await?);
    Ok(Json(response))
}
