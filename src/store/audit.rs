//! The audit trail (issue 17): who changed what, when, and from what to what.
//!
//! Rows are only ever inserted. `before` and `after` are what the API shows of the thing
//! (never a credential or secret: the callers pass views, which hold none), so the trail
//! can be read by anyone who may read the tenant's configuration.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::records::from_ms;
use super::{Store, now_ms};

/// Who acted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// An API key, by its id and role.
    Key { id: String, role: String },
    /// The tenant's NDR policy, by the rule that decided.
    Policy { rule: String },
    /// The `shipgate` command line (an operator on the server).
    Cli,
    /// A buyer on the shipment's tracking page (no API key: the page's link is the
    /// credential).
    Buyer,
}

/// One change to record.
pub struct AuditEntry<'a> {
    pub tenant_id: &'a str,
    pub actor: Actor,
    /// `<thing>.<verb>`: `carrier_account.created`, `webhook_endpoint.secret_rotated`, …
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: &'a str,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub request_id: Option<&'a str>,
}

/// A recorded change.
#[derive(Debug, Clone)]
pub struct AuditRow {
    pub id: String,
    pub at: i64,
    pub actor: String,
    pub actor_key_id: Option<String>,
    pub actor_role: Option<String>,
    pub actor_rule: Option<String>,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub request_id: Option<String>,
}

/// Which recorded changes to list.
#[derive(Debug, Default)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    /// At or after (Unix ms).
    pub from: Option<i64>,
    /// Before (Unix ms).
    pub to: Option<i64>,
}

const COLUMNS: &str = "id, at, actor, actor_key_id, actor_role, actor_rule, action, target_type, \
    target_id, before_json, after_json, request_id";

fn row(r: &AnyRow) -> Result<AuditRow, sqlx::Error> {
    Ok(AuditRow {
        id: r.try_get("id")?,
        at: r.try_get("at")?,
        actor: r.try_get("actor")?,
        actor_key_id: r.try_get("actor_key_id")?,
        actor_role: r.try_get("actor_role")?,
        actor_rule: r.try_get("actor_rule")?,
        action: r.try_get("action")?,
        target_type: r.try_get("target_type")?,
        target_id: r.try_get("target_id")?,
        before_json: r.try_get("before_json")?,
        after_json: r.try_get("after_json")?,
        request_id: r.try_get("request_id")?,
    })
}

impl AuditRow {
    pub fn at(&self) -> chrono::DateTime<chrono::Utc> {
        from_ms(self.at)
    }
}

impl Store {
    /// Records a change.
    pub async fn audit(&self, entry: AuditEntry<'_>) -> Result<(), sqlx::Error> {
        let (actor, key_id, role, rule) = match entry.actor {
            Actor::Key { id, role } => ("api_key", Some(id), Some(role), None),
            Actor::Policy { rule } => ("ndr_policy", None, None, Some(rule)),
            Actor::Cli => ("cli", None, None, None),
            Actor::Buyer => ("buyer", None, None, None),
        };
        let _turn = self.write_turn().await;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO audit_events (tenant_id, {COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        )))
        .bind(entry.tenant_id)
        .bind(format!("aud_{}", uuid::Uuid::now_v7().simple()))
        .bind(now_ms())
        .bind(actor)
        .bind(key_id)
        .bind(role)
        .bind(rule)
        .bind(entry.action)
        .bind(entry.target_type)
        .bind(entry.target_id)
        .bind(entry.before.map(|v| v.to_string()))
        .bind(entry.after.map(|v| v.to_string()))
        .bind(entry.request_id)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// A tenant's recorded changes matching `filter`, newest first, after `after` (the
    /// previous page's last id, which orders by time), at most `limit`.
    pub async fn audit_events(
        &self,
        tenant_id: &str,
        filter: &AuditFilter,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<AuditRow>, sqlx::Error> {
        // Ids are time-ordered (UUIDv7), so one column orders and pages.
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM audit_events WHERE tenant_id = $1 \
             AND ($2 IS NULL OR action = $2) AND ($3 IS NULL OR target_type = $3) \
             AND ($4 IS NULL OR target_id = $4) AND ($5 IS NULL OR at >= $5) \
             AND ($6 IS NULL OR at < $6) AND ($7 IS NULL OR id < $7) \
             ORDER BY id DESC LIMIT $8"
        )))
        .bind(tenant_id)
        .bind(filter.action.as_deref())
        .bind(filter.target_type.as_deref())
        .bind(filter.target_id.as_deref())
        .bind(filter.from)
        .bind(filter.to)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(row).collect()
    }
}
