//! Operations console sessions (`console_sessions`): a cookie's token, by its SHA-256,
//! standing for the API key it was signed in with.
//!
//! A session holds no role or tenant of its own: every lookup joins the key and its tenant,
//! so a revoked key (or a changed role) takes effect on the session's next request, and a
//! session never outlives nor outranks its key.

use sqlx::Row;

use super::{Role, Store, Tenant, now_ms};

/// A live session, as a request sees it.
#[derive(Debug, Clone)]
pub struct ConsoleSession {
    pub tenant: Tenant,
    pub role: Role,
    pub key_id: String,
    pub csrf_token: String,
    pub expires_at: i64,
}

impl Store {
    /// Stores a session for the key `api_key_id`; also drops sessions already expired, so
    /// the table holds roughly the sessions of the last twelve hours.
    pub async fn create_console_session(
        &self,
        token_hash: &str,
        api_key_id: &str,
        csrf_token: &str,
        expires_at: i64,
    ) -> Result<(), sqlx::Error> {
        let now = now_ms();
        sqlx::query("DELETE FROM console_sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?;
        sqlx::query(
            "INSERT INTO console_sessions (token_hash, api_key_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(api_key_id)
        .bind(csrf_token)
        .bind(now)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The unexpired session of this token hash whose key is still active.
    pub async fn find_console_session(
        &self,
        token_hash: &str,
    ) -> Result<Option<ConsoleSession>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT t.id, t.name, k.role, k.id AS key_id, s.csrf_token, s.expires_at \
             FROM console_sessions s \
             JOIN api_keys k ON k.id = s.api_key_id \
             JOIN tenants t ON t.id = k.tenant_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND k.revoked_at IS NULL",
        )
        .bind(token_hash)
        .bind(now_ms())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.and_then(|r| {
            let role: String = r.get("role");
            Some(ConsoleSession {
                tenant: Tenant {
                    id: r.get("id"),
                    name: r.get("name"),
                },
                role: role.parse().ok()?,
                key_id: r.get("key_id"),
                csrf_token: r.get("csrf_token"),
                expires_at: r.get("expires_at"),
            })
        }))
    }

    /// Ends a session; whether there was one.
    pub async fn delete_console_session(&self, token_hash: &str) -> Result<bool, sqlx::Error> {
        let done = sqlx::query("DELETE FROM console_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Moves a session's expiry (tests prove an expired session is refused).
    pub async fn expire_console_session(
        &self,
        token_hash: &str,
        expires_at: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE console_sessions SET expires_at = $1 WHERE token_hash = $2")
            .bind(expires_at)
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
