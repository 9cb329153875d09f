//! `GET /v1/shipments/export`: every shipment `GET /v1/shipments` would list with the
//! same filters, as one CSV file for a spreadsheet.
//!
//! The rows are streamed a keyset page at a time (the list's own query and order, newest
//! first), so an export of 100,000 shipments holds one page in memory, not the file.
//! A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading
//! `'`, so a spreadsheet shows it as text instead of running it as a formula (CSV
//! injection); nothing else is changed.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, get, web};
use bytes::Bytes;
use carriers::schema::{Payment, ShipmentKind};
use serde::Deserialize;

use super::guard::{Key, RawQuery, Read};
use super::ops::{FilterQuery, read_query, shipment_filter, unknown_params};
use super::views::is_late;
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::store::{PageKey, ShipmentFilter, ShipmentRecord, Store};

/// Rows read from the store at a time.
const PAGE: u32 = 500;

/// The columns, in order.
pub const COLUMNS: [&str; 25] = [
    "id",
    "order_ref",
    "carrier",
    "carrier_account",
    "service",
    "awb",
    "status",
    "sub_status",
    "kind",
    "booking_state",
    "created_at",
    "updated_at",
    "to_name",
    "to_city",
    "to_state",
    "to_postal_code",
    "to_country",
    "weight_g",
    "payment_mode",
    "cod_amount",
    "currency",
    "cost",
    "cost_currency",
    "estimated_delivery",
    "late",
];

#[derive(Debug, Default, Deserialize)]
struct ExportQuery {
    #[serde(flatten)]
    filter: FilterQuery,
    #[serde(flatten)]
    unknown: BTreeMap<String, String>,
}

/// The tenant's shipments as CSV, filtered like `GET /v1/shipments`.
///
/// Takes the list's filters (not `limit` or `cursor`: every matching shipment is in the
/// file), newest first. Columns: `id, order_ref, carrier, carrier_account, service, awb,
/// status, sub_status, kind, booking_state, created_at, updated_at, to_name, to_city,
/// to_state, to_postal_code, to_country, weight_g, payment_mode, cod_amount, currency,
/// cost, cost_currency, estimated_delivery, late`; amounts in major units (`499.00`),
/// `currency` the COD amount's, `cost` what the carrier charged when known. A cell
/// starting with `=`, `+`, `-` or `@` is written with a leading `'`.
#[utoipa::path(
    operation_id = "exportShipments",
    tag = "shipments",
    params(FilterQuery),
    responses(
        (status = 200, description = "The shipments as CSV, a header row first",
            content_type = "text/csv", body = String,
            headers(("Content-Disposition" = String, description = "`attachment; filename=\"shipments-<date>.csv\"`"))),
        (status = 422, description = "A bad query parameter; `errors[]` has one entry per parameter, \
pointer `/<parameter name>`", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/shipments/export")]
pub async fn export(
    state: web::Data<AppState>,
    caller: Key<Read>,
    RawQuery(raw): RawQuery,
) -> Result<HttpResponse, ApiError> {
    let mut errors = Vec::new();
    let q: ExportQuery = read_query(raw.as_deref(), &mut errors)?;
    let filter = shipment_filter(&q.filter, &mut errors);
    unknown_params(&q.unknown, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let filename = format!("shipments-{}.csv", chrono::Utc::now().format("%Y-%m-%d"));
    let walk = Walk {
        store: state.store.clone(),
        tenant_id: caller.tenant.id.clone(),
        filter,
        today: crate::selection::today(),
        rows: 0,
    };
    tracing::info!(tenant_id = %walk.tenant_id, "shipments export started");
    let body = futures::stream::try_unfold(
        (walk, Some(None::<PageKey>)),
        |(mut walk, position)| async move {
            let Some(after) = position else {
                tracing::info!(tenant_id = %walk.tenant_id, rows = walk.rows, "shipments export done");
                metrics::counter!("shipgate_shipment_export_rows_total").increment(walk.rows);
                return Ok(None);
            };
            let (chunk, next) = walk.page(after).await.inspect_err(|e| {
                tracing::warn!(tenant_id = %walk.tenant_id, rows = walk.rows, error = %e, "shipments export cut short");
            })?;
            Ok::<_, sqlx::Error>(Some((chunk, (walk, next.map(Some)))))
        },
    );
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "content-disposition",
            format!("attachment; filename=\"{filename}\""),
        ))
        .streaming(body))
}

