//! Outcomes by address quality band (issue 17): how many of a tenant's shipments in each
//! band were delivered and how many came back (RTO), so a seller can see what a poor
//! address costs and tune its address policy.

use sqlx::Row;

use super::Store;

/// One band's shipments and their outcomes so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BandOutcomes {
    /// `good`, `fair`, `poor`, or `None` for shipments booked before addresses were scored.
    pub band: Option<String>,
    pub shipments: i64,
    pub delivered: i64,
    /// In any RTO state (initiated, in transit, … delivered back).
    pub rto: i64,
}

impl Store {
    /// The tenant's booked forward shipments created in `[from, to)` (Unix ms, either end
    /// open) per address band.
    pub async fn address_band_outcomes(
        &self,
        tenant_id: &str,
        from: Option<i64>,
        to: Option<i64>,
    ) -> Result<Vec<BandOutcomes>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT address_band, COUNT(*) AS shipments, \
             SUM(CASE WHEN status = 'delivered' THEN 1 ELSE 0 END) AS delivered, \
             SUM(CASE WHEN status = 'rto' THEN 1 ELSE 0 END) AS rto \
             FROM shipments WHERE tenant_id = $1 AND booking_state = 'confirmed' \
             AND kind = 'forward' AND created_at >= $2 AND created_at < $3 \
             GROUP BY address_band",
        )
        .bind(tenant_id)
        .bind(from.unwrap_or(i64::MIN))
        .bind(to.unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(BandOutcomes {
                    band: r.try_get("address_band")?,
                    shipments: r.try_get("shipments")?,
                    delivered: r.try_get("delivered")?,
                    rto: r.try_get("rto")?,
                })
            })
            .collect()
    }
}
