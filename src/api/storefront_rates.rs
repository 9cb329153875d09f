//! The storefront callbacks: `POST /storefront/{platform}/{token}/rates`, where a shop's
//! checkout asks for shipping rates (`crate::storefront` has the why).
//!
//! Not tenant routes (no API key): the token in the path names the connection and the
//! platform's own signature authenticates the body. A checkout that gets no rate in time
//! is answered `{"rates": []}` (200), so the platform shows its backup rates.

use actix_web::{HttpRequest, post, web};

use super::guard::read_body;
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::reply::Reply;
use crate::storefront::{self, magento, shopify, woocommerce};

/// Shopify's CarrierService callback.
///
/// Takes Shopify's rate request as Shopify sends it, signed with the app's client secret
/// (`X-Shopify-Hmac-Sha256`: base64 HMAC-SHA256 of the body), and answers Shopify's rates:
/// the tenant's carriers, rate cards and selection rules (rates the rules exclude are not
/// offered; the recommended one comes first), `total_price` in subunits as a string,
/// delivery dates from the estimate. Items that do not require shipping are left out;
/// the origin is the request's. Carriers that have not answered by
/// `storefront.deadline_ms` are left out; an identical cart within
/// `storefront.cache_ttl_ms` is answered from the cart cache.
#[utoipa::path(
    operation_id = "shopifyRates",
    tag = "storefronts",
    params(("token" = String, Path, description = "The connection's token, from its `callback_url`")),
    request_body = shopify::RateRequest,
    responses(
        (status = 200, body = shopify::Rates),
        (status = 401, description = "Missing or wrong signature, or another shop's request", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No Shopify connection has this callback URL", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field Shopify sent is unusable, at its pointer (`/rate/destination/postal_code`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/storefront/shopify/{token}/rates")]
pub async fn shopify_rates(
    state: web::Data<AppState>,
    token: web::Path<String>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<Reply, ApiError> {
    let body = read_body(&req, payload.into_inner(), &state).await?;
    let checkout =
        storefront::rates::<shopify::RateRequest>(&state, &token, req.headers(), &body).await?;
    Ok(Reply::json(200, &shopify::answer(&checkout.offers)))
}

/// The WooCommerce plugin's rate request.
///
/// The package `calculate_shipping($package)` gets, as the `shipgate-rates` plugin posts
/// it, signed with the connection's secret (`X-Shipgate-Signature`: base64 HMAC-SHA256
/// of the body). Answers one rate per `WC_Shipping_Rate` (`cost` in major units of the
/// store currency; rates in another currency are left out), priced as Shopify's are.
#[utoipa::path(
    operation_id = "woocommerceRates",
    tag = "storefronts",
    params(("token" = String, Path, description = "The connection's token, from its `callback_url`")),
    request_body = woocommerce::RateRequest,
    responses(
        (status = 200, body = woocommerce::Rates),
        (status = 401, description = "Missing or wrong signature", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No WooCommerce connection has this callback URL", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field the plugin sent is unusable, at its pointer (`/package/destination/postcode`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/storefront/woocommerce/{token}/rates")]
pub async fn woocommerce_rates(
    state: web::Data<AppState>,
    token: web::Path<String>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<Reply, ApiError> {
    let body = read_body(&req, payload.into_inner(), &state).await?;
    let checkout =
        storefront::rates::<woocommerce::RateRequest>(&state, &token, req.headers(), &body).await?;
    Ok(Reply::json(200, &woocommerce::answer(&checkout.offers)))
}

/// The Magento module's rate request.
///
/// The fields of Magento's `RateRequest` as the `Shipgate_Rates` carrier model posts them
/// from `collectRates()`, with the connection's secret as a bearer token. Answers one
/// rate per rate result method (`price` with the connection's markup, `cost` without, in
/// major units of the base currency; rates in another currency are left out).
#[utoipa::path(
    operation_id = "magentoRates",
    tag = "storefronts",
    params(("token" = String, Path, description = "The connection's token, from its `callback_url`")),
    request_body = magento::RateRequest,
    responses(
        (status = 200, body = magento::Rates),
        (status = 401, description = "Missing or wrong bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No Magento connection has this callback URL", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field the module sent is unusable, at its pointer (`/dest_postcode`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/storefront/magento/{token}/rates")]
pub async fn magento_rates(
    state: web::Data<AppState>,
    token: web::Path<String>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<Reply, ApiError> {
    let body = read_body(&req, payload.into_inner(), &state).await?;
    let checkout =
        storefront::rates::<magento::RateRequest>(&state, &token, req.headers(), &body).await?;
    Ok(Reply::json(
        200,
        &magento::answer(&checkout.offers, &checkout.connection.row.name),
    ))
}
