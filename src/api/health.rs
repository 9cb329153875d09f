//! Liveness, readiness, metrics and the carrier list.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use carriers::Capabilities;
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::AppState;
use crate::breaker::BreakerState;

#[derive(Serialize, ToSchema)]
pub struct Health {
    pub status: &'static str,
}

/// The process is alive.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

#[derive(Serialize, ToSchema)]
pub struct Readiness {
    pub status: &'static str,
    pub database: &'static str,
    pub redis: &'static str,
    /// Circuit breaker state per carrier account. Informational: an open circuit does
    /// not make the gateway not ready.
    pub carriers: BTreeMap<&'static str, CarrierReadiness>,
}

#[derive(Serialize, ToSchema)]
pub struct CarrierReadiness {
    pub carrier: &'static str,
    /// `closed`, `half_open` (the next call probes) or `open` (calls fail fast).
    pub breaker: &'static str,
    /// While open: when the next probe may go.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_in_ms: Option<u64>,
}

/// Ready to serve: the database (and Redis, when configured) answer. Carrier circuit
/// breakers are reported but do not count: with one carrier down the gateway still
/// quotes, books and tracks with the others, and a load balancer taking every gateway
/// out of service for it would turn one carrier's outage into a full one.
#[utoipa::path(get, path = "/readyz", tag = "operations", responses(
    (status = 200, body = Readiness),
    (status = 503, description = "Not ready: the readiness report (not a problem document), for load balancers", body = Readiness),
))]
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let database = match state.store.ping().await {
        Ok(()) => "ok",
        Err(e) => {
            tracing::warn!(error = %e, "readiness: database unreachable");
            "unreachable"
        }
    };
    let redis = match &state.redis {
        None => "not_configured",
        Some(r) => match r.ping().await {
            Ok(()) => "ok",
            Err(e) => {
                tracing::warn!(error = %e, "readiness: Redis unreachable");
                "unreachable"
            }
        },
    };
    let carriers = state
        .registry
        .all()
        .map(|a| {
            let breaker = a.transport.breaker();
            let state = breaker.state();
            (
                a.account,
                CarrierReadiness {
                    carrier: a.id,
                    breaker: state.as_str(),
                    retry_in_ms: (state == BreakerState::Open)
                        .then(|| breaker.refusing())
                        .flatten()
                        .map(|r| r.retry_in.as_millis() as u64),
                },
            )
        })
        .collect();
    let ready = database == "ok" && redis != "unreachable";
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(Readiness {
            status: if ready { "ready" } else { "not_ready" },
            database,
            redis,
            carriers,
        }),
    )
}

/// Prometheus metrics in text format.
#[utoipa::path(get, path = "/metrics", tag = "operations", responses((status = 200, content_type = "text/plain")))]
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
}

#[derive(Serialize, ToSchema)]
pub struct CarrierInfo {
    pub id: &'static str,
    /// The account id (the carrier id for a carrier's default account).
    pub account: &'static str,
    pub name: &'static str,
    #[serde(flatten)]
    pub capabilities: Capabilities,
}

/// Enabled carrier accounts and what each can do.
#[utoipa::path(get, path = "/v1/carriers", tag = "carriers",
    responses((status = 200, body = Vec<CarrierInfo>)), security(("api_key" = [])))]
pub async fn carriers(State(state): State<AppState>) -> Json<Vec<CarrierInfo>> {
    Json(
        state
            .registry
            .all()
            .map(|c| CarrierInfo {
                id: c.id,
                account: c.account,
                name: c.name,
                capabilities: c.capabilities.clone(),
            })
            .collect(),
    )
}
