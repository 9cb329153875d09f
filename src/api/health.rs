//! Liveness, readiness, metrics and the carrier list.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use carriers::Capabilities;
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::AppState;

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
}

/// Ready to serve: the database (and Redis, when configured) answer.
#[utoipa::path(get, path = "/readyz", tag = "operations", responses(
    (status = 200, body = Readiness),
    (status = 503, body = Readiness),
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
    pub name: &'static str,
    #[serde(flatten)]
    pub capabilities: Capabilities,
}

/// Enabled carriers and what each can do.
#[utoipa::path(get, path = "/v1/carriers", tag = "carriers", responses((status = 200, body = Vec<CarrierInfo>)))]
pub async fn carriers(State(state): State<AppState>) -> Json<Vec<CarrierInfo>> {
    Json(
        state
            .registry
            .all()
            .map(|c| CarrierInfo {
                id: c.id,
                name: c.name,
                capabilities: c.capabilities.clone(),
            })
            .collect(),
    )
}
