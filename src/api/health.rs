//! Liveness, readiness, metrics and the carrier list.

use std::collections::BTreeMap;

use actix_web::web::{self, Json};
use actix_web::{HttpResponse, get};
use carriers::Capabilities;
use serde::Serialize;
use utoipa::ToSchema;

use super::guard::{Key, Read};
use crate::app::AppState;
use crate::breaker::BreakerState;
use crate::reply::Reply;

#[derive(Serialize, ToSchema)]
pub struct Health {
    pub status: &'static str,
}

/// The process is alive.
#[utoipa::path(
    operation_id = "getHealth",
    tag = "operations", responses((status = 200, body = Health)))]
#[get("/healthz")]
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
#[utoipa::path(
    operation_id = "getReadiness",
    tag = "operations", responses(
    (status = 200, body = Readiness),
    (status = 503, description = "Not ready: the readiness report (not a problem document), for load balancers", body = Readiness),
))]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Reply {
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
    // Platform accounts only: this route is open, and tenants' accounts are theirs.
    let carriers = state
        .registry
        .platform()
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
    Reply::json(
        if ready { 200 } else { 503 },
        &Readiness {
            status: if ready { "ready" } else { "not_ready" },
            database,
            redis,
            carriers,
        },
    )
}

/// Prometheus metrics in text format.
#[utoipa::path(
    operation_id = "getMetrics",
    tag = "operations", responses((status = 200, content_type = "text/plain")))]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(state.metrics.render())
}

/// An account's circuit breaker, as this process sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CircuitView {
    /// `closed`, `half_open` (the next call probes) or `open` (calls fail fast, nothing
    /// is sent).
    #[schema(example = "closed")]
    pub state: &'static str,
    /// While open: milliseconds until the next probe may go; null otherwise.
    #[schema(required = true)]
    pub retry_in_ms: Option<u64>,
    /// Consecutive transport failures (no connection, timeouts, 5xx) that open it.
    pub failure_threshold: u32,
    /// How long it stays open before a probe.
    pub cool_down_ms: u64,
}

/// How much of its outbound quota an account used over the last minute, in this process
/// (each gateway process paces its own share).
#[derive(Debug, Serialize, ToSchema)]
pub struct QuotaUse {
    /// The calls a second the account may send to the carrier.
    pub per_second: f64,
    /// `per_second` × 60.
    pub limit_per_minute: f64,
    /// Calls sent in the last 60 seconds.
    pub used_last_minute: u64,
    /// `used_last_minute` as a percentage of `limit_per_minute`, one decimal.
    pub used_pct: f64,
    /// Calls refused in the last 60 seconds for want of a free slot (nothing was sent).
    pub refused_last_minute: u64,
}

impl CircuitView {
    pub fn of(transport: &crate::executor::CarrierTransport) -> CircuitView {
        let breaker = transport.breaker();
        let state = breaker.state();
        CircuitView {
            state: state.as_str(),
            retry_in_ms: (state == BreakerState::Open)
                .then(|| breaker.refusing())
                .flatten()
                .map(|r| r.retry_in.as_millis() as u64),
            failure_threshold: breaker.threshold(),
            cool_down_ms: breaker.cool_down().as_millis() as u64,
        }
    }
}

impl QuotaUse {
    /// Null for an account whose calls are not paced.
    pub fn of(transport: &crate::executor::CarrierTransport) -> Option<QuotaUse> {
        let usage = transport.quota_usage()?;
        let limit = usage.per_second * 60.0;
        Some(QuotaUse {
            per_second: usage.per_second,
            limit_per_minute: limit,
            used_last_minute: usage.used_last_minute,
            used_pct: (usage.used_last_minute as f64 * 1000.0 / limit).round() / 10.0,
            refused_last_minute: usage.refused_last_minute,
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct CarrierInfo {
    pub id: &'static str,
    /// The account id (the carrier id for a carrier's default account).
    pub account: &'static str,
    pub name: &'static str,
    /// `tenant` for the caller's own account (`/v1/carrier-accounts`), `platform` for one
    /// the gateway's operator shares.
    pub owner: &'static str,
    #[serde(flatten)]
    pub capabilities: Capabilities,
    /// The account's circuit breaker in this process.
    pub circuit: CircuitView,
    /// Its outbound quota's use over the last minute; null when its calls are not paced.
    #[schema(required = true)]
    pub quota: Option<QuotaUse>,
}

/// The carrier accounts the caller's new shipments may use, as one page (there are few).
#[derive(Serialize, ToSchema)]
pub struct CarrierList {
    pub data: Vec<CarrierInfo>,
    /// Always null: every account fits on one page.
    pub next_cursor: Option<String>,
}

/// The carrier accounts the caller's tenant books with (its own first, then the shared
/// platform accounts of carriers it has none of its own of), and what each can do, with
/// each account's circuit breaker and outbound quota use in the process that answers.
#[utoipa::path(
    operation_id = "listCarriers", tag = "carriers",
    responses((status = 200, body = CarrierList)), security(("api_key" = [])))]
#[get("/v1/carriers")]
pub async fn list_carriers(state: web::Data<AppState>, caller: Key<Read>) -> Json<CarrierList> {
    Json(CarrierList {
        data: state
            .registry
            .for_tenant(&caller.tenant.id)
            .all()
            .map(|c| CarrierInfo {
                id: c.id,
                account: c.account,
                name: c.name,
                owner: if c.owner.is_some() {
                    "tenant"
                } else {
                    "platform"
                },
                capabilities: c.capabilities.clone(),
                circuit: CircuitView::of(&c.transport),
                quota: QuotaUse::of(&c.transport),
            })
            .collect(),
        next_cursor: None,
    })
}
