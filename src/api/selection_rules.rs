//! `/v1/selection-rules`: a tenant's carrier selection rules, versioned.
//!
//! Writing needs the `admin` role: rules decide where every `auto` shipment goes, which
//! is an account setting, not an order operation. Every `PUT` stores a new version and
//! makes it active at once in this process; older versions stay readable so a shipment's
//! `selection.rule_set_version` can always be looked up.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::json::ApiJson;
use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::selection::ActiveRuleSet;
use crate::selection::rules::{KnownCarriers, RuleSet, RuleSetInput};
use crate::store::Role;

/// How many versions the history lists.
const HISTORY_LIMIT: i64 = 100;

/// One version of a tenant's rule set.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleSetView {
    pub version: i64,
    pub created_at: DateTime<Utc>,
    #[serde(flatten)]
    pub rule_set: RuleSet,
}

impl From<&ActiveRuleSet> for RuleSetView {
    fn from(a: &ActiveRuleSet) -> Self {
        RuleSetView {
            version: a.version,
            created_at: a.created_at,
            rule_set: a.rules.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RuleSetVersions {
    /// Newest first (at most 100).
    pub versions: Vec<RuleSetSummary>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RuleSetSummary {
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub rules: usize,
    /// Whether this is the version in force.
    pub active: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Validated {
    pub valid: bool,
    /// The rule set as it would be stored (normalised).
    pub rule_set: RuleSet,
}

fn parse(state: &AppState, input: &RuleSetInput) -> Result<RuleSet, ApiError> {
    // Rules may name a carrier account or a carrier (all its accounts); rate-card quotes
    // carry carrier id `ratecard`.
    let mut ids = state.registry.ids();
    for id in state
        .registry
        .all()
        .map(|a| a.id)
        .chain([carriers::ratecard::CARRIER_ID])
    {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    RuleSet::parse(input, &KnownCarriers::These(&ids)).map_err(ApiError::Validation)
}

/// Replace the tenant's rule set: stored as a new version, active at once.
#[utoipa::path(
    put, path = "/v1/selection-rules", tag = "selection",
    request_body = RuleSetInput,
    responses(
        (status = 201, description = "Stored as the new active version", body = RuleSetView),
        (status = 403, description = "Needs an admin key", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid rules: every problem at its JSON pointer", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub async fn put(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<RuleSetInput>,
) -> Result<Response, ApiError> {
    caller.require(Role::Admin)?;
    let rules = parse(&state, &input)?;
    let json = serde_json::to_string(&rules).expect("rule set serialises");
    let stored = state.store.add_rule_set(&caller.tenant.id, &json).await?;
    let active = Arc::new(ActiveRuleSet {
        version: stored.version,
        rules,
        created_at: stored.created_at,
    });
    state
        .selection
        .cache
        .put(&caller.tenant.id, Some(active.clone()));
    tracing::info!(tenant = %caller.tenant.name, version = active.version, rules = active.rules.rules.len(), "selection rules stored");
    let location = format!("/v1/selection-rules/versions/{}", active.version);
    let mut response = (
        StatusCode::CREATED,
        Json(RuleSetView::from(active.as_ref())),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

/// The rule set in force.
#[utoipa::path(
    get, path = "/v1/selection-rules", tag = "selection",
    responses(
        (status = 200, body = RuleSetView),
        (status = 404, description = "No rules yet: every quote is a candidate, cheapest first", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<RuleSetView>, ApiError> {
    caller.require(Role::Read)?;
    // Straight from the database: an operator checking an upload must see it even if this
    // process's cache has not caught up with another process yet.
    let stored = state
        .store
        .latest_rule_set(&caller.tenant.id)
        .await?
        .ok_or_else(|| {
            ApiError::NotFound(
                "no selection rules yet: every quote is a candidate, ranked cheapest first".into(),
            )
        })?;
    Ok(Json(RuleSetView::from(&ActiveRuleSet::from_stored(
        stored,
    )?)))
}

/// Every stored version, newest first.
#[utoipa::path(
    get, path = "/v1/selection-rules/versions", tag = "selection",
    responses((status = 200, body = RuleSetVersions)),
    security(("api_key" = []))
)]
pub async fn versions(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<RuleSetVersions>, ApiError> {
    caller.require(Role::Read)?;
    let history = state
        .store
        .rule_set_history(&caller.tenant.id, HISTORY_LIMIT)
        .await?;
    let newest = history.first().map(|s| s.version);
    let versions = history
        .into_iter()
        .map(|stored| {
            let version = stored.version;
            let active = Some(version) == newest;
            let set = ActiveRuleSet::from_stored(stored)?;
            Ok(RuleSetSummary {
                version,
                created_at: set.created_at,
                rules: set.rules.rules.len(),
                active,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(Json(RuleSetVersions { versions }))
}

/// One version, active or not.
#[utoipa::path(
    get, path = "/v1/selection-rules/versions/{version}", tag = "selection",
    params(("version" = i64, Path, description = "Version number (1, 2, …)")),
    responses(
        (status = 200, body = RuleSetView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub async fn version(
    State(state): State<AppState>,
    caller: Caller,
    Path(version): Path<String>,
) -> Result<Json<RuleSetView>, ApiError> {
    caller.require(Role::Read)?;
    let not_found = || ApiError::NotFound(format!("no selection rule set version `{version}`"));
    let number: i64 = version.parse().map_err(|_| not_found())?;
    let stored = state
        .store
        .rule_set_version(&caller.tenant.id, number)
        .await?
        .ok_or_else(not_found)?;
    Ok(Json(RuleSetView::from(&ActiveRuleSet::from_stored(
        stored,
    )?)))
}

/// Check a rule set without storing it.
#[utoipa::path(
    post, path = "/v1/selection-rules/validate", tag = "selection",
    request_body = RuleSetInput,
    responses(
        (status = 200, description = "Valid; the normalised form", body = Validated),
        (status = 422, description = "Invalid rules: every problem at its JSON pointer", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub async fn validate(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<RuleSetInput>,
) -> Result<Json<Validated>, ApiError> {
    caller.require(Role::Read)?;
    Ok(Json(Validated {
        valid: true,
        rule_set: parse(&state, &input)?,
    }))
}
