//! The HTTP surface: routes, the OpenAPI document and the docs UI.

pub mod health;
pub mod json;
pub mod ops;
pub mod rates;
pub mod sandbox;
pub mod selection_rules;
pub mod shipments;
pub mod views;
pub mod webhooks;

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::{any, get, post};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_swagger_ui::SwaggerUi;

use crate::app::AppState;

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
        shipments::create,
        shipments::get,
        shipments::label,
        shipments::cancel,
        shipments::tracking,
        ops::list,
        ops::summary,
        ops::by_awb,
        webhooks::receive,
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
    components(schemas(crate::error::Problem, carriers::schema::FieldError, webhooks::PushAccepted)),
    modifiers(&BearerAuth),
    tags(
        (name = "rates", description = "Quotes from every carrier at once"),
        (name = "shipments", description = "Booking, labels and cancellation"),
        (name = "tracking", description = "Unified tracking timeline"),
        (name = "carriers", description = "Enabled carriers"),
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

/// Every route. `/v1` routes are authenticated, then rate limited; creating POSTs also
/// go through the idempotency layer (mounting a creating route here is all it takes).
pub fn routes(state: &AppState, sandbox: bool) -> Router<AppState> {
    let creating = Router::new()
        .route("/v1/shipments", post(shipments::create))
        .route("/v1/shipments/{id}/cancel", post(shipments::cancel))
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
        .merge(creating)
        .route_layer(from_fn_with_state(
            state.clone(),
            crate::ratelimit::middleware,
        ))
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
