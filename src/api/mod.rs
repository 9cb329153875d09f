//! The HTTP surface: routes, the OpenAPI document and the docs UI.

pub mod health;
pub mod json;
pub mod layer_responses;
pub mod oms_webhooks;
pub mod ops;
pub mod rate_cards;
pub mod rates;
pub mod sandbox;
pub mod selection_rules;
pub mod shipments;
pub mod views;
pub mod webhooks;

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::{MethodRouter, any, get, post};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_swagger_ui::SwaggerUi;

use crate::app::AppState;
use layer_responses::LayerResponses;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "shipgate",
        description = "One API in front of many shipping carriers: rates, shipments and labels, \
cancellation and unified tracking.\n\nAuthentication: `Authorization: Bearer <api key>`. \
Errors are RFC 9457 `application/problem+json` with a stable `code`, the `request_id`, \
field `errors[]` with JSON pointers, and a `source` naming the carrier when a carrier said no.\n\n\
Money is `{amount, currency}` in integer minor units (paise); weights are grams; dimensions \
millimetres; times RFC 3339 UTC.",
    ),
    paths(
        rates::quote,
        rate_cards::upload,
        rate_cards::list,
        rate_cards::get,
        shipments::create,
        shipments::get,
        shipments::label,
        shipments::cancel,
        shipments::tracking,
        ops::list,
        ops::summary,
        ops::by_awb,
        webhooks::receive,
        oms_webhooks::create,
        oms_webhooks::list,
        oms_webhooks::get,
        oms_webhooks::update,
        oms_webhooks::delete,
        oms_webhooks::rotate_secret,
        oms_webhooks::deliveries,
        oms_webhooks::message,
        oms_webhooks::replay_message,
        oms_webhooks::replay_range,
        health::carriers,
        health::healthz,
        health::readyz,
        health::metrics,
        selection_rules::put,
        selection_rules::get,
        selection_rules::versions,
        selection_rules::version,
        selection_rules::validate,
    ),
    components(schemas(crate::error::Problem, carriers::schema::FieldError, webhooks::PushAccepted,
        crate::oms_webhooks::events::EventType, crate::oms_webhooks::events::ShipmentSummary)),
    modifiers(&BearerAuth, &LayerResponses),
    tags(
        (name = "rates", description = "Quotes from every carrier at once"),
        (name = "rate cards", description = "Tenants' contract rate cards, quoted as carrier `ratecard`"),
        (name = "shipments", description = "Booking, labels and cancellation"),
        (name = "tracking", description = "Unified tracking timeline"),
        (name = "carriers", description = "Enabled carriers"),
        (name = "webhooks", description = "Outbound webhooks to the OMS (Standard Webhooks): endpoints, secrets, deliveries, replay"),
        (name = "selection", description = "Carrier selection rules per tenant, versioned"),
        (name = "operations", description = "Health, readiness and metrics"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "api_key",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// The creating routes (all `POST`): they take `Idempotency-Key` and run behind the
/// idempotency layer. The router mounts exactly these there and the OpenAPI document
/// documents the header on exactly these, so the two cannot disagree.
pub const IDEMPOTENT_ROUTES: &[&str] = &[
    "/v1/shipments",
    "/v1/shipments/{id}/cancel",
    "/v1/webhook-endpoints",
    "/v1/webhook-endpoints/{id}/rotate-secret",
    "/v1/webhook-endpoints/{id}/replay",
    "/v1/webhook-messages/{id}/replay",
];

/// The handler of a creating route.
fn creating_route(path: &str) -> MethodRouter<AppState> {
    match path {
        "/v1/shipments" => post(shipments::create),
        "/v1/shipments/{id}/cancel" => post(shipments::cancel),
        "/v1/webhook-endpoints" => post(oms_webhooks::create),
        "/v1/webhook-endpoints/{id}/rotate-secret" => post(oms_webhooks::rotate_secret),
        "/v1/webhook-endpoints/{id}/replay" => post(oms_webhooks::replay_range),
        "/v1/webhook-messages/{id}/replay" => post(oms_webhooks::replay_message),
        other => unreachable!("IDEMPOTENT_ROUTES names {other} without a handler"),
    }
}

/// Every route. `/v1` routes are authenticated, then rate limited; creating POSTs go
/// through the idempotency layer instead, which rate limits them too (a keyed write in the
/// same Redis round trip as its key). Adding a creating route to [`IDEMPOTENT_ROUTES`] is
/// all it takes.
pub fn routes(state: &AppState, sandbox: bool) -> Router<AppState> {
    let creating = IDEMPOTENT_ROUTES
        .iter()
        .fold(Router::new(), |router, path| {
            router.route(path, creating_route(path))
        })
        .route_layer(from_fn_with_state(
            state.clone(),
            crate::idempotency::middleware,
        ));
    let v1 = Router::new()
        .route("/v1/rates", post(rates::quote))
        .route("/v1/shipments", get(ops::list))
        // A static segment outranks `{id}` in axum's router whatever the order; mounted
        // first anyway so the intent reads top-down (tests/ops_queries.rs checks it).
        .route("/v1/shipments/summary", get(ops::summary))
        .route("/v1/shipments/{id}", get(shipments::get))
        .route("/v1/shipments/{id}/label", get(shipments::label))
        .route("/v1/shipments/{id}/tracking", get(shipments::tracking))
        .route("/v1/tracking/{awb}", get(ops::by_awb))
        .route("/v1/carriers", get(health::carriers))
        .route("/v1/webhook-endpoints", get(oms_webhooks::list))
        .route(
            "/v1/webhook-endpoints/{id}",
            get(oms_webhooks::get)
                .patch(oms_webhooks::update)
                .delete(oms_webhooks::delete),
        )
        .route(
            "/v1/webhook-endpoints/{id}/messages",
            get(oms_webhooks::deliveries),
        )
        .route("/v1/webhook-messages/{id}", get(oms_webhooks::message))
        .route("/v1/rate-cards", get(rate_cards::list))
        .route(
            "/v1/rate-cards/{carrier_account}",
            get(rate_cards::get).put(rate_cards::upload),
        )
        .route(
            "/v1/selection-rules",
            get(selection_rules::get).put(selection_rules::put),
        )
        .route(
            "/v1/selection-rules/versions",
            get(selection_rules::versions),
        )
        .route(
            "/v1/selection-rules/versions/{version}",
            get(selection_rules::version),
        )
        .route(
            "/v1/selection-rules/validate",
            post(selection_rules::validate),
        )
        .route_layer(from_fn_with_state(
            state.clone(),
            crate::ratelimit::middleware,
        ))
        .merge(creating)
        .route_layer(from_fn_with_state(state.clone(), crate::auth::middleware));
    let mut router = Router::new()
        .merge(v1)
        // Carriers are not tenants: their pushes authenticate per carrier, outside the
        // API-key and tenant rate-limit layers.
        .route("/v1/carriers/{carrier}/webhooks", post(webhooks::receive))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .merge(SwaggerUi::new("/docs").url("/openapi.json", ApiDoc::openapi()));
    if sandbox {
        router = router.route("/sandbox/{carrier}/{*path}", any(sandbox::serve));
    }
    router.route_layer(axum::middleware::from_fn(crate::app::record_metrics))
}
