//! Rate cards per tenant and carrier account, versioned: an upload never overwrites, it
//! adds the next version, and the highest version is the active card.
//!
//! The store keeps cards as text (the upload as sent, and the validated card's canonical
//! JSON); turning that JSON back into a `RateCard` is the service's business, through the
//! same parser that checked the upload.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Store, now_ms};

/// One stored version of a card.
#[derive(Debug, Clone)]
pub struct RateCardRow {
    pub carrier_account: String,
    pub version: i64,
    /// `json` or `csv`: how it was uploaded.
    pub source_format: String,
    pub card_json: String,
    pub created_at: i64,
}

/// A card to store.
pub struct NewRateCard<'a> {
    pub tenant_id: &'a str,
    pub carrier_account: &'a str,
    pub source_format: &'a str,
    pub source: &'a str,
    pub card_json: &'a str,
}

const COLUMNS: &str = "carrier_account, version, source_format, card_json, created_at";

fn row(r: AnyRow) -> RateCardRow {
    RateCardRow {
        carrier_account: r.get("carrier_account"),
        version: r.get("version"),
        source_format: r.get("source_format"),
        card_json: r.get("card_json"),
        created_at: r.get("created_at"),
    }
}

impl Store {
    /// Stores `card` as the account's next version (1 for a new account) and returns it.
    /// Two uploads racing for the same account both land, one after the other: the
    /// loser of the primary-key race simply takes the version after.
    pub async fn add_rate_card(&self, card: &NewRateCard<'_>) -> Result<RateCardRow, sqlx::Error> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let _turn = self.write_turn().await;
            let inserted = sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO rate_cards \
                 (tenant_id, carrier_account, version, source_format, source, card_json, created_at) \
                 SELECT $1, $2, COALESCE(MAX(version), 0) + 1, $3, $4, $5, $6 \
                 FROM rate_cards WHERE tenant_id = $1 AND carrier_account = $2 \
                 RETURNING {COLUMNS}"
            )))
            .bind(card.tenant_id)
            .bind(card.carrier_account)
            .bind(card.source_format)
            .bind(card.source)
            .bind(card.card_json)
            .bind(now_ms())
            .fetch_one(&self.writer)
            .await;
            match inserted {
                Ok(r) => return Ok(row(r)),
                Err(e) if attempt < 5 && is_unique_violation(&e) => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// The active (highest) version of every carrier account of the tenant, by account.
    pub async fn active_rate_cards(
        &self,
        tenant_id: &str,
    ) -> Result<Vec<RateCardRow>, sqlx::Error> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM rate_cards r WHERE tenant_id = $1 AND version = \
             (SELECT MAX(version) FROM rate_cards m \
              WHERE m.tenant_id = r.tenant_id AND m.carrier_account = r.carrier_account) \
             ORDER BY carrier_account"
        )))
        .bind(tenant_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(row).collect())
    }

    /// Every version of one account's card, newest first (empty: no such account).
    pub async fn rate_card_versions(
        &self,
        tenant_id: &str,
        carrier_account: &str,
    ) -> Result<Vec<RateCardRow>, sqlx::Error> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM rate_cards WHERE tenant_id = $1 AND carrier_account = $2 \
             ORDER BY version DESC"
        )))
        .bind(tenant_id)
        .bind(carrier_account)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(row).collect())
    }
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}
