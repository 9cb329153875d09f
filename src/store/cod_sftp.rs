//! The SFTP folders carriers drop a tenant's COD remittance files in, and the files seen
//! there (by name and content), so a file is reconciled once across restarts.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Store, now_ms};

/// A configured folder; its password or private key stays sealed here.
#[derive(Debug, Clone)]
pub struct SftpSourceRow {
    pub id: String,
    pub tenant_id: String,
    pub carrier_account: String,
    pub layout: String,
    pub host: String,
    pub port: i64,
    pub username: String,
    pub directory: String,
    /// The server's public key, OpenSSH format: the only key accepted.
    pub host_key: String,
    /// `password` or `private_key`.
    pub auth: String,
    pub secret_sealed: String,
    pub created_at: i64,
    pub last_pulled_at: Option<i64>,
    pub last_error: Option<String>,
}

const COLUMNS: &str = "id, tenant_id, carrier_account, layout, host, port, username, directory, \
    host_key, auth, secret_sealed, created_at, last_pulled_at, last_error";

fn row(r: &AnyRow) -> Result<SftpSourceRow, sqlx::Error> {
    Ok(SftpSourceRow {
        id: r.try_get("id")?,
        tenant_id: r.try_get("tenant_id")?,
        carrier_account: r.try_get("carrier_account")?,
        layout: r.try_get("layout")?,
        host: r.try_get("host")?,
        port: r.try_get("port")?,
        username: r.try_get("username")?,
        directory: r.try_get("directory")?,
        host_key: r.try_get("host_key")?,
        auth: r.try_get("auth")?,
        secret_sealed: r.try_get("secret_sealed")?,
        created_at: r.try_get("created_at")?,
        last_pulled_at: r.try_get("last_pulled_at")?,
        last_error: r.try_get("last_error")?,
    })
}

/// What became of a file seen in a folder.
pub struct SeenFile<'a> {
    pub source_id: &'a str,
    pub file_name: &'a str,
    pub content_sha256: &'a str,
    pub remittance_id: Option<&'a str>,
    /// `reconciled`, `already_reconciled` (the same content came before, by any route) or
    /// `refused` (unreadable; `detail` says why).
    pub outcome: &'a str,
    pub detail: Option<&'a str>,
}

impl Store {
    pub async fn cod_sftp_source_add(&self, s: &SftpSourceRow) -> Result<(), sqlx::Error> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO cod_sftp_sources ({COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        )))
        .bind(&s.id)
        .bind(&s.tenant_id)
        .bind(&s.carrier_account)
        .bind(&s.layout)
        .bind(&s.host)
        .bind(s.port)
        .bind(&s.username)
        .bind(&s.directory)
        .bind(&s.host_key)
        .bind(&s.auth)
        .bind(&s.secret_sealed)
        .bind(s.created_at)
        .bind(s.last_pulled_at)
        .bind(&s.last_error)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A tenant's folders (every tenant's when `None`), oldest first.
    pub async fn cod_sftp_sources(
        &self,
        tenant_id: Option<&str>,
    ) -> Result<Vec<SftpSourceRow>, sqlx::Error> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM cod_sftp_sources WHERE ($1 IS NULL OR tenant_id = $1) \
             ORDER BY id"
        )))
        .bind(tenant_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(row).collect()
    }

    pub async fn cod_sftp_source(
        &self,
        tenant_id: &str,
        id: &str,
    ) -> Result<Option<SftpSourceRow>, sqlx::Error> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM cod_sftp_sources WHERE tenant_id = $1 AND id = $2"
        )))
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(row)
        .transpose()
    }

    /// Deletes a folder (and what was seen in it); whether it existed.
    pub async fn cod_sftp_source_delete(
        &self,
        tenant_id: &str,
        id: &str,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM cod_sftp_files WHERE source_id = $1 AND source_id IN (SELECT id FROM cod_sftp_sources WHERE tenant_id = $2)")
            .bind(id)
            .bind(tenant_id)
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query("DELETE FROM cod_sftp_sources WHERE tenant_id = $1 AND id = $2")
            .bind(tenant_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    /// Whether this file (name and content) was seen in the folder before.
    pub async fn cod_sftp_file_seen(
        &self,
        source_id: &str,
        file_name: &str,
        sha256: &str,
    ) -> Result<bool, sqlx::Error> {
        Ok(sqlx::query(
            "SELECT 1 FROM cod_sftp_files WHERE source_id = $1 AND file_name = $2 \
             AND content_sha256 = $3",
        )
        .bind(source_id)
        .bind(file_name)
        .bind(sha256)
        .fetch_optional(&self.pool)
        .await?
        .is_some())
    }

    /// Records what became of a file (the first record stands).
    pub async fn cod_sftp_file_record(&self, f: &SeenFile<'_>) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO cod_sftp_files (source_id, file_name, content_sha256, remittance_id, \
             outcome, detail, processed_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (source_id, file_name, content_sha256) DO NOTHING",
        )
        .bind(f.source_id)
        .bind(f.file_name)
        .bind(f.content_sha256)
        .bind(f.remittance_id)
        .bind(f.outcome)
        .bind(f.detail)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Notes a pull of the folder and its error, if it failed.
    pub async fn cod_sftp_source_pulled(
        &self,
        id: &str,
        error: Option<&str>,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE cod_sftp_sources SET last_pulled_at = $1, last_error = $2 WHERE id = $3",
        )
        .bind(now_ms())
        .bind(error)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
