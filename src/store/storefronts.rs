//! Storefront connections: which tenant a checkout callback belongs to, found by the
//! callback URL's token.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::Store;

#[derive(Debug, Clone)]
pub struct StorefrontRow {
    pub id: String,
    pub tenant_id: String,
    /// `shopify`, `woocommerce` or `magento`.
    pub platform: String,
    pub name: String,
    pub token: String,
    pub secret_sealed: String,
    /// `crate::storefront::Settings` as JSON.
    pub settings: String,
    pub created_at: i64,
}

const COLUMNS: &str = "id, tenant_id, platform, name, token, secret_sealed, settings, created_at";

fn row(r: &AnyRow) -> Result<StorefrontRow, sqlx::Error> {
    Ok(StorefrontRow {
        id: r.try_get("id")?,
        tenant_id: r.try_get("tenant_id")?,
        platform: r.try_get("platform")?,
        name: r.try_get("name")?,
        token: r.try_get("token")?,
        secret_sealed: r.try_get("secret_sealed")?,
        settings: r.try_get("settings")?,
        created_at: r.try_get("created_at")?,
    })
}

impl Store {
    pub async fn storefront_add(&self, s: &StorefrontRow) -> Result<(), sqlx::Error> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO storefronts ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        )))
        .bind(&s.id)
        .bind(&s.tenant_id)
        .bind(&s.platform)
        .bind(&s.name)
        .bind(&s.token)
        .bind(&s.secret_sealed)
        .bind(&s.settings)
        .bind(s.created_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A tenant's connections, oldest first.
    pub async fn storefronts(&self, tenant_id: &str) -> Result<Vec<StorefrontRow>, sqlx::Error> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM storefronts WHERE tenant_id = $1 ORDER BY id"
        )))
        .bind(tenant_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(row).collect()
    }

    pub async fn storefront(
        &self,
        tenant_id: &str,
        id: &str,
    ) -> Result<Option<StorefrontRow>, sqlx::Error> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM storefronts WHERE tenant_id = $1 AND id = $2"
        )))
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(row)
        .transpose()
    }

    /// The connection a callback URL's token names, of any tenant.
    pub async fn storefront_by_token(
        &self,
        platform: &str,
        token: &str,
    ) -> Result<Option<StorefrontRow>, sqlx::Error> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM storefronts WHERE token = $1 AND platform = $2"
        )))
        .bind(token)
        .bind(platform)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(row)
        .transpose()
    }

    /// Deletes a connection; `false` when the tenant has none by that id.
    pub async fn storefront_delete(&self, tenant_id: &str, id: &str) -> Result<bool, sqlx::Error> {
        let done = sqlx::query("DELETE FROM storefronts WHERE tenant_id = $1 AND id = $2")
            .bind(tenant_id)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }
}
