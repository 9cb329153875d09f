//! `POST /v1/rates`.

use actix_web::{post, web};
use carriers::schema::RateRequestInput;

use super::guard::{Key, Read};
use super::json::ApiJson;
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::reply::Reply;
use crate::service::rate_quote;
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
    let priced = rate_quote::quote(&state, &caller.tenant.id, &input).await?;
    let cache_status = match priced.cache {
        CacheOutcome::Hit(left) => format!("shipgate; hit; ttl={}", left.as_secs()),
        CacheOutcome::Miss { stored: true } => "shipgate; fwd=miss; stored".into(),
        CacheOutcome::Miss { stored: false } => "shipgate; fwd=miss".into(),
        CacheOutcome::Off => "shipgate; fwd=bypass".into(),
    };
    Ok(Reply::json(200, &priced.response).with_header("cache-status", cache_status))
}