/// Where an export stands.
struct Walk {
    store: Store,
    tenant_id: String,
    filter: ShipmentFilter,
    today: chrono::NaiveDate,
    rows: u64,
}

impl Walk {
    /// The page after `after` (the first, with the header row, when `None`) as CSV, and
    /// where the next page starts (`None` after the last).
    async fn page(
        &mut self,
        after: Option<PageKey>,
    ) -> Result<(Bytes, Option<PageKey>), sqlx::Error> {
        let page = self
            .store
            .list_shipments(&self.tenant_id, &self.filter, after.as_ref(), PAGE)
            .await?;
        let mut out = csv::Writer::from_writer(Vec::new());
        let csv_error = |e: csv::Error| sqlx::Error::Protocol(format!("csv: {e}"));
        if after.is_none() {
            out.write_record(COLUMNS).map_err(csv_error)?;
        }
        for shipment in &page.shipments {
            out.write_record(
                row(shipment, self.today)
                    .iter()
                    .map(|c| safe(c).into_owned()),
            )
            .map_err(csv_error)?;
        }
        self.rows += page.shipments.len() as u64;
        let bytes = out
            .into_inner()
            .map_err(|e| sqlx::Error::Protocol(format!("csv: {e}")))?;
        Ok((Bytes::from(bytes), page.next))
    }
}

/// One shipment's cells, in [`COLUMNS`] order.
fn row(s: &ShipmentRecord, today: chrono::NaiveDate) -> [String; 25] {
    let to = &s.request.to;
    let (mode, cod) = match &s.request.payment {
        Payment::Prepaid => ("prepaid", None),
        Payment::Cod { cod_amount } => ("cod", Some(cod_amount)),
    };
    let opt = |v: Option<&str>| v.unwrap_or_default().to_string();
    [
        s.id.clone(),
        s.order_ref.clone(),
        s.carrier.clone(),
        s.carrier_account.clone(),
        opt(s.service.as_deref()),
        opt(s.awb.as_deref()),
        s.status.as_str().into(),
        s.sub_status.as_str().into(),
        match s.kind {
            ShipmentKind::Forward => "forward",
            ShipmentKind::Reverse => "reverse",
        }
        .into(),
        s.booking_state.as_str().into(),
        s.created_at
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        s.updated_at
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        to.name.clone(),
        to.city.clone(),
        opt(to.state.as_deref()),
        to.postal_code.as_str().into(),
        to.country.clone(),
        s.request.total_weight_g().to_string(),
        mode.into(),
        cod.map(|m| m.to_major_string()).unwrap_or_default(),
        cod.map(|m| m.currency.as_str().to_string())
            .unwrap_or_default(),
        s.charged
            .as_ref()
            .map(|m| m.to_major_string())
            .unwrap_or_default(),
        s.charged
            .as_ref()
            .map(|m| m.currency.as_str().to_string())
            .unwrap_or_default(),
        s.estimated_delivery
            .map(|d| d.to_string())
            .unwrap_or_default(),
        is_late(s, today).to_string(),
    ]
}

/// A cell a spreadsheet will not run as a formula.
pub fn safe(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe;

    #[test]
    fn formula_cells_are_written_as_text() {
        assert_eq!(safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe("+91 98"), "'+91 98");
        assert_eq!(safe("-1"), "'-1");
        assert_eq!(safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe("Asha = Ravi"), "Asha = Ravi");
        assert_eq!(safe(""), "");
    }
}
