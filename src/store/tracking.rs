//! What the buyer's tracking page reads (issue 20): a shipment by its tracking token, with
//! its tenant's name and branding in the same query; tenants' branding; and the secrets the
//! gateway makes for itself.
//!
//! The token is the only key the page has, so it is looked up through a unique index and
//! never combined with anything the buyer could vary (no tenant, no shipment id): a wrong
//! token finds nothing, whoever's it might have resembled.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sqlx::{AssertSqlSafe, Row};

use super::shipments::{SHIPMENT_COLUMNS, shipment_from_row};
use super::{ShipmentRecord, Store, now_ms};

/// Random bytes in a tracking token: 144 bits, far past guessing (128 is the floor).
const TOKEN_BYTES: usize = 18;

/// A new tracking token: [`TOKEN_BYTES`] from the thread's CSPRNG (`rand::rng()`, ChaCha
/// seeded and reseeded from the operating system) as URL-safe base64 without padding.
pub fn new_tracking_token() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; TOKEN_BYTES]>())
}

/// Whether `text` could be a token at all (ours: 24 characters of URL-safe base64; those
/// the migration gave older shipments: 36 or 64 hex digits), so junk never reaches the
/// database.
pub fn plausible_token(text: &str) -> bool {
    (20..=80).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A tenant's branding for its buyers' tracking pages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Branding {
    pub display_name: Option<String>,
    pub logo: Option<Vec<u8>>,
    /// `image/png`, `image/jpeg` or `image/webp`.
    pub logo_type: Option<String>,
    /// `#rrggbb`, lower case.
    pub primary_color: Option<String>,
    pub accent_color: Option<String>,
    pub support_email: Option<String>,
    pub support_phone: Option<String>,
    /// Unix ms; 0 when never set.
    pub updated_at: i64,
}

/// A shipment as its tracking page opens it.
pub struct TrackedShipment {
    pub shipment: ShipmentRecord,
    /// The tenant's own name (shown when its branding has no display name).
    pub tenant_name: String,
    pub branding: Branding,
}

const BRANDING_COLUMNS: &str = "display_name, logo, logo_type, primary_color, accent_color, \
    support_email, support_phone, updated_at";

/// `updated` names the column of the branding's `updated_at` (renamed where the row has
/// the shipment's too).
fn branding_from_row(r: &sqlx::any::AnyRow, updated: &str) -> Result<Branding, sqlx::Error> {
    Ok(Branding {
        display_name: r.try_get("display_name")?,
        logo: r.try_get("logo")?,
        logo_type: r.try_get("logo_type")?,
        primary_color: r.try_get("primary_color")?,
        accent_color: r.try_get("accent_color")?,
        support_email: r.try_get("support_email")?,
        support_phone: r.try_get("support_phone")?,
        updated_at: r.try_get::<Option<i64>, _>(updated)?.unwrap_or(0),
    })
}

impl Store {
    /// The shipment whose tracking token is `token`, with its tenant's name and branding:
    /// one query, through the unique index on the token.
    pub async fn shipment_by_tracking_token(
        &self,
        token: &str,
    ) -> Result<Option<TrackedShipment>, sqlx::Error> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT s.*, t.name AS tenant_name, b.display_name, b.logo, b.logo_type, \
             b.primary_color, b.accent_color, b.support_email, b.support_phone, \
             b.updated_at AS branding_updated_at FROM \
             (SELECT {SHIPMENT_COLUMNS} FROM shipments WHERE tracking_token = $1) s \
             JOIN tenants t ON t.id = s.tenant_id \
             LEFT JOIN tenant_branding b ON b.tenant_id = s.tenant_id"
        )))
        .bind(token)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else {
            return Ok(None);
        };
        Ok(Some(TrackedShipment {
            shipment: shipment_from_row(&r)?,
            tenant_name: r.try_get("tenant_name")?,
            branding: branding_from_row(&r, "branding_updated_at")?,
        }))
    }

    /// A tenant's branding; the default (nothing set) when it never set one.
    pub async fn branding(&self, tenant_id: &str) -> Result<Branding, sqlx::Error> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {BRANDING_COLUMNS} FROM tenant_branding WHERE tenant_id = $1"
        )))
        .bind(tenant_id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref()
            .map(|r| branding_from_row(r, "updated_at"))
            .transpose()
            .map(Option::unwrap_or_default)
    }

    /// Replaces a tenant's branding; answers it as stored.
    pub async fn put_branding(
        &self,
        tenant_id: &str,
        b: &Branding,
    ) -> Result<Branding, sqlx::Error> {
        let now = now_ms();
        sqlx::query(
            "INSERT INTO tenant_branding (tenant_id, display_name, logo, logo_type, primary_color, \
             accent_color, support_email, support_phone, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (tenant_id) DO UPDATE SET \
             display_name = excluded.display_name, logo = excluded.logo, \
             logo_type = excluded.logo_type, primary_color = excluded.primary_color, \
             accent_color = excluded.accent_color, support_email = excluded.support_email, \
             support_phone = excluded.support_phone, updated_at = excluded.updated_at",
        )
        .bind(tenant_id)
        .bind(b.display_name.clone())
        .bind(b.logo.clone())
        .bind(b.logo_type.clone())
        .bind(b.primary_color.clone())
        .bind(b.accent_color.clone())
        .bind(b.support_email.clone())
        .bind(b.support_phone.clone())
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(Branding {
            updated_at: now,
            ..b.clone()
        })
    }

    /// The gateway's secret called `name`, made (32 random bytes, hex) by the first process
    /// that asks; every process sharing the database reads the same one.
    pub async fn gateway_secret(&self, name: &str) -> Result<String, sqlx::Error> {
        sqlx::query(
            "INSERT INTO gateway_secrets (name, secret, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(hex::encode(rand::random::<[u8; 32]>()))
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        sqlx::query("SELECT secret FROM gateway_secrets WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await?
            .try_get("secret")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_url_safe_long_and_distinct() {
        let a = new_tracking_token();
        let b = new_tracking_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 24);
        assert!(plausible_token(&a), "{a}");
        // The migration's hex tokens pass too; junk does not.
        assert!(plausible_token(&"ab12".repeat(9)));
        assert!(!plausible_token("short"));
        assert!(!plausible_token("has/slash/and/more/characters"));
        assert!(!plausible_token(&"a".repeat(81)));
    }
}
