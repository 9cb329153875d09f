//! NDR routes (issue 17): `POST`/`GET /v1/shipments/{id}/ndr-actions` to act on a failed
//! delivery attempt and see what came of it, and `GET /v1/ndr`, the queue of shipments
//! waiting for such a decision (`service::ndr` has the why).

use std::collections::BTreeMap;

use actix_web::web::{self, Json};
use actix_web::{get, post, put};
use carriers::taxonomy::{Status, SubStatus};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::guard::{Admin, CreatingRequest, Key, RawQuery, Read, Write, run_creating};
use super::json::{ApiJson, parse_json};
use super::ops::{cursor, encode_cursor, limit, read_query, unknown_params};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::oms_webhooks::events::NdrActionSummary;
use crate::reply::Reply;
use crate::service::ndr::{NdrActionInput, Source};
use crate::service::ndr_policy::{Policy, PolicyInput};
use crate::store::{NdrDecisionRow, RuleSets, ShipmentFilter, ShipmentRecord, StoredRuleSet};

const DEFAULT_LIMIT: u32 = 50;

/// A shipment's NDR actions, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct NdrActionList {
    pub data: Vec<NdrActionSummary>,
    /// Always null: a shipment's actions fit on one page.
    pub next_cursor: Option<String>,
}

/// A shipment waiting for an NDR decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct NdrQueueEntry {
    pub shipment_id: String,
    pub order_ref: String,
    pub carrier: String,
    pub carrier_account: String,
    pub awb: Option<String>,
    /// Failed attempts so far.
    pub attempts: i64,
    /// Why the last attempt failed, as the taxonomy names it.
    pub reason: SubStatus,
    /// The carrier's own words for it.
    pub reason_text: Option<String>,
    /// When the last attempt failed (carrier time).
    pub attempted_at: DateTime<Utc>,
    /// Whole hours since then.
    pub hours_since_attempt: i64,
    /// When the carrier returns the parcel unless told otherwise, where it says; null:
    /// neither Delhivery nor Shiprocket gives one in its API.
    pub carrier_deadline: Option<DateTime<Utc>>,
    /// What was done about this shipment's failed attempts, oldest first.
    pub actions: Vec<NdrActionSummary>,
    /// What the tenant's NDR policy decided about them, oldest first.
    pub decisions: Vec<DecisionView>,
}

/// A decision of the tenant's NDR policy about one failed attempt.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionView {
    pub attempt: i64,
    pub policy_version: i64,
    /// The rule that decided; null when no rule matched.
    pub rule: Option<String>,
    /// `reattempt`, `rto`, `wait` or `none`.
    pub decision: String,
    /// The action it sent.
    pub action_id: Option<String>,
    /// Why nothing was sent although the rule said so.
    pub detail: Option<String>,
    pub decided_at: DateTime<Utc>,
}

impl From<NdrDecisionRow> for DecisionView {
    fn from(d: NdrDecisionRow) -> Self {
        DecisionView {
            attempt: d.attempt,
            policy_version: d.policy_version,
            rule: d.rule,
            decision: d.decision,
            action_id: d.action_id,
            detail: d.detail,
            decided_at: DateTime::from_timestamp_millis(d.decided_at).unwrap_or_default(),
        }
    }
}

