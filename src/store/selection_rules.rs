//! The selection record of each `auto` booking (the rule sets themselves are versioned in
//! [`super::rule_sets`]).

use sqlx::Row;

use super::{Store, now_ms};

impl Store {
    /// Records (or updates) how an `auto` booking chose its carrier.
    pub async fn save_selection(
        &self,
        shipment_id: &str,
        selection_json: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE shipments SET selection_json = $1 WHERE id = $2")
            .bind(selection_json)
            .bind(shipment_id)
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    pub async fn selection(&self, shipment_id: &str) -> Result<Option<String>, sqlx::Error> {
        Ok(
            sqlx::query("SELECT selection_json FROM shipments WHERE id = $1")
                .bind(shipment_id)
                .fetch_optional(&self.pool)
                .await?
                .map(|r| r.try_get::<Option<String>, _>("selection_json"))
                .transpose()?
                .flatten(),
        )
    }

    /// Moves a reservation still being booked to another carrier (an `auto` booking
    /// falling back after a definite refusal). Only a row in `booking` moves, so a
    /// reservation a reconciler has claimed meanwhile is never re-pointed.
    pub async fn switch_reserved_carrier(
        &self,
        shipment_id: &str,
        carrier: &str,
        carrier_account: &str,
        service: Option<&str>,
        request_json: &str,
    ) -> Result<bool, sqlx::Error> {
        let moved = sqlx::query(
            "UPDATE shipments SET carrier = $1, carrier_account = $6, service = $2, \
             request_json = $3, updated_at = $4 WHERE id = $5 AND booking_state = 'booking'",
        )
        .bind(carrier)
        .bind(service)
        .bind(request_json)
        .bind(now_ms())
        .bind(shipment_id)
        .bind(carrier_account)
        .execute(&self.pool)
        .await?;
        Ok(moved.rows_affected() == 1)
    }

    /// The tenant's shipment for an order reference and package, if any: an `auto`
    /// retry answers with it before shopping for rates again.
    pub async fn shipment_by_order(
        &self,
        tenant_id: &str,
        order_ref: &str,
        package_no: i64,
    ) -> Result<Option<super::ShipmentRecord>, sqlx::Error> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM shipments WHERE tenant_id = $1 AND order_ref = $2 AND package_no = $3",
            super::shipments::SHIPMENT_COLUMNS
        )))
        .bind(tenant_id)
        .bind(order_ref)
        .bind(package_no)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref()
            .map(super::shipments::shipment_from_row)
            .transpose()
    }
}
