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
    /// The path segment of the account's own push URL.
    pub push_token: String,
    /// The account's push secret, sealed like a credential.
    pub push_secret: String,
    /// Gateway options that are not carrier settings (outbound quota, services), as a
    /// JSON object.
    pub options_json: String,
}

/// An account to store.
pub struct NewAccount<'a> {
    pub tenant_id: &'a str,
    pub id: &'a str,
    pub carrier: &'a str,
    pub name: &'a str,
    pub settings_json: &'a str,
    pub credentials_json: &'a str,
    pub push_token: &'a str,
    pub push_secret: &'a str,
    pub options_json: &'a str,
}

/// What a `PATCH` changes; `None` leaves a column as it is.
#[derive(Debug, Default)]
pub struct AccountChange {
    pub name: Option<String>,
    pub enabled: Option<bool>,
    pub settings_json: Option<String>,
    pub options_json: Option<String>,
    /// New sealed credentials: a rotation, so `credentials_changed_at` moves too.
    pub credentials_json: Option<String>,
    pub push_secret: Option<String>,
}

const COLUMNS: &str = "tenant_id, id, carrier, name, enabled, settings_json, credentials_json, \
                       credentials_changed_at, created_at, updated_at, push_token, push_secret, \
                       options_json";

/// Moves the generation every process compares with the one it loaded
/// (`crate::registry`), in the transaction of the change itself.
const BUMP: &str = "UPDATE carrier_account_changes SET generation = generation + 1 WHERE id = 1";

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
        push_token: r.try_get("push_token")?,
        push_secret: r.try_get("push_secret")?,
        options_json: r.try_get("options_json")?,
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
        let mut tx = self.writer.begin().await?;
        let inserted = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO tenant_carrier_accounts ({COLUMNS}) \
             VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $7, $7, $8, $9, $10) RETURNING {COLUMNS}"
        )))
        .bind(new.tenant_id)
        .bind(new.id)
        .bind(new.carrier)
        .bind(new.name)
        .bind(new.settings_json)
        .bind(new.credentials_json)
        .bind(now)
        .bind(new.push_token)
        .bind(new.push_secret)
        .bind(new.options_json)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(BUMP).execute(&mut *tx).await?;
        tx.commit().await?;
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

    /// Replaces what is sealed (the credentials and the push secret) with the same values
    /// sealed under the current master key: a master-key rotation, which leaves
    /// `credentials_changed_at` as it was. False when there is no such account, or when
    /// `expected` no longer matches (another process re-sealed or rotated it first).
    pub async fn reseal_carrier_account(
        &self,
        tenant_id: &str,
        id: &str,
        expected: (&str, &str),
        resealed: (&str, &str),
    ) -> Result<bool, sqlx::Error> {
        let _turn = self.write_turn().await;
        let mut tx = self.writer.begin().await?;
        let done = sqlx::query(
            "UPDATE tenant_carrier_accounts SET credentials_json = $1, push_secret = $2, \
             updated_at = $3 WHERE tenant_id = $4 AND id = $5 AND credentials_json = $6 \
             AND push_secret = $7",
        )
        .bind(resealed.0)
        .bind(resealed.1)
        .bind(now_ms())
        .bind(tenant_id)
        .bind(id)
        .bind(expected.0)
        .bind(expected.1)
        .execute(&mut *tx)
        .await?;
        let changed = done.rows_affected() == 1;
        if changed {
            sqlx::query(BUMP).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// Applies a tenant's change; the account as it is now, or `None` when there is none.
    pub async fn change_carrier_account(
        &self,
        tenant_id: &str,
        id: &str,
        change: &AccountChange,
    ) -> Result<Option<AccountRow>, sqlx::Error> {
        let _turn = self.write_turn().await;
        let now = now_ms();
        let mut tx = self.writer.begin().await?;
        let changed = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE tenant_carrier_accounts SET \
             name = COALESCE($1, name), \
             enabled = COALESCE($2, enabled), \
             settings_json = COALESCE($3, settings_json), \
             options_json = COALESCE($4, options_json), \
             credentials_json = COALESCE($5, credentials_json), \
             credentials_changed_at = CASE WHEN $5 IS NULL THEN credentials_changed_at \
                                      ELSE $7 END, \
             push_secret = COALESCE($6, push_secret), \
             updated_at = $7 \
             WHERE tenant_id = $8 AND id = $9 RETURNING {COLUMNS}"
        )))
        .bind(change.name.as_deref())
        .bind(change.enabled.map(i64::from))
        .bind(change.settings_json.as_deref())
        .bind(change.options_json.as_deref())
        .bind(change.credentials_json.as_deref())
        .bind(change.push_secret.as_deref())
        .bind(now)
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        if changed.is_some() {
            sqlx::query(BUMP).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        changed.map(row).transpose()
    }

    pub async fn delete_carrier_account(
        &self,
        tenant_id: &str,
        id: &str,
    ) -> Result<bool, sqlx::Error> {
        let _turn = self.write_turn().await;
        let mut tx = self.writer.begin().await?;
        let done =
            sqlx::query("DELETE FROM tenant_carrier_accounts WHERE tenant_id = $1 AND id = $2")
                .bind(tenant_id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        let deleted = done.rows_affected() == 1;
        if deleted {
            sqlx::query(BUMP).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(deleted)
    }

    /// The sandbox's master key: `made` when none is kept yet, else the one kept (the
    /// first process to start a sandbox database makes it; the others use it).
    pub async fn keep_sandbox_master_key(&self, made: &str) -> Result<String, sqlx::Error> {
        sqlx::query(
            "INSERT INTO sandbox_master_key (id, master_key) VALUES (1, $1) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(made)
        .execute(&self.pool)
        .await?;
        sqlx::query("SELECT master_key FROM sandbox_master_key WHERE id = 1")
            .fetch_one(&self.pool)
            .await?
            .try_get("master_key")
    }

    /// The generation of the accounts table: it moves with every change.
    pub async fn carrier_account_generation(&self) -> Result<i64, sqlx::Error> {
        sqlx::query("SELECT generation FROM carrier_account_changes WHERE id = 1")
            .fetch_one(&self.pool)
            .await?
            .try_get("generation")
    }

    /// Shipments booked with the account that have not reached their end: what deleting
    /// it would leave without tracking.
    pub async fn open_shipments_of_account(
        &self,
        tenant_id: &str,
        account: &str,
    ) -> Result<i64, sqlx::Error> {
        sqlx::query(
            "SELECT COUNT(*) AS n FROM shipments WHERE tenant_id = $1 AND carrier_account = $2 \
             AND booking_state <> 'failed' AND status NOT IN ('delivered', 'cancelled') \
             AND sub_status NOT IN ('rto_delivered', 'rto_disposed', 'lost', 'destroyed')",
        )
        .bind(tenant_id)
        .bind(account)
        .fetch_one(&self.pool)
        .await?
        .try_get("n")
    }

    /// Tenant ids by name, for the names given (platform accounts shared with them).
    pub async fn tenant_ids_named(
        &self,
        names: &[String],
    ) -> Result<Vec<(String, String)>, sqlx::Error> {
        let mut found = Vec::new();
        for name in names {
            if let Some(r) = sqlx::query("SELECT id FROM tenants WHERE name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?
            {
                found.push((name.clone(), r.try_get("id")?));
            }
        }
        Ok(found)
    }
}
