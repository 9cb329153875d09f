//! The HTTP surface: routes, the OpenAPI document and the docs UI.

pub mod address_policy;
pub mod address_validation;
pub mod addresses;
pub mod analytics;
pub mod audit;
pub mod batches;
pub mod branding;
pub mod carrier_accounts;
pub mod cod;
pub mod cod_report;
pub mod cod_sources;
pub mod documents;
pub mod dry_runs;
pub mod health;
pub mod json;
pub mod labels;
pub mod layer_responses;
pub mod manifests;
pub mod ndr;
pub mod oms_webhooks;
pub mod ops;
pub mod outbound_events;
pub mod parallel_run;
pub mod pickup_locations;
pub mod pickups;
pub mod rate_cards;
pub mod rates;
pub mod resolve;
pub mod returns;
mod route_pattern;
pub mod sandbox;
pub mod selection_rules;
pub mod shipment_export;
pub mod shipments;
pub mod storefront_rates;
pub mod storefronts;
pub mod views;
pub mod webhooks;
pub mod weights;

pub mod guard;
pub mod server;

use actix_web::dev::ResourceDef;
use actix_web::{HttpRequest, web};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::error::ApiError;
use crate::reply::Reply;
use layer_responses::LayerResponses;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "shipgate",
        description = "One API in front of many shipping carriers: rates, shipments and labels, \
cancellation and unified tracking.\n\nAuthentication: `Authorization: Bearer <api key>`. \
Errors are RFC 9457 `application/problem+json` with a stable `code`, the `request_id`, \
field `errors[]` with JSON pointers, and a `source` naming the carrier when a carrier said no.\n\n\
Money is `{amount, currency}` in integer minor units of its ISO 4217 currency (paise for INR, \
cents for USD, whole yen for JPY, fils for KWD); weights are grams and dimensions millimetres \
whatever unit a carrier uses (conversions happen at the carrier's edge); times RFC 3339 UTC. \
A shipment across a border carries `customs`.",
    ),
    // `ZoneRateInput` is named only by `RateCardInput`'s hand-written `zones` schema, which
    // utoipa does not follow to collect it.
    components(schemas(crate::error::Problem, carriers::schema::FieldError, webhooks::PushAccepted,
        crate::oms_webhooks::events::EventType, crate::oms_webhooks::events::ShipmentSummary,
        crate::oms_webhooks::events::EventMessage, crate::oms_webhooks::events::NdrActionMessage,
        crate::oms_webhooks::events::WeightDiscrepancyMessage,
        crate::oms_webhooks::events::ReturnMessage,
        crate::oms_webhooks::events::CodRemittanceMessage,
        crate::store::PickupMessage, crate::store::ManifestMessage,
        carriers::ratecard::ZoneRateInput)),
    tags(
        (name = "rates", description = "Quotes from every carrier at once"),
        (name = "rate cards", description = "Tenants' contract rate cards, quoted as carrier `ratecard`"),
        (name = "shipments", description = "Booking, labels and cancellation"),
        (name = "batches", description = "Bulk booking: a JSON list or the warehouse's CSV, booked in the background"),
        (name = "tracking", description = "Unified tracking timeline"),
        (name = "ndr", description = "Failed deliveries: the NDR queue and the instructions sent to carriers"),
        (name = "weights", description = "Carriers' charged weights and freight invoices: discrepancies, disputes, overcharges"),
        (name = "returns", description = "Customer returns: reverse pickups from the buyer back to the warehouse"),
        (name = "addresses", description = "Address quality: scoring destinations, carriers' address validation, the tenant's address policy, RTO by band"),
        (name = "cod", description = "COD remittance files reconciled against delivered COD shipments; what is outstanding and overdue"),
        (name = "analytics", description = "Carrier scorecards per account and lane, computed incrementally"),
        (name = "pickups", description = "Pickup locations, carrier pickups and the day's manifests"),
        (name = "carriers", description = "The carrier accounts a tenant books with"),
        (name = "carrier-accounts", description = "A tenant's own carrier accounts: credentials encrypted at rest, never shown again"),
        (name = "webhooks", description = "Outbound webhooks to the OMS (Standard Webhooks): endpoints, secrets, deliveries, replay"),
        (name = "selection", description = "Carrier selection rules per tenant, versioned"),
        (name = "storefronts", description = "Shop checkouts (Shopify, WooCommerce, Magento) asking for shipping rates"),
        (name = "operations", description = "Health, readiness and metrics"),
        (name = "parallel run", description = "Dry-run bookings and the comparison with the OMS's own bookings before cut-over"),
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

/// The creating routes (all `POST`): their handlers take a `guard::CreatingRequest`, which
/// runs them behind the idempotency layer, and the OpenAPI document documents
/// `Idempotency-Key` on exactly these. A creating handler on a route missing here answers
/// 500 (so no test of it passes), and `tests/it/contract.rs` sends a bad key to every route
/// listed and expects the layer's 400, so the list and the handlers cannot disagree.
/// The routes that take a carrier's file (CSV) as their body: up to `file_limit_bytes`
/// instead of `body_limit_bytes` (`guard::read_body`).
pub const FILE_ROUTES: &[&str] = &[
    "/v1/cod-remittances",
    "/v1/carrier-charges",
    "/v1/shipments/{id}/documents",
    "/v1/batches",
    "/v1/parallel-run/compare",
];

pub const IDEMPOTENT_ROUTES: &[&str] = &[
    "/v1/shipments",
    "/v1/shipments/{id}/cancel",
    "/v1/shipments/{id}/documents",
    "/v1/shipments/{id}/ndr-actions",
    "/v1/shipments/{id}/weight-dispute",
    "/v1/shipments/{id}/weight-dispute/decision",
    "/v1/carrier-charges",
    "/v1/shipments/{id}/returns",
    "/v1/returns",
    "/v1/cod-remittances",
    "/v1/cod-remittances/pull",
    "/v1/cod-remittance-sources",
    "/v1/carrier-accounts",
    "/v1/pickup-locations",
    "/v1/pickups",
    "/v1/pickups/{id}/cancel",
    "/v1/manifests",
    "/v1/webhook-endpoints",
    "/v1/webhook-endpoints/{id}/rotate-secret",
    "/v1/webhook-endpoints/{id}/replay",
    "/v1/webhook-messages/{id}/replay",
    "/v1/batches",
    "/v1/batches/{id}/cancel",
    "/v1/storefronts",
];

/// Every documented route, in one place: the workers mount exactly these
/// ([`configure`]), and the OpenAPI document is collected from them ([`openapi`]), so
/// the two cannot disagree. (A macro because the two take different `ServiceConfig`s:
/// collecting the document in every worker cost each its own copy of it.)
macro_rules! every_route {
    ($cfg:expr) => {
        $cfg.service(rates::quote)
            .service(rate_cards::upload)
            .service(rate_cards::validate)
            .service(rate_cards::list)
            .service(rate_cards::get)
            // A static segment before `{id}`: actix tries resources in order.
            .service(ops::summary)
            .service(shipment_export::export)
            .service(shipments::create)
            .service(ops::list)
            .service(shipments::get)
            .service(shipments::label)
            .service(labels::print)
            .service(documents::list)
            .service(documents::get)
            .service(documents::upload)
            .service(shipments::cancel)
            .service(resolve::resolve)
            .service(shipments::tracking)
            .service(ndr::create)
            .service(ndr::list)
            .service(ndr::queue)
            .service(ndr::put_policy)
            .service(ndr::get_policy)
            .service(ndr::get_policy_version)
            .service(weights::import)
            .service(weights::list)
            .service(weights::dispute)
            .service(weights::decide)
            .service(weights::shipment_weight)
            .service(weights::overcharges)
            .service(returns::create)
            .service(returns::list)
            .service(returns::create_standalone)
            .service(addresses::check)
            .service(address_validation::validate)
            .service(addresses::report)
            .service(address_policy::put_policy)
            .service(address_policy::get_policy)
            .service(address_policy::get_policy_version)
            .service(cod::upload)
            .service(cod::pull)
            .service(cod::list)
            .service(cod::get)
            .service(cod_sources::create)
            .service(cod_sources::list)
            .service(cod_sources::delete)
            .service(cod_report::report)
            .service(analytics::scorecards)
            .service(cod_report::outstanding)
            .service(pickup_locations::create)
            .service(pickup_locations::list)
            .service(pickup_locations::get)
            .service(pickup_locations::register)
            .service(pickup_locations::deactivate)
            .service(pickups::create)
            .service(pickups::list)
            .service(pickups::get)
            .service(pickups::reschedule)
            .service(pickups::cancel)
            .service(manifests::create)
            .service(manifests::list)
            .service(manifests::get)
            .service(manifests::document)
            .service(batches::create)
            .service(batches::list)
            .service(batches::template)
            .service(batches::get)
            .service(batches::items)
            .service(batches::events)
            .service(batches::cancel)
            .service(ops::by_awb)
            .service(webhooks::receive)
            .service(webhooks::receive_for_account)
            .service(health::list_carriers)
            .service(carrier_accounts::create)
            .service(carrier_accounts::list)
            .service(carrier_accounts::get)
            .service(carrier_accounts::update)
            .service(carrier_accounts::delete)
            .service(oms_webhooks::create)
            .service(oms_webhooks::list)
            .service(oms_webhooks::get)
            .service(oms_webhooks::update)
            .service(oms_webhooks::delete)
            .service(oms_webhooks::rotate_secret)
            .service(oms_webhooks::list_deliveries)
            .service(oms_webhooks::get_message)
            .service(oms_webhooks::list_for_shipment)
            .service(oms_webhooks::replay_message)
            .service(oms_webhooks::replay_range)
            .service(selection_rules::list_versions)
            .service(selection_rules::get_version)
            .service(selection_rules::validate)
            .service(selection_rules::put)
            .service(selection_rules::get)
            .service(audit::list)
            .service(branding::put)
            .service(branding::get)
            .service(storefronts::create)
            .service(storefronts::list)
            .service(storefronts::get)
            .service(storefronts::delete)
            .service(storefront_rates::shopify_rates)
            .service(storefront_rates::woocommerce_rates)
            .service(storefront_rates::magento_rates)
            .service(dry_runs::list)
            .service(dry_runs::get)
            .service(dry_runs::label)
            .service(parallel_run::compare)
            .service(health::healthz)
            .service(health::readyz)
            .service(health::metrics);
    };
}

#[cfg(test)]
mod schema_names;

/// Mounts every route on a worker's app.
pub fn configure(cfg: &mut web::ServiceConfig) {
    every_route!(cfg);
}

/// The OpenAPI document: the routes of [`configure`] with what the layers add.
pub fn openapi() -> utoipa::openapi::OpenApi {
    use utoipa_actix_web::AppExt;
    let (_, mut doc) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(|cfg| {
            every_route!(cfg);
        })
        .split_for_parts();
    BearerAuth.modify(&mut doc);
    LayerResponses.modify(&mut doc);
    outbound_events::OutboundEvents.modify(&mut doc);
    doc
}

/// The OpenAPI document as served and the route table taken from it, made once at start
/// and shared by every HTTP worker. (Each worker holding its own copy of the document,
/// as the docs UI's own route does, cost about 9 MB of resident memory a worker.)
pub struct Published {
    /// `/openapi.json`, serialised once.
    pub json: web::Bytes,
    pub routes: RouteTable,
}

impl Published {
    pub fn new() -> Published {
        let doc = openapi();
        Published {
            json: web::Bytes::from(doc.to_json().expect("the OpenAPI document serialises")),
            routes: RouteTable::of(&doc),
        }
    }
}

impl Default for Published {
    fn default() -> Published {
        Published::new()
    }
}

/// `GET /openapi.json`: the document, as made at start.
pub async fn openapi_json(state: web::Data<crate::app::AppState>) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type("application/json")
        .body(state.openapi.json.clone())
}

