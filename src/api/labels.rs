//! `POST /v1/labels`: many shipments' labels as one file to print
//! (`service::bulk_labels`). A POST because a list of 2,000 ids does not fit a query
//! string; it stores nothing, so it is not a creating route (no idempotency key).

use actix_web::post;
use actix_web::web;
use carriers::schema::{FieldError, LabelFormat};
use serde::Deserialize;
use utoipa::ToSchema;

use super::guard::{Key, Read};
use super::json::ApiJson;
use super::shipments::LabelFile;
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::reply::Reply;
use crate::service::bulk_labels::{self, Ask, Layout, Order, Source};

/// Which labels, and how to print them. Give exactly one of `shipment_ids`,
/// `manifest_id` and `batch_id`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkLabelsInput {
    /// Shipment ids, in the order to print them (unless `order` sorts them); each once.
    #[schema(min_items = 1, max_items = 2000)]
    pub shipment_ids: Option<Vec<String>>,
    /// A manifest: its shipments, in the manifest's order.
    pub manifest_id: Option<String>,
    /// A booking batch: its booked shipments, in the batch's order.
    pub batch_id: Option<String>,
    /// `pdf` or `zpl`.
    pub format: LabelFormat,
    /// PDF only; `roll_4x6` when absent.
    pub layout: Option<Layout>,
    /// `as_given` when absent.
    pub order: Option<Order>,
}

/// Labels of many shipments in one file.
///
/// One PDF (a 4×6 roll: every page of every label in order, a multi-piece shipment's
/// pages together; or A4 with four label pages a sheet) or one ZPL stream (the labels'
/// `^XA…^XZ` formats one after another). Each label is the one
/// `GET /v1/shipments/{id}/label` gives. When a shipment cannot be printed (not found, not
/// booked, no label in the format) nothing is printed: the 422 lists each such shipment
/// at its pointer (`/shipment_ids/3`, or `/manifest_id`). `X-Label-Count` is the number of
/// shipments printed and `X-Label-Order` what the file is sorted by (`as_given`,
/// `sku,order_ref`, `pincode,order_ref`, `awb`); sorting is stable.
#[utoipa::path(
    operation_id = "printLabels",
    tag = "shipments",
    request_body = BulkLabelsInput,
    responses(
        (status = 200, description = "The labels: PDF (`format=pdf`) or ZPL (`format=zpl`)",
            content((LabelFile = "application/pdf"), (LabelFile = "application/zpl")),
            headers(
                ("X-Label-Count" = u32, description = "Shipments printed"),
                ("X-Label-Order" = String, description = "What the labels are sorted by"),
                ("Content-Disposition" = String, description = "`attachment; filename=\"labels-<date>.<pdf|zpl>\"`"),
            )),
        (status = 422, description = "Not exactly one source, too many shipments (2,000 by default), \
or shipments that cannot be printed, each at its pointer", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/labels")]
pub async fn print(
    state: web::Data<AppState>,
    caller: Key<Read>,
    ApiJson(input): ApiJson<BulkLabelsInput>,
) -> Result<Reply, ApiError> {
    let source = source(&input)?;
    let format = input.format;
    let layout = input.layout.unwrap_or_default();
    if format == LabelFormat::Zpl && input.layout.is_some() {
        return Err(invalid(
            "/layout",
            "layout_with_zpl",
            "a layout is for PDF; ZPL labels print one after another",
        ));
    }
    let order = input.order.unwrap_or_default();
    let file = bulk_labels::bulk(
        &state.shipments,
        &state.store,
        &state.config.labels,
        &caller.tenant.id,
        Ask {
            source,
            format,
            layout,
            order,
        },
    )
    .await?;
    let filename = format!(
        "labels-{}.{}",
        chrono::Utc::now().format("%Y-%m-%d"),
        file.format.as_str()
    );
    Ok(Reply::new(200, file.format.content_type(), file.content)
        .with_header(
            "content-disposition",
            format!("attachment; filename=\"{filename}\""),
        )
        .with_header("x-label-count", file.count.to_string())
        .with_header("x-label-order", order.describe()))
}

fn source(input: &BulkLabelsInput) -> Result<Source, ApiError> {
    let given = [
        input
            .shipment_ids
            .as_ref()
            .map(|ids| Source::Shipments(ids.clone())),
        input
            .manifest_id
            .as_ref()
            .map(|id| Source::Manifest(id.clone())),
        input.batch_id.as_ref().map(|id| Source::Batch(id.clone())),
    ];
    let mut given = given.into_iter().flatten();
    match (given.next(), given.next()) {
        (Some(one), None) => Ok(one),
        (None, _) => Err(invalid(
            "",
            "no_source",
            "give shipment_ids, manifest_id or batch_id",
        )),
        (Some(_), Some(_)) => Err(invalid(
            "",
            "several_sources",
            "give only one of shipment_ids, manifest_id and batch_id",
        )),
    }
}

fn invalid(pointer: &str, code: &str, detail: &str) -> ApiError {
    ApiError::Validation(vec![FieldError {
        pointer: pointer.into(),
        code: code.into(),
        detail: detail.into(),
    }])
}
