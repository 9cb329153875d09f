//! `GET /v1/audit-events`: the tenant's audit trail (`store::audit`), newest first.

use std::collections::BTreeMap;

use actix_web::get;
use actix_web::web::{self, Json};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::guard::{Admin, Key, RawQuery};
use super::ops::{instant, limit, param_error, read_query, unknown_params};
use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::store::{Actor, AuditEntry, AuditFilter, AuditRow};

const DEFAULT_LIMIT: u32 = 50;

/// Who made a change.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditActor {
    /// `api_key`, `ndr_policy`, `cli` (an operator on the server) or `buyer` (on the
    /// shipment's tracking page).
    pub kind: String,
    /// The API key's id (`key_…`, as `shipgate key list` shows it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The NDR policy rule that decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

/// What changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditTarget {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
}

/// One recorded change.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEvent {
    /// `aud_…`, time-ordered.
    pub id: String,
    pub at: DateTime<Utc>,
    pub actor: AuditActor,
    /// `<thing>.<verb>`, e.g. `carrier_account.updated`.
    pub action: String,
    pub target: AuditTarget,
    /// The thing as the API showed it before the change (never a secret).
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// And after.
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    /// The request that made it (`x-request-id`).
    pub request_id: Option<String>,
}

impl From<AuditRow> for AuditEvent {
    fn from(r: AuditRow) -> Self {
        let json = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
        AuditEvent {
            at: r.at(),
            actor: AuditActor {
                kind: r.actor,
                key_id: r.actor_key_id,
                role: r.actor_role,
                rule: r.actor_rule,
            },
            action: r.action,
            target: AuditTarget {
                kind: r.target_type,
                id: r.target_id,
            },
            before: json(r.before_json),
            after: json(r.after_json),
            request_id: r.request_id,
            id: r.id,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEventList {
    pub data: Vec<AuditEvent>,
    /// Pass as `cursor` (with the same filters) for the next page; `null` on the last.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only this action, e.g. `carrier_account.updated`.
    action: Option<String>,
    /// Only changes to this kind of thing, e.g. `webhook_endpoint`.
    target_type: Option<String>,
    /// Only changes to this thing (with `target_type`).
    target_id: Option<String>,
    /// At or after (RFC 3339).
    #[param(value_type = Option<String>, format = DateTime)]
    from: Option<String>,
    /// Before (RFC 3339).
    #[param(value_type = Option<String>, format = DateTime)]
    to: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    unknown: BTreeMap<String, String>,
}

/// The tenant's audit trail: every change to its carrier accounts, webhook endpoints,
/// selection rules, rate cards, NDR policy and NDR actions, newest first (admin only).
#[utoipa::path(
    operation_id = "listAuditEvents",
    tag = "operations",
    params(AuditQuery),
    responses(
        (status = 200, body = AuditEventList),
        (status = 403, description = "Needs an admin key", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/audit-events")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Key<Admin>,
    RawQuery(raw): RawQuery,
) -> Result<Json<AuditEventList>, ApiError> {
    let mut errors = Vec::new();
    let q: AuditQuery = read_query(raw.as_deref(), &mut errors)?;
    let from = q
        .from
        .as_deref()
        .and_then(|v| instant(&mut errors, "from", v));
    let to = q.to.as_deref().and_then(|v| instant(&mut errors, "to", v));
    let limit = limit(&mut errors, q.limit.as_deref(), DEFAULT_LIMIT);
    let cursor = q.cursor.filter(|c| {
        let ok = c.starts_with("aud_") && c.len() < 64;
        if !ok {
            errors.push(param_error(
                "cursor",
                "invalid_cursor",
                "pass `next_cursor` from the previous page unchanged",
            ));
        }
        ok
    });
    unknown_params(&q.unknown, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let filter = AuditFilter {
        action: q.action,
        target_type: q.target_type,
        target_id: q.target_id,
        from: from.map(|t| t.timestamp_millis()),
        to: to.map(|t| t.timestamp_millis()),
    };
    let rows = state
        .store
        .audit_events(
            &caller.tenant.id,
            &filter,
            cursor.as_deref(),
            i64::from(limit),
        )
        .await?;
    let next_cursor = (rows.len() == limit as usize)
        .then(|| rows.last().map(|r| r.id.clone()))
        .flatten();
    Ok(Json(AuditEventList {
        data: rows.into_iter().map(AuditEvent::from).collect(),
        next_cursor,
    }))
}

/// Records a change made by `caller`; a failure to record is logged, not the caller's
/// problem (the change itself is made).
pub async fn record(
    state: &AppState,
    caller: &Caller,
    action: &str,
    target: (&str, &str),
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) {
    // The trail documents `before` and `after` as objects (what the API shows of a thing).
    debug_assert!(
        [&before, &after]
            .iter()
            .all(|v| v.as_ref().is_none_or(serde_json::Value::is_object)),
        "{action}: audit before/after must be objects"
    );
    let request_id = crate::error::REQUEST_ID.try_with(Clone::clone).ok();
    let entry = AuditEntry {
        tenant_id: &caller.tenant.id,
        actor: Actor::Key {
            id: caller.key_id.clone(),
            role: caller.role.as_str().to_string(),
        },
        action,
        target_type: target.0,
        target_id: target.1,
        before,
        after,
        request_id: request_id.as_deref(),
    };
    if let Err(e) = state.store.audit(entry).await {
        tracing::error!(error = %e, action, target_type = target.0, target_id = target.1, "audit event not recorded");
    }
}