/// A stored version of the tenant's NDR policy.
#[derive(Debug, Serialize, ToSchema)]
pub struct PolicyView {
    pub version: i64,
    pub created_at: DateTime<Utc>,
    #[serde(flatten)]
    pub policy: Policy,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NdrQueue {
    /// Newest shipment first.
    pub data: Vec<NdrQueueEntry>,
    /// Pass as `cursor` for the next page; `null` on the last.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// Page size, 1–200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page; absent for the first page.
    cursor: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    unknown: BTreeMap<String, String>,
}

/// Tell the carrier what to do about a shipment's failed delivery attempt.
///
/// One instruction per failed attempt: a second is refused (409 `ndr_action_exists`)
/// unless the carrier rejected the first or it expired. The answer is the action with the carrier's
/// answer in `state` — `accepted`, `rejected` (with `carrier_message`), or `requested` when
/// the carrier's answer did not arrive (the scans that follow settle it). It becomes
/// `effective` when a later scan shows it (a new delivery attempt, or the return begun),
/// `expired` when none did in time.
#[utoipa::path(
    operation_id = "createNdrAction",
    tag = "ndr",
    params(("id" = String, Path, description = "Shipment id")),
    request_body = NdrActionInput,
    responses(
        (status = 201, body = NdrActionSummary),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The attempt already has an instruction (`ndr_action_exists`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields; a shipment not waiting after a failed attempt (`not_awaiting_ndr_action`); an action the carrier does not take (`action_not_offered`)", body = Problem, content_type = "application/problem+json"),
        (status = 502, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/shipments/{id}/ndr-actions")]
pub async fn create(
    state: web::Data<AppState>,
    id: web::Path<String>,
    request: CreatingRequest<Write>,
) -> Reply {
    let id = id.into_inner();
    run_creating(state, request, |state, request| async move {
        let input: NdrActionInput = parse_json(request.json, &request.body)?;
        let shipment = state.shipments.get(&request.caller.tenant.id, &id).await?;
        let action = state.ndr.request(&shipment, &input, Source::Api).await?;
        super::audit::record(
            &state,
            &request.caller,
            "ndr_action.requested",
            ("shipment", &shipment.id),
            None,
            serde_json::to_value(action.summary()).ok(),
        )
        .await;
        let location = format!("/v1/shipments/{}/ndr-actions", shipment.id);
        Ok(Reply::json(201, &action.summary()).with_header("location", location))
    })
    .await
}

/// A shipment's NDR actions and where each stands.
#[utoipa::path(
    operation_id = "listNdrActions",
    tag = "ndr",
    params(("id" = String, Path, description = "Shipment id")),
    responses(
        (status = 200, body = NdrActionList),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/shipments/{id}/ndr-actions")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Key<Read>,
    id: web::Path<String>,
) -> Result<Json<NdrActionList>, ApiError> {
    let shipment = state.shipments.get(&caller.tenant.id, &id).await?;
    let actions = state.store.ndr_actions(&[shipment.id]).await?;
    Ok(Json(NdrActionList {
        data: actions.iter().map(|a| a.summary()).collect(),
        next_cursor: None,
    }))
}

/// The NDR queue: the tenant's shipments waiting after a failed delivery attempt, newest
/// shipment first, with why the last attempt failed, how long ago, and what was done.
#[utoipa::path(
    operation_id = "listNdrQueue",
    tag = "ndr",
    params(QueueQuery),
    responses(
        (status = 200, body = NdrQueue),
        (status = 422, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/ndr")]
pub async fn queue(
    state: web::Data<AppState>,
    caller: Key<Read>,
    RawQuery(raw): RawQuery,
) -> Result<Json<NdrQueue>, ApiError> {
    let mut errors = Vec::new();
    let q: QueueQuery = read_query(raw.as_deref(), &mut errors)?;
    let limit = limit(&mut errors, q.limit.as_deref(), DEFAULT_LIMIT);
    let after = cursor(&mut errors, q.cursor.as_deref());
    unknown_params(&q.unknown, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    // Customer returns (kind `reverse`) are not NDRs to act on.
    let filter = ShipmentFilter {
        status: Some(Status::DeliveryFailed),
        kind: Some(carriers::schema::ShipmentKind::Forward),
        ..ShipmentFilter::default()
    };
    let page = state
        .store
        .list_shipments(&caller.tenant.id, &filter, after.as_ref(), limit)
        .await?;
    let ids: Vec<String> = page.shipments.iter().map(|s| s.id.clone()).collect();
    let keys: Vec<(String, i64)> = page
        .shipments
        .iter()
        .map(|s| (s.id.clone(), s.ndr_attempts))
        .collect();
    let mut attempts: BTreeMap<String, _> = state
        .store
        .failed_attempts(&keys)
        .await?
        .into_iter()
        .collect();
    let mut decisions: BTreeMap<String, Vec<DecisionView>> = BTreeMap::new();
    for d in state.store.ndr_decisions(&ids).await? {
        decisions
            .entry(d.shipment_id.clone())
            .or_default()
            .push(d.into());
    }
    let mut actions: BTreeMap<String, Vec<NdrActionSummary>> = BTreeMap::new();
    for a in state.store.ndr_actions(&ids).await? {
        actions
            .entry(a.shipment_id.clone())
            .or_default()
            .push(a.summary());
    }
    let now = Utc::now();
    let entry = |s: ShipmentRecord| {
        let attempt = attempts.remove(&s.id)?;
        let attempted_at = DateTime::from_timestamp_millis(attempt.event_at).unwrap_or_default();
        Some(NdrQueueEntry {
            order_ref: s.order_ref,
            carrier: s.carrier,
            carrier_account: s.carrier_account,
            awb: s.awb,
            attempts: s.ndr_attempts,
            reason: attempt.sub_status.parse().unwrap_or(s.sub_status),
            reason_text: attempt.description,
            attempted_at,
            hours_since_attempt: (now - attempted_at).num_hours().max(0),
            carrier_deadline: None,
            actions: actions.remove(&s.id).unwrap_or_default(),
            decisions: decisions.remove(&s.id).unwrap_or_default(),
            shipment_id: s.id,
        })
    };
    Ok(Json(NdrQueue {
        data: page.shipments.into_iter().filter_map(entry).collect(),
        next_cursor: page.next.as_ref().map(encode_cursor),
    }))
}

fn policy_view(stored: StoredRuleSet) -> Result<PolicyView, ApiError> {
    Ok(PolicyView {
        version: stored.version,
        created_at: stored.created_at,
        policy: serde_json::from_str(&stored.rules_json)
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("stored NDR policy: {e}")))?,
    })
}

/// Replace the tenant's NDR policy: stored as a new version, in force at once.
///
/// Rules are tried in order on every failed delivery attempt nobody has acted on; the
/// first that matches decides (`reattempt`, `rto`, or `wait`: send nothing), and the
/// decision is recorded with the rule and the version (`GET /v1/ndr`).
#[utoipa::path(
    operation_id = "putNdrPolicy",
    tag = "ndr",
    request_body = PolicyInput,
    responses(
        (status = 201, body = PolicyView),
        (status = 403, description = "Needs an admin key", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid rules: every problem at its JSON pointer", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[put("/v1/ndr-policy")]
pub async fn put_policy(
    state: web::Data<AppState>,
    caller: Key<Admin>,
    ApiJson(input): ApiJson<PolicyInput>,
) -> Result<Reply, ApiError> {
    let policy = Policy::parse(&input).map_err(ApiError::Validation)?;
    let json = serde_json::to_string(&policy).expect("a policy serialises");
    let before = state
        .store
        .latest_rule_set(RuleSets::NdrPolicy, &caller.tenant.id)
        .await?
        .and_then(|b| serde_json::from_str::<serde_json::Value>(&b.rules_json).ok());
    let stored = state
        .store
        .add_rule_set(RuleSets::NdrPolicy, &caller.tenant.id, &json)
        .await?;
    tracing::info!(tenant = %caller.tenant.name, version = stored.version, rules = policy.rules.len(), "NDR policy stored");
    super::audit::record(
        &state,
        &caller,
        "ndr_policy.updated",
        ("ndr_policy", &stored.version.to_string()),
        before,
        serde_json::to_value(&policy).ok(),
    )
    .await;
    Ok(Reply::json(201, &policy_view(stored)?))
}

/// The tenant's NDR policy in force.
#[utoipa::path(
    operation_id = "getNdrPolicy",
    tag = "ndr",
    responses(
        (status = 200, body = PolicyView),
        (status = 404, description = "No policy yet", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/ndr-policy")]
pub async fn get_policy(
    state: web::Data<AppState>,
    caller: Key<Read>,
) -> Result<Json<PolicyView>, ApiError> {
    let stored = state
        .store
        .latest_rule_set(RuleSets::NdrPolicy, &caller.tenant.id)
        .await?
        .ok_or_else(|| ApiError::NotFound("no NDR policy yet".into()))?;
    Ok(Json(policy_view(stored)?))
}

/// One version of the tenant's NDR policy (decisions name the version they followed).
#[utoipa::path(
    operation_id = "getNdrPolicyVersion",
    tag = "ndr",
    params(("version" = i64, Path, description = "Version number (1, 2, …)")),
    responses(
        (status = 200, body = PolicyView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/ndr-policy/versions/{version}")]
pub async fn get_policy_version(
    state: web::Data<AppState>,
    caller: Key<Read>,
    version: web::Path<String>,
) -> Result<Json<PolicyView>, ApiError> {
    // Not a version number: no such version (as for the selection rules).
    let not_found = || ApiError::NotFound(format!("no NDR policy version `{version}`"));
    let number: i64 = version.parse().map_err(|_| not_found())?;
    let stored = state
        .store
        .rule_set_version(RuleSets::NdrPolicy, &caller.tenant.id, number)
        .await?
        .ok_or_else(not_found)?;
    Ok(Json(policy_view(stored)?))
}