/// Route templates and their methods, from the document, to tell a 405 from a 404.
pub struct RouteTable(Vec<(ResourceDef, Vec<&'static str>)>);

impl RouteTable {
    pub fn of(doc: &utoipa::openapi::OpenApi) -> RouteTable {
        RouteTable(
            doc.paths
                .paths
                .iter()
                .map(|(path, item)| {
                    let methods = [
                        ("GET", item.get.is_some()),
                        ("PUT", item.put.is_some()),
                        ("POST", item.post.is_some()),
                        ("DELETE", item.delete.is_some()),
                        ("PATCH", item.patch.is_some()),
                    ]
                    .into_iter()
                    .filter_map(|(m, has)| has.then_some(m))
                    .collect();
                    (ResourceDef::new(path.as_str()), methods)
                })
                .collect(),
        )
    }

    /// The methods a path takes (empty: no such route).
    fn allowed(&self, path: &str) -> Vec<&'static str> {
        let mut allowed: Vec<&'static str> = self
            .0
            .iter()
            .filter(|(def, _)| def.is_match(path))
            .flat_map(|(_, methods)| methods.iter().copied())
            .collect();
        allowed.sort_unstable();
        allowed.dedup();
        allowed
    }
}

/// No route took the request: 405 with `Allow` when the path exists, else 404.
pub async fn unrouted(req: HttpRequest, state: web::Data<crate::app::AppState>) -> Reply {
    let allowed = state.openapi.routes.allowed(req.path());
    if allowed.is_empty() {
        ApiError::NotFound("no such route; see /docs".into()).reply()
    } else {
        ApiError::MethodNotAllowed
            .reply()
            .with_header("allow", allowed.join(", "))
    }
}
