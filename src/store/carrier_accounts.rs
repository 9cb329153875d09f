//! Tenants' own carrier accounts (issue 16). The store keeps what it is given:
//! credentials arrive sealed ([`crate::service::carrier_accounts`] seals them) and leave
//! sealed, so nothing at this layer ever holds one in plain text.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Store, now_ms};

/// One stored account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRow {
    pub tenant_id: String,
    pub id: String,
    pub carrier: String,
    pub name: String,
    pub enabled: bool,
    /// The options that are not secret (pickup location, services…), as a JSON object.
    pub settings_json: String,
    /// Each credential field → its sealed value, as a JSON object.
    pub credentials_json: String,
    pub credentials_changed_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// An account to store.
pub struct NewAccount<'a> {
    pub tenant_id: &'a str,
    pub id: &'a str,
    pub carrier: &'a str,
    pub name: &'a str,
    pub settings_json: &'a str,
    pub credentials_json: &'a str,
}

const COLUMNS: &str = "tenant_id, id, carrier, name, enabled, settings_json, credentials_json, \
                       credentials_changed_at, created_at, updated_at";

fn row(r: AnyRow) -> Result<AccountRow, sqlx::Error> {
    Ok(AccountRow {
        tenant_id: r.try_get("tenant_id")?,
        id: r.try_get("id")?,
        carrier: r.try_get("carrier")?,
        name: r.try_get("name")?,
        enabled: r.try_get::<i64, _>("enabled")? != 0,
        settings_json: r.try_get("settings_json")?,
        credentials_json: r.try_get("credentials_json")?,
        credentials_changed_at: r.try_get("credentials_changed_at")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

impl Store {
    /// Stores a new account, enabled. A second account of the same carrier and name in
    /// one tenant is a unique violation.
    pub async fn add_carrier_account(
        &self,
        new: &NewAccount<'_>,
    ) -> Result<AccountRow, sqlx::Error> {
        let _turn = self.write_turn().await;
        let now = now_ms();
        let inserted = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO tenant_carrier_accounts ({COLUMNS}) \
             VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $7, $7) RETURNING {COLUMNS}"
        )))
        .bind(new.tenant_id)
        .bind(new.id)
        .bind(new.carrier)
        .bind(new.name)
        .bind(new.settings_json)
        .bind(new.credentials_json)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        row(inserted)
    }

    /// A tenant's accounts, by carrier and name.
    pub async fn carrier_accounts(&self, tenant_id: &str) -> Result<Vec<AccountRow>, sqlx::Error> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM tenant_carrier_accounts WHERE tenant_id = $1 \
             ORDER BY carrier, name"
        )))
        .bind(tenant_id)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(row)
        .collect()
    }

    /// Every tenant's accounts: what the registry builds adapters from, and what a
    /// master-key rotation re-wraps.
    pub async fn all_carrier_accounts(&self) -> Result<Vec<AccountRow>, sqlx::Error> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM tenant_carrier_accounts ORDER BY tenant_id, id"
        )))
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(row)
        .collect()
    }

    pub async fn carrier_account(
        &self,
        tenant_id: &str,
        id: &str,
    ) -> Result<Option<AccountRow>, sqlx::Error> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM tenant_carrier_accounts WHERE tenant_id = $1 AND id = $2"
        )))
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .map(row)
        .transpose()
    }

    /// Replaces the sealed credentials. `rotated` says whether the credentials themselves
    /// changed (a tenant's rotation) or only their sealing (a master-key rotation, which
    /// leaves `credentials_changed_at` as it was). False when there is no such account,
    /// or when `expected` no longer matches (another process re-sealed it first).
    pub async fn replace_carrier_credentials(
        &self,
        tenant_id: &str,
        id: &str,
        expected: &str,
        credentials_json: &str,
        rotated: bool,
    ) -> Result<bool, sqlx::Error> {
        let _turn = self.write_turn().await;
        let now = now_ms();
        let done = sqlx::query(
            "UPDATE tenant_carrier_accounts SET credentials_json = $1, updated_at = $2, \
             credentials_changed_at = CASE WHEN $3 = 1 THEN $2 ELSE credentials_changed_at END \
             WHERE tenant_id = $4 AND id = $5 AND credentials_json = $6",
        )
        .bind(credentials_json)
        .bind(now)
        .bind(i64::from(rotated))
        .bind(tenant_id)
        .bind(id)
        .bind(expected)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn set_carrier_account_enabled(
        &self,
        tenant_id: &str,
        id: &str,
        enabled: bool,
    ) -> Result<bool, sqlx::Error> {
        let _turn = self.write_turn().await;
        let done = sqlx::query(
            "UPDATE tenant_carrier_accounts SET enabled = $1, updated_at = $2 \
             WHERE tenant_id = $3 AND id = $4",
        )
        .bind(i64::from(enabled))
        .bind(now_ms())
        .bind(tenant_id)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn delete_carrier_account(
        &self,
        tenant_id: &str,
        id: &str,
    ) -> Result<bool, sqlx::Error> {
        let _turn = self.write_turn().await;
        let done =
            sqlx::query("DELETE FROM tenant_carrier_accounts WHERE tenant_id = $1 AND id = $2")
                .bind(tenant_id)
                .bind(id)
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected() == 1)
    }
}
