//! Many shipments' labels as one file to print: a PDF (a 4×6 roll, or A4 sheets four to a
//! page) or one ZPL stream, in the order a picker walks.
//!
//! Every label comes through [`Shipments::label`], the one-label path (stored label,
//! carrier reprint, or shipgate's rendering), so a bulk file holds exactly what printing
//! one by one would. A file never silently lacks a label: any shipment that cannot be
//! printed (not the tenant's, not booked, no label in the format) fails the whole request
//! with each one named at its pointer. Nothing is stored (the single labels are kept as
//! the one-label path keeps them).

use carriers::kit::labels::merge;
use carriers::label::sheets;
use carriers::schema::{FieldError, LabelDocument, LabelFormat};
use futures::StreamExt;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::config::LabelsConfig;
use crate::error::ApiError;
use crate::service::shipments::Shipments;
use crate::store::{ShipmentRecord, Store};

/// Whose labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Shipments(Vec<String>),
    Manifest(String),
    Batch(String),
}

/// How a PDF is laid out: `roll_4x6` (every label page as it is, one after another,
/// for a thermal roll) or `a4_4up` (label pages four to an A4 sheet, scaled to fit).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
pub enum Layout {
    #[default]
    #[serde(rename = "roll_4x6")]
    Roll4x6,
    #[serde(rename = "a4_4up")]
    A4FourUp,
}

/// The order of the labels in the file: `as_given` (the list's or the manifest's), `sku`
/// (the SKU of the shipment's first `items` line, then `order_ref`; shipments without
/// lines last),
/// `pincode` (destination postal code, then `order_ref`) or `awb`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    #[default]
    // The list's order, or the manifest's.
    AsGiven,
    // By the first parcel's SKU (its `description`), then order reference.
    Sku,
    // By destination postal code, then order reference.
    Pincode,
    // By AWB.
    Awb,
}

impl Order {
    /// What the file is sorted by, as the `X-Label-Order` header says it.
    pub fn describe(self) -> &'static str {
        match self {
            Order::AsGiven => "as_given",
            Order::Sku => "sku,order_ref",
            Order::Pincode => "pincode,order_ref",
            Order::Awb => "awb",
        }
    }
}

/// What to print, and how.
#[derive(Debug, Clone)]
pub struct Ask {
    pub source: Source,
    pub format: LabelFormat,
    /// PDF only.
    pub layout: Layout,
    pub order: Order,
}

/// The printable file.
pub struct LabelFile {
    pub format: LabelFormat,
    pub content: Vec<u8>,
    /// Shipments printed.
    pub count: usize,
    /// The shipment ids in the file's order.
    pub shipment_ids: Vec<String>,
}

/// The labels of `source` in one file.
pub async fn bulk(
    shipments: &Shipments,
    store: &Store,
    config: &LabelsConfig,
    tenant_id: &str,
    ask: Ask,
) -> Result<LabelFile, ApiError> {
    let Ask {
        source,
        format,
        layout,
        order,
    } = ask;
    let list = match &source {
        Source::Shipments(_) => "/shipment_ids",
        Source::Manifest(_) => "/manifest_id",
        Source::Batch(_) => "/batch_id",
    };
    // (pointer of each shipment, id): errors name where the caller put it.
    let wanted: Vec<(String, String)> = match source {
        Source::Shipments(ids) => ids
            .into_iter()
            .enumerate()
            .map(|(i, id)| (format!("/shipment_ids/{i}"), id))
            .collect(),
        Source::Manifest(id) => manifest_shipments(store, tenant_id, &id).await?,
        Source::Batch(id) => batch_shipments(store, tenant_id, &id).await?,
    };
    check_count(&wanted, list, config.max_shipments)?;

    let started = std::time::Instant::now();
    let fetched: Vec<_> = futures::stream::iter(wanted)
        .map(|(pointer, id)| async move {
            let label = shipments.label(tenant_id, &id, Some(format)).await;
            (pointer, label)
        })
        .buffered(config.concurrency.max(1))
        .collect()
        .await;
    let mut errors = Vec::new();
    let mut labels: Vec<(ShipmentRecord, Vec<u8>)> = Vec::with_capacity(fetched.len());
    for (pointer, result) in fetched {
        match result {
            Ok((shipment, got, content)) if got == format => labels.push((shipment, content)),
            Ok((shipment, got, _)) => errors.push(FieldError {
                pointer,
                code: "label_format_unavailable".into(),
                detail: format!(
                    "shipment {}: the carrier gave a {} label, not {}",
                    shipment.id,
                    got.as_str(),
                    format.as_str()
                ),
            }),
            Err(e) => errors.push(unprintable(pointer, e)?),
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }

    sort(&mut labels, order);
    let shipment_ids: Vec<String> = labels.iter().map(|(s, _)| s.id.clone()).collect();
    let parts: Vec<LabelDocument> = labels
        .into_iter()
        .map(|(_, content)| LabelDocument { format, content })
        .collect();
    let count = parts.len();
    // Joining 2,000 PDFs is seconds of CPU: off the async workers.
    let content = tokio::task::spawn_blocking(move || compose(parts, format, layout))
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("bulk labels: {e}")))??;
    metrics::counter!("shipgate_bulk_labels_total", "format" => format.as_str())
        .increment(count as u64);
    metrics::histogram!("shipgate_bulk_labels_seconds").record(started.elapsed().as_secs_f64());
    tracing::info!(
        tenant_id,
        count,
        format = format.as_str(),
        ?layout,
        ?order,
        bytes = content.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "bulk labels made"
    );
    Ok(LabelFile {
        format,
        content,
        count,
        shipment_ids,
    })
}

