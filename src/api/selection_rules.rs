//! `/v1/selection-rules`: a tenant's carrier selection rules, versioned.
//!
//! Writing needs the `admin` role: rules decide where every `auto` shipment goes, which
//! is an account setting, not an order operation. Every `PUT` stores a new version and
//! makes it active at once in this process; older versions stay readable so a shipment's
//! `selection.rule_set_version` can always be looked up.

use std::sync::Arc;

use actix_web::web::{self, Json};
use actix_web::{get, post, put};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::guard::{Admin, Key, Read};
use super::json::ApiJson;
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::reply::Reply;
use crate::selection::ActiveRuleSet;
use crate::selection::rules::{KnownCarriers, RuleSet, RuleSetInput};
use crate::store::RuleSets;

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
    pub data: Vec<RuleSetSummary>,
    /// Always `null`: the whole list is one page.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
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

fn parse(state: &AppState, tenant_id: &str, input: &RuleSetInput) -> Result<RuleSet, ApiError> {
    // Rules may name a carrier account the tenant may use (a shadowed platform account
    // included) or a carrier (all its accounts); rate-card quotes carry carrier id
    // `ratecard`.
    let accounts = state.registry.for_tenant(tenant_id);
    let mut ids: Vec<&str> = accounts.reachable().map(|a| a.account).collect();
    for id in accounts
        .reachable()
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
    operation_id = "putSelectionRules",
    tag = "selection",
    request_body = RuleSetInput,
    responses(
        (status = 201, description = "Stored as the new active version", body = RuleSetView),
        (status = 403, description = "Needs an admin key", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid rules: every problem at its JSON pointer", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[put("/v1/selection-rules")]
pub async fn put(
    state: web::Data<AppState>,
    caller: Key<Admin>,
    ApiJson(input): ApiJson<RuleSetInput>,
) -> Result<Reply, ApiError> {
    let rules = parse(&state, &caller.tenant.id, &input)?;
    let json = serde_json::to_string(&rules).expect("rule set serialises");
    let before = state
        .store
        .latest_rule_set(RuleSets::Selection, &caller.tenant.id)
        .await?
        .and_then(|b| serde_json::from_str::<serde_json::Value>(&b.rules_json).ok());
    let stored = state
        .store
        .add_rule_set(RuleSets::Selection, &caller.tenant.id, &json)
        .await?;
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
    super::audit::record(
        &state,
        &caller,
        "selection_rules.updated",
        ("selection_rules", &active.version.to_string()),
        before,
        Some(serde_json::from_str(&json).expect("just serialised")),
    )
    .await;
    let location = format!("/v1/selection-rules/versions/{}", active.version);
    Ok(Reply::json(201, &RuleSetView::from(active.as_ref())).with_header("location", location))
}

/// The rule set in force.
#[utoipa::path(
    operation_id = "getSelectionRules",
    tag = "selection",
    responses(
        (status = 200, body = RuleSetView),
        (status = 404, description = "No rules yet: every quote is a candidate, cheapest first", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/selection-rules")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Key<Read>,
) -> Result<Json<RuleSetView>, ApiError> {
    // Straight from the database: an operator checking an upload must see it even if this
    // process's cache has not caught up with another process yet.
    let stored = state
        .store
        .latest_rule_set(RuleSets::Selection, &caller.tenant.id)
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
    operation_id = "listSelectionRuleVersions",
    tag = "selection",
    responses((status = 200, body = RuleSetVersions)),
    security(("api_key" = []))
)]
#[get("/v1/selection-rules/versions")]
pub async fn list_versions(
    state: web::Data<AppState>,
    caller: Key<Read>,
) -> Result<Json<RuleSetVersions>, ApiError> {
    let history = state
        .store
        .rule_set_history(RuleSets::Selection, &caller.tenant.id, HISTORY_LIMIT)
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
    Ok(Json(RuleSetVersions {
        data: versions,
        next_cursor: None,
    }))
}

/// One version, active or not.
#[utoipa::path(
    operation_id = "getSelectionRuleVersion",
    tag = "selection",
    params(("version" = i64, Path, description = "Version number (1, 2, …)")),
    responses(
        (status = 200, body = RuleSetView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/selection-rules/versions/{version}")]
pub async fn get_version(
    state: web::Data<AppState>,
    caller: Key<Read>,
    version: web::Path<String>,
) -> Result<Json<RuleSetView>, ApiError> {
    let not_found = || ApiError::NotFound(format!("no selection rule set version `{version}`"));
    let number: i64 = version.parse().map_err(|_| not_found())?;
    let stored = state
        .store
        .rule_set_version(RuleSets::Selection, &caller.tenant.id, number)
        .await?
        .ok_or_else(not_found)?;
    Ok(Json(RuleSetView::from(&ActiveRuleSet::from_stored(
        stored,
    )?)))
}

/// Check a rule set without storing it.
#[utoipa::path(
    operation_id = "validateSelectionRules",
    tag = "selection",
    request_body = RuleSetInput,
    responses(
        (status = 200, description = "Valid; the normalised form", body = Validated),
        (status = 422, description = "Invalid rules: every problem at its JSON pointer", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/selection-rules/validate")]
pub async fn validate(
    state: web::Data<AppState>,
    caller: Key<Read>,
    ApiJson(input): ApiJson<RuleSetInput>,
) -> Result<Json<Validated>, ApiError> {
    Ok(Json(Validated {
        valid: true,
        rule_set: parse(&state, &caller.tenant.id, &input)?,
    }))
}
