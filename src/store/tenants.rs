//! Tenants and their API keys. Only a SHA-256 of each key is stored: a database leak
//! must not hand out working keys.

use sqlx::Row;

use super::{Role, Store, Tenant, now_ms};

impl Store {
    pub async fn find_tenant(&self, name: &str) -> Result<Option<Tenant>, sqlx::Error> {
        let row = sqlx::query("SELECT id, name FROM tenants WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| Tenant {
            id: r.get("id"),
            name: r.get("name"),
        }))
    }

    /// Creates the tenant, or returns the existing one of that name.
    pub async fn ensure_tenant(&self, name: &str) -> Result<Tenant, sqlx::Error> {
        sqlx::query(
            "INSERT INTO tenants (id, name, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(format!("ten_{}", uuid::Uuid::now_v7().simple()))
        .bind(name)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(self
            .find_tenant(name)
            .await?
            .expect("tenant exists after insert"))
    }

    /// Stores a key by its hash; a key that already exists keeps its tenant and role.
    /// The new key's id, or `None` when it existed.
    pub async fn add_api_key(
        &self,
        tenant_id: &str,
        role: Role,
        key_hash: &str,
        prefix: &str,
        label: Option<&str>,
    ) -> Result<Option<String>, sqlx::Error> {
        let id = format!("key_{}", uuid::Uuid::now_v7().simple());
        let done = sqlx::query(
            "INSERT INTO api_keys (id, tenant_id, role, key_hash, prefix, label, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (key_hash) DO NOTHING",
        )
        .bind(&id)
        .bind(tenant_id)
        .bind(role.as_str())
        .bind(key_hash)
        .bind(prefix)
        .bind(label)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok((done.rows_affected() == 1).then_some(id))
    }

    /// The tenant, role and key id of an active key.
    pub async fn find_api_key(
        &self,
        key_hash: &str,
    ) -> Result<Option<(Tenant, Role, String)>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT t.id, t.name, k.role, k.id AS key_id FROM api_keys k \
             JOIN tenants t ON t.id = k.tenant_id \
             WHERE k.key_hash = $1 AND k.revoked_at IS NULL",
        )
        .bind(key_hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.and_then(|r| {
            let role: String = r.get("role");
            Some((
                Tenant {
                    id: r.get("id"),
                    name: r.get("name"),
                },
                role.parse().ok()?,
                r.get("key_id"),
            ))
        }))
    }
}

/// An API key as an operator lists it: never the key, only what identifies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyInfo {
    pub id: String,
    pub prefix: String,
    pub role: String,
    pub label: Option<String>,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

impl Store {
    /// A tenant's keys, oldest first, revoked ones included.
    pub async fn api_keys(&self, tenant_id: &str) -> Result<Vec<ApiKeyInfo>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT id, prefix, role, label, created_at, revoked_at FROM api_keys \
             WHERE tenant_id = $1 ORDER BY created_at, id",
        )
        .bind(tenant_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| ApiKeyInfo {
                id: r.get("id"),
                prefix: r.get("prefix"),
                role: r.get("role"),
                label: r.get("label"),
                created_at: r.get("created_at"),
                revoked_at: r.get("revoked_at"),
            })
            .collect())
    }

    /// Revokes the active key with this id or this hash; whether one was revoked.
    pub async fn revoke_api_key(&self, id_or_hash: &str) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE api_keys SET revoked_at = $1 \
             WHERE (id = $2 OR key_hash = $2) AND revoked_at IS NULL",
        )
        .bind(now_ms())
        .bind(id_or_hash)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }
}