fn check_count(wanted: &[(String, String)], list: &str, max: usize) -> Result<(), ApiError> {
    let field = |code: &str, detail: String| {
        ApiError::Validation(vec![FieldError {
            pointer: list.into(),
            code: code.into(),
            detail,
        }])
    };
    if wanted.is_empty() {
        return Err(field("empty", "no shipments to print".into()));
    }
    if wanted.len() > max {
        return Err(field(
            "too_many_labels",
            format!(
                "{} shipments; one request prints at most {max}: split them",
                wanted.len()
            ),
        ));
    }
    let mut seen = std::collections::HashMap::new();
    let mut errors = Vec::new();
    for (pointer, id) in wanted {
        if let Some(first) = seen.insert(id.as_str(), pointer.as_str()) {
            errors.push(FieldError {
                pointer: pointer.clone(),
                code: "duplicate_shipment".into(),
                detail: format!(
                    "shipment {id} is listed already at {first}; each label prints once"
                ),
            });
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// A shipment that cannot be printed, as an error at its pointer; errors that are not the
/// shipment's (the database is down) stay the request's.
fn unprintable(pointer: String, e: ApiError) -> Result<FieldError, ApiError> {
    let (code, detail) = match e {
        ApiError::NotFound(detail) => ("not_found".to_string(), detail),
        ApiError::Conflict { code, detail, .. } => (code.to_string(), detail),
        ApiError::Carrier { carrier, error, .. } => {
            ("carrier_error".to_string(), format!("{carrier}: {error}"))
        }
        ApiError::Unavailable(detail) => ("carrier_unavailable".to_string(), detail),
        other => return Err(other),
    };
    Ok(FieldError {
        pointer,
        code,
        detail,
    })
}

/// A stable sort, so equal keys keep the given order.
fn sort(labels: &mut [(ShipmentRecord, Vec<u8>)], order: Order) {
    // Shipments without lines sort after every SKU.
    let sku = |s: &ShipmentRecord| match s.request.items.first() {
        Some(item) => (false, item.sku.clone()),
        None => (true, String::new()),
    };
    match order {
        Order::AsGiven => {}
        Order::Sku => labels.sort_by_cached_key(|(s, _)| (sku(s), s.order_ref.clone())),
        Order::Pincode => labels.sort_by_cached_key(|(s, _)| {
            (
                s.request.to.postal_code.as_str().to_string(),
                s.order_ref.clone(),
            )
        }),
        Order::Awb => labels.sort_by_cached_key(|(s, _)| s.awb.clone()),
    }
}

fn compose(
    parts: Vec<LabelDocument>,
    format: LabelFormat,
    layout: Layout,
) -> Result<Vec<u8>, ApiError> {
    let broken = |detail: String| ApiError::Internal(anyhow::anyhow!("bulk labels: {detail}"));
    match (format, layout) {
        (LabelFormat::Pdf, Layout::A4FourUp) => {
            let slices: Vec<&[u8]> = parts.iter().map(|p| p.content.as_slice()).collect();
            sheets::four_up_a4(&slices).map_err(|e| broken(e.to_string()))
        }
        // A roll is the labels' pages joined; ZPL formats follow each other.
        _ => merge(format, &parts)
            .map(|doc| doc.content)
            .map_err(|e| broken(e.to_string())),
    }
}

/// A manifest's shipments in its order; the pointer of each is the manifest's.
async fn manifest_shipments(
    store: &Store,
    tenant_id: &str,
    id: &str,
) -> Result<Vec<(String, String)>, ApiError> {
    if store.manifest(tenant_id, id).await?.is_none() {
        return Err(ApiError::Validation(vec![FieldError {
            pointer: "/manifest_id".into(),
            code: "not_found".into(),
            detail: format!("no manifest `{id}`"),
        }]));
    }
    Ok(store
        .manifest_lines(id)
        .await?
        .into_iter()
        .map(|line| ("/manifest_id".to_string(), line.shipment_id))
        .collect())
}

/// A batch's booked shipments, in the batch's order; the pointer of each is the batch's.
/// Items not booked (invalid, failed, cancelled, still queued) have no label to print.
async fn batch_shipments(
    store: &Store,
    tenant_id: &str,
    id: &str,
) -> Result<Vec<(String, String)>, ApiError> {
    let Some(ids) = store.batch_shipment_ids(tenant_id, id).await? else {
        return Err(ApiError::Validation(vec![FieldError {
            pointer: "/batch_id".into(),
            code: "not_found".into(),
            detail: format!("no batch `{id}`"),
        }]));
    };
    Ok(ids
        .into_iter()
        .map(|shipment_id| ("/batch_id".to_string(), shipment_id))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_beyond_the_cap_and_a_repeated_shipment_are_refused() {
        let wanted = |n: usize| -> Vec<(String, String)> {
            (0..n)
                .map(|i| (format!("/shipment_ids/{i}"), format!("shp_{i}")))
                .collect()
        };
        assert!(check_count(&wanted(3), "/shipment_ids", 3).is_ok());
        let Err(ApiError::Validation(e)) = check_count(&wanted(4), "/shipment_ids", 3) else {
            panic!()
        };
        assert_eq!(e[0].code, "too_many_labels");
        let mut twice = wanted(2);
        twice.push(("/shipment_ids/2".into(), "shp_0".into()));
        let Err(ApiError::Validation(e)) = check_count(&twice, "/shipment_ids", 10) else {
            panic!()
        };
        assert_eq!(
            (e[0].pointer.as_str(), e[0].code.as_str()),
            ("/shipment_ids/2", "duplicate_shipment")
        );
        assert!(check_count(&[], "/shipment_ids", 10).is_err());
    }
}
