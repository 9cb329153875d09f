//! Reads for returns (shipments of kind `reverse`, issue 17).
//!
//! A return books under its order's reference, like the forward shipment it undoes, so
//! that (tenant, order reference, package number) still makes every booking unique for
//! good. Forward bookings are package 1 of their order; an order's returns are numbered
//! downwards from -1, so neither series can ever take the other's key, and two returns
//! booked at once for the same order race for the same number: one of them gets it.
//! (Why not the kind in the key: SQLite cannot change a table's UNIQUE constraint without
//! rebuilding the table, which four others reference with `ON DELETE CASCADE`.) The link
//! to the forward shipment and the reason travel in the stored request
//! (`ShipmentRequest::returning`); an order's returns are found through the existing
//! (tenant, order reference) index.

use carriers::schema::ShipmentKind;
use sqlx::{AssertSqlSafe, Row};

use super::shipments::{SHIPMENT_COLUMNS, shipment_from_row};
use super::{ShipmentRecord, Store};

pub(super) fn kind_str(kind: ShipmentKind) -> &'static str {
    match kind {
        ShipmentKind::Forward => "forward",
        ShipmentKind::Reverse => "reverse",
    }
}

impl Store {
    /// The returns booked under an order reference, oldest first.
    pub async fn returns_of_order(
        &self,
        tenant_id: &str,
        order_ref: &str,
    ) -> Result<Vec<ShipmentRecord>, sqlx::Error> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {SHIPMENT_COLUMNS} FROM shipments \
             WHERE tenant_id = $1 AND order_ref = $2 AND kind = 'reverse' \
             ORDER BY created_at, id"
        )))
        .bind(tenant_id)
        .bind(order_ref)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(shipment_from_row).collect()
    }

    /// The package number the next return of an order books under: one below the lowest
    /// taken (see the module docs).
    pub async fn next_return_no(
        &self,
        tenant_id: &str,
        order_ref: &str,
    ) -> Result<i64, sqlx::Error> {
        let row = sqlx::query(
            "SELECT MIN(package_no) AS lowest FROM shipments WHERE tenant_id = $1 AND order_ref = $2",
        )
        .bind(tenant_id)
        .bind(order_ref)
        .fetch_one(&self.pool)
        .await?;
        let lowest: Option<i64> = row.try_get("lowest")?;
        Ok(lowest.unwrap_or(0).min(0) - 1)
    }
}
